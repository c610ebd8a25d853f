/**
 * The rules of rooms: a name is `#` and 1 to 32 of the user name characters, unique ignoring
 * case; a topic is short text on one line.
 * @module
 */

import { describeUnsafeChar, findUnsafeNameChar } from "../text/hidden_chars.ts";
import type { ProtocolError } from "./errors.ts";
import { MAX_TOPIC_CHARS } from "./limits.ts";
import { hasNameShape, MAX_NAME_CHARS, nameKey } from "./names.ts";

/** The room everyone joins at login, and where a `say` without a `room` goes. */
export const LOBBY = "#lobby";

/** Longest room name after its `#`, in characters. */
export const MAX_ROOM_NAME_CHARS = MAX_NAME_CHARS;

/** C0 and C1 controls, line breaks included: a topic is one line. */
const CONTROL = /[\p{Cc}]/u;

/**
 * Checks a proposed room name, returning `null` when it is acceptable (`ROOM_INVALID`
 * otherwise).
 *
 * @example
 * ```ts
 * import { checkRoomName } from "./room_rules.ts";
 * checkRoomName("#dev"); // null
 * checkRoomName("dev")?.code; // "ROOM_INVALID"
 * ```
 */
export function checkRoomName(room: string): ProtocolError | null {
  const unsafe = findUnsafeNameChar(room);
  if (unsafe !== null) {
    return { code: "ROOM_INVALID", message: `Room must not contain ${describeUnsafeChar(unsafe)}` };
  }
  if (!room.startsWith("#") || !hasNameShape(room.slice(1))) {
    return {
      code: "ROOM_INVALID",
      message: `Room must be '#' and 1 to ${MAX_ROOM_NAME_CHARS} letters, digits, '_', '-' ` +
        "or '.', not dots alone",
    };
  }
  return null;
}

/** The key under which a room name is unique: `#Dev` and `#dev` are one room. */
export function roomKey(room: string): string {
  return nameKey(room);
}

/**
 * Why a topic is refused (`TOPIC_INVALID`), or `null`: at most {@linkcode MAX_TOPIC_CHARS}
 * UTF-16 code units, no control characters. The empty topic clears it.
 *
 * @example
 * ```ts
 * import { checkTopic } from "./room_rules.ts";
 * checkTopic("Release on Friday"); // null
 * checkTopic("two\nlines")?.code; // "TOPIC_INVALID"
 * ```
 */
export function checkTopic(topic: string): ProtocolError | null {
  if (topic.length > MAX_TOPIC_CHARS) {
    return {
      code: "TOPIC_INVALID",
      message: `Topic must be at most ${MAX_TOPIC_CHARS} characters`,
    };
  }
  if (CONTROL.test(topic)) {
    return { code: "TOPIC_INVALID", message: "Topic must be one line without control characters" };
  }
  return null;
}
