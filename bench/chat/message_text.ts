/**
 * The text of every benchmark message: the sender's sequence number and the send time, so a
 * recipient can check order and completeness and time the delivery.
 * @module
 */

/** Marks the send time carried in a message text: a backtick on each side of it. */
export const STAMP_MARK = "`";
/** Most digits read in a number: keeps every value a safe integer. */
export const MAX_DIGITS = 15;

/** What a message text carries. */
export interface MessageMarks {
  /** The sender's sequence number, from 1. */
  seq: number;
  /** Send time, whole µs on the generator's `performance.now()` clock. */
  sentUs: number;
}

/**
 * `<seq> `<sentUs>`` padded with `x` to `padTo` characters, as a short chat line.
 *
 * @example
 * ```ts
 * import { messageText, readMessageText } from "./message_text.ts";
 * readMessageText(messageText(7, 1234.4, 32)); // { seq: 7, sentUs: 1234 }
 * ```
 */
export function messageText(seq: number, sentUs: number, padTo: number): string {
  const text = `${seq} ${STAMP_MARK}${Math.round(sentUs)}${STAMP_MARK}`;
  return text.length >= padTo ? text : text + "x".repeat(padTo - text.length);
}

/** Reads what {@linkcode messageText} wrote, or `null` if `text` is not such a text. */
export function readMessageText(text: string): MessageMarks | null {
  const space = text.indexOf(" ");
  if (space < 1 || text[space + 1] !== STAMP_MARK) return null;
  const close = text.indexOf(STAMP_MARK, space + 2);
  if (close < 0) return null;
  const seq = readNumber(text, 0, space);
  const sentUs = readNumber(text, space + 2, close);
  if (seq === null || seq < 1 || sentUs === null) return null;
  return { seq, sentUs };
}

function readNumber(text: string, from: number, to: number): number | null {
  if (to <= from || to - from > MAX_DIGITS) return null;
  let value = 0;
  for (let at = from; at < to; at++) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return value;
}
