/**
 * Joining byte chunks into one buffer.
 * @module
 */

/**
 * Copies `parts` one after another into a new buffer of `total` bytes (their summed length).
 *
 * @example
 * ```ts
 * import { concatBytes } from "./concat_bytes.ts";
 * concatBytes([new Uint8Array([1]), new Uint8Array([2, 3])], 3); // Uint8Array [1, 2, 3]
 * ```
 */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
