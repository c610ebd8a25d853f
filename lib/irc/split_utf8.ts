/**
 * Cutting a text into pieces of at most so many UTF-8 bytes, the unit of IRC's line limit: at
 * grapheme cluster boundaries, after white space where one fits.
 * @module
 */

import { clusterFinder } from "../text/graphemes.ts";
import { utf8Length } from "./utf8_length.ts";

/** The smallest budget accepted: one code point of 4 bytes must fit. */
const MIN_BYTES = 4;

/**
 * Cuts `text` into pieces of at most `maxBytes` UTF-8 bytes whose concatenation is `text`. A
 * piece ends after the last white space that fits, else at the last cluster boundary that
 * fits, so that no accent leaves its letter and no emoji sequence or flag is torn; a single
 * cluster larger than `maxBytes` is cut between code points. Empty text is no piece. The text
 * is segmented once, and only the clusters at the cuts are looked up.
 *
 * @example
 * ```ts
 * import { splitUtf8 } from "./split_utf8.ts";
 * splitUtf8("héllo wörld", 8); // ["héllo ", "wörld"]
 * ```
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_BYTES) {
    throw new RangeError(`Cannot split text: maxBytes must be an integer of at least ${MIN_BYTES}`);
  }
  if (utf8Length(text) <= maxBytes) return text === "" ? [] : [text];
  const find = clusterFinder(text);
  const pieces: string[] = [];
  let start = 0;
  for (;;) {
    const overflow = firstOverflow(text, start, maxBytes);
    if (overflow === text.length) {
      pieces.push(text.slice(start));
      return pieces;
    }
    // The last boundary at or before the code point that does not fit; none after `start`
    // means one cluster larger than a piece, cut between code points.
    const boundary = find(overflow).start;
    const end = boundary <= start ? overflow : afterLastSpace(text, start, boundary, find);
    pieces.push(text.slice(start, end));
    start = end;
  }
}

/** Where the code point lies that would take the piece from `start` past `maxBytes`. */
function firstOverflow(text: string, start: number, maxBytes: number): number {
  let bytes = 0;
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && isLow(text.charCodeAt(i + 1));
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) return i;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return text.length;
}

/** The boundary just after the last white space in `[start, end)`, else `end`. */
function afterLastSpace(
  text: string,
  start: number,
  end: number,
  find: ReturnType<typeof clusterFinder>,
): number {
  for (let i = end; i > start; i--) {
    const char = text[i - 1]!;
    // A space followed by a combining mark is one cluster: not a place to cut.
    if (/\s/.test(char) && find(i).start === i) return i;
  }
  return end;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
