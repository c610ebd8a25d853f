/**
 * Small waits of the drivers: for a wake-up with a bound, and for a promise with a bound.
 * @module
 */

/** Callbacks waiting to be woken; see {@linkcode waitFor} and {@linkcode wakeAll}. */
export type Waiters = (() => void)[];

/**
 * Resolves when woken through `waiters` or after `ms`, whichever is first; leaves no timer.
 *
 * @example
 * ```ts
 * import { waitFor, type Waiters, wakeAll } from "./waiting.ts";
 * const waiters: Waiters = [];
 * const woken = waitFor(waiters, 1000);
 * wakeAll(waiters);
 * await woken; // at once, not after a second
 * ```
 */
export function waitFor(waiters: Waiters, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    waiters.push(done);
    function done() {
      clearTimeout(timer);
      const at = waiters.indexOf(done);
      if (at >= 0) waiters.splice(at, 1);
      resolve();
    }
  });
}

/** Wakes everything waiting in `waiters`. */
export function wakeAll(waiters: Waiters): void {
  if (waiters.length === 0) return;
  for (const wake of [...waiters]) wake();
}

/**
 * What `promise` gives, or `null` if it takes longer than `ms`; leaves no timer. Meant for
 * promises that never give `null` themselves.
 */
export async function waitAtMost<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), ms));
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
