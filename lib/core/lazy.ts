/**
 * Values made on first use: costly tables (regular expressions over large Unicode properties,
 * an `Intl.Segmenter`) that a process may never need, kept off the start-up path of every
 * command.
 *
 * @module
 */

/**
 * Returns a function that makes the value on its first call and returns the same one after.
 *
 * @example
 * ```ts
 * import { lazy } from "./lazy.ts";
 * const table = lazy(() => new Map([[1, "one"]]));
 * table() === table(); // true
 * ```
 */
export function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
