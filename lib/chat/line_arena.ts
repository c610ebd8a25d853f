/**
 * Encodes protocol lines into shared slabs, so that lines encoded one after another sit
 * side by side in memory and a client's queue of them can be written without copying.
 * @module
 */

import { ByteArena } from "../core/byte_arena.ts";
import { MAX_LINE_BYTES } from "./limits.ts";

/** Size of a fresh slab; a line longer than this gets a slab of its own. */
export const SLAB_BYTES = 64 * 1024;
// Worst case of UTF-8 from a UTF-16 string: 3 bytes per code unit.
const MAX_UTF8_PER_UNIT = 3;

/**
 * Bump allocator of encoded lines. A slab is never written again once a line is in it, and it
 * lives as long as any view of it does (the garbage collector frees it after the last write).
 *
 * Every line it encodes holds at most `maxLineBytes` bytes before its newline, the limit the
 * hub announces: a longer one is a bug of the caller (lists must be paged, texts bounded), so
 * {@linkcode LineArena.encode} throws a `RangeError` instead of sending what no peer may read.
 *
 * @example
 * ```ts
 * import { LineArena } from "./line_arena.ts";
 * const arena = new LineArena();
 * const a = arena.encode({ type: "ping", ts: 1 });
 * const b = arena.encode({ type: "ping", ts: 2 });
 * a.buffer === b.buffer && a.byteOffset + a.length === b.byteOffset; // true
 * ```
 */
export class LineArena {
  readonly #utf8 = new TextEncoder();
  readonly #maxLineBytes: number;
  readonly #bytes = new ByteArena(SLAB_BYTES);

  /** @param maxLineBytes longest line, newline excluded (default `MAX_LINE_BYTES`) */
  constructor(maxLineBytes: number = MAX_LINE_BYTES) {
    this.#maxLineBytes = maxLineBytes;
  }

  /**
   * Encodes `value` as a JSON line ending in `\n` and returns a view of it; throws
   * `RangeError` if the line would be over the limit (nothing is handed out).
   */
  encode(value: object): Uint8Array {
    const text = JSON.stringify(value) + "\n";
    const room = this.#bytes.reserve(text.length * MAX_UTF8_PER_UNIT);
    const { written } = this.#utf8.encodeInto(text, room);
    if (written - 1 > this.#maxLineBytes) {
      throw new RangeError(
        `Cannot encode line: ${written - 1} bytes, over the limit of ${this.#maxLineBytes}`,
      );
    }
    return this.#bytes.commit(written);
  }
}
