/**
 * What the load generator needs to know about a chat protocol, so one generator can drive
 * both our hub (JSON lines) and an IRC server (the reference) the same way.
 * @module
 */

/** The protocols the generator speaks. */
export type DialectName = "hub" | "irc" | "irc-echo";

/** What a line seen while logging in means. */
export type SetupStep =
  | { kind: "wait" }
  | { kind: "send"; bytes: Uint8Array }
  | { kind: "done" }
  | { kind: "refused"; reason: string };

/** One client's way through login: the rooms it must be in, and how many it is in so far. */
export interface SetupState {
  /** Rooms to be in once logged in (the dialect's {@linkcode Dialect.homeRoom} needs no join). */
  readonly rooms: readonly string[];
  /** Rooms joined so far; the dialect counts them. */
  joined: number;
}

/** A room message as a client reads it off the wire. */
export interface ChatLine {
  /** Who said it. */
  from: string;
  /** The room it was said in. */
  room: string;
  text: string;
}

/**
 * A chat protocol as the generator sees it. Lines are handed over without their `\n`;
 * every method is pure (but for counting joins in a {@linkcode SetupState}) and never throws
 * on what a server sent.
 */
export interface Dialect {
  /** Which protocol this is. */
  readonly name: DialectName;
  /** The room every client of the one-room runs is in. */
  readonly homeRoom: string;
  /** Bytes a client sends as soon as it is connected. */
  greet(nick: string): Uint8Array;
  /** Reacts to a line received before the client is in all of `state.rooms`. */
  setupLine(line: Uint8Array, state: SetupState): SetupStep;
  /**
   * Bytes that post `texts` to `room`, numbered from `firstSeq` (1-based, per sender),
   * asking for an acknowledgement at least every `ackEvery` messages and after the last.
   */
  say(room: string, texts: readonly string[], firstSeq: number, ackEvery: number): Uint8Array;
  /** The sequence number through which `line` acknowledges messages, or -1 if it is no ack. */
  ackedThrough(line: Uint8Array, ackedSoFar: number): number;
  /**
   * Parses `line` as a real client would: the room message it is, `null` if it is some other
   * line, or `"malformed"` if it claims to be a message but cannot be read as one.
   */
  parseMessage(line: Uint8Array): ChatLine | null | "malformed";
  /** Bytes that keep an otherwise silent client from being timed out; they get no reply. */
  keepalive(): Uint8Array;
}

/** Whether `line` begins with the bytes of `prefix`. */
export function startsWith(line: Uint8Array, prefix: Uint8Array, from = 0): boolean {
  if (line.length - from < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (line[from + i] !== prefix[i]) return false;
  }
  return true;
}
