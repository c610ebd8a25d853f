/**
 * What the load generator needs to know about a chat protocol, so one generator can drive
 * both our hub (JSON lines) and an IRC server (the reference) the same way.
 * @module
 */

/** The protocols the generator speaks. */
export type DialectName = "hub" | "irc";

/** What a line seen while logging in means. */
export type SetupStep =
  | { kind: "wait" }
  | { kind: "send"; bytes: Uint8Array }
  | { kind: "done" }
  | { kind: "refused"; reason: string };

/**
 * A chat protocol as the generator sees it. Lines are handed over without their `\n`;
 * every method is pure and never throws on what a server sent.
 */
export interface Dialect {
  /** Which protocol this is. */
  readonly name: DialectName;
  /** Bytes a client sends as soon as it is connected. */
  greet(nick: string): Uint8Array;
  /** Reacts to a line received before the client is in the room. */
  setupLine(line: Uint8Array): SetupStep;
  /**
   * Bytes that post `texts` to the room, numbered from `firstSeq` (1-based, per sender),
   * asking for an acknowledgement at least every `ackEvery` messages and after the last.
   */
  say(texts: readonly string[], firstSeq: number, ackEvery: number): Uint8Array;
  /** The sequence number through which `line` acknowledges messages, or -1 if it is no ack. */
  ackedThrough(line: Uint8Array, ackedSoFar: number): number;
  /** Whether `line` is a room message delivered to this client. */
  isMessage(line: Uint8Array): boolean;
  /** Bytes that keep an otherwise silent client from being timed out; they get no reply. */
  keepalive(): Uint8Array;
}

/** Marks the send time carried in a message text: a backtick on each side of it. */
export const STAMP_MARK = 0x60;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** The text of a timed message: the send time in whole microseconds between stamp marks. */
export function stampText(sentAtUs: number, padTo: number): string {
  const stamp = "`" + Math.round(sentAtUs) + "`";
  return stamp.length >= padTo ? stamp : stamp + "x".repeat(padTo - stamp.length);
}

/** The send time in microseconds carried by a line, or -1 if it carries none. */
export function readStamp(line: Uint8Array): number {
  const open = line.indexOf(STAMP_MARK);
  if (open < 0) return -1;
  let value = 0;
  let digits = 0;
  for (let at = open + 1; at < line.length; at++) {
    const byte = line[at]!;
    if (byte === STAMP_MARK) return digits > 0 ? value : -1;
    if (byte < DIGIT_0 || byte > DIGIT_9 || digits >= 15) return -1;
    value = value * 10 + (byte - DIGIT_0);
    digits++;
  }
  return -1;
}

/** Whether `line` begins with the bytes of `prefix`. */
export function startsWith(line: Uint8Array, prefix: Uint8Array, from = 0): boolean {
  if (line.length - from < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (line[from + i] !== prefix[i]) return false;
  }
  return true;
}
