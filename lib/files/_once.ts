/**
 * A callback that runs at most once, for "released" notices that several paths may give.
 * @module
 */

/** `fn` (or nothing) made safe to call more than once: only the first call runs it. */
export function once(fn: (() => void) | undefined): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn?.();
  };
}
