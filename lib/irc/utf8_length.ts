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
