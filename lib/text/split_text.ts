/**
 * Splitting a long text into pieces that each fit a message, as IRC clients do with a line
 * too long for the server: at a grapheme cluster boundary, preferably between words.
 * @module
 */

import { graphemeBoundaries } from "./graphemes.ts";

/**
 * Cuts `text` into pieces of at most `maxUnits` UTF-16 code units (the unit of the hub's
 * `MAX_TEXT_CHARS`) whose concatenation is `text`. A piece ends after the last white space
 * that fits (a space or line break stays at the end of the piece before it), or else at the
 * last grapheme cluster boundary that fits, so that no letter loses its accent and no emoji
 * sequence or flag is torn. A single cluster longer than `maxUnits` (a letter under thousands
 * of combining marks) is cut between code points, never inside a surrogate pair. Text that
 * fits is one piece; empty text is none.
 *
 * @example
 * ```ts
 * import { splitText } from "./split_text.ts";
 * splitText("hello big world", 10); // ["hello big ", "world"]
 * ```
 */
export function splitText(text: string, maxUnits: number): string[] {
  if (!Number.isInteger(maxUnits) || maxUnits < 2) {
    throw new RangeError(`Cannot split text: maxUnits must be an integer of at least 2`);
  }
  if (text.length <= maxUnits) return text === "" ? [] : [text];
  const bounds = graphemeBoundaries(text);
  const pieces: string[] = [];
  let start = 0;
  // Invariant: bounds[b] is the last boundary at or before `start`.
  let b = 0;
  while (text.length - start > maxUnits) {
    const end = pieceEnd(text, bounds, b, start, maxUnits);
    pieces.push(text.slice(start, end));
    start = end;
    while (b + 1 < bounds.length && bounds[b + 1]! <= start) b++;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** The end of the piece starting at `start`: after white space if any fits, else the last fit. */
function pieceEnd(
  text: string,
  bounds: readonly number[],
  b: number,
  start: number,
  maxUnits: number,
): number {
  let fit = -1;
  let afterSpace = -1;
  for (let j = b + 1; j < bounds.length && bounds[j]! - start <= maxUnits; j++) {
    fit = bounds[j]!;
    if (bounds[j - 1]! >= start && /\s/.test(text[bounds[j - 1]!] ?? "")) afterSpace = fit;
  }
  if (afterSpace > start) return afterSpace;
  return fit > start ? fit : cutCluster(text, start, maxUnits);
}

/** Where to cut a cluster too long for a piece: `maxUnits` on, unless that splits a pair. */
function cutCluster(text: string, start: number, maxUnits: number): number {
  const end = start + maxUnits;
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}
