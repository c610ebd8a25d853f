/**
 * Cutting a text into pieces of at most so many UTF-8 bytes, the unit of IRC's line limit: at
 * grapheme cluster boundaries, after white space where one fits.
 * @module
 */

import { graphemeBoundaries } from "../text/graphemes.ts";
import { utf8Length } from "./utf8_length.ts";

/** The smallest budget accepted: one code point of 4 bytes must fit. */
const MIN_BYTES = 4;

/**
 * Cuts `text` into pieces of at most `maxBytes` UTF-8 bytes whose concatenation is `text`. A
 * piece ends after the last white space that fits, else at the last cluster boundary that
 * fits, so that no accent leaves its letter and no emoji sequence or flag is torn; a single
 * cluster larger than `maxBytes` is cut between code points. Empty text is no piece.
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
  const bounds = graphemeBoundaries(text);
  const bytesAt = [0];
  for (let j = 1; j < bounds.length; j++) {
    bytesAt.push(bytesAt[j - 1]! + utf8Length(text.slice(bounds[j - 1], bounds[j])));
  }
  const pieces: string[] = [];
  let start = 0;
  while (start < bounds.length - 1) {
    const end = pieceEnd(text, bounds, bytesAt, start, maxBytes);
    if (end === start) {
      pieces.push(...splitCluster(text.slice(bounds[start], bounds[start + 1]), maxBytes));
      start++;
    } else {
      pieces.push(text.slice(bounds[start], bounds[end]));
      start = end;
    }
  }
  return pieces;
}

/** The bound index ending the piece from bound `start`; `start` when one cluster is too big. */
function pieceEnd(
  text: string,
  bounds: readonly number[],
  bytesAt: readonly number[],
  start: number,
  maxBytes: number,
): number {
  let fit = start;
  let afterSpace = start;
  for (let j = start + 1; j < bounds.length && bytesAt[j]! - bytesAt[start]! <= maxBytes; j++) {
    fit = j;
    if (/\s/.test(text[bounds[j - 1]!] ?? "")) afterSpace = j;
  }
  // The rest fits whole: no need to cut at a space.
  if (fit === bounds.length - 1) return fit;
  return afterSpace > start ? afterSpace : fit;
}

/** A cluster larger than `maxBytes`, cut between code points. */
function splitCluster(cluster: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  let bytes = 0;
  for (const codePoint of cluster) {
    const size = utf8Length(codePoint);
    if (bytes + size > maxBytes) {
      pieces.push(piece);
      piece = "";
      bytes = 0;
    }
    piece += codePoint;
    bytes += size;
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}
