/**
 * Room names as IRC channels: `#` and 1 to the hub's limit of the user-name characters,
 * compared ignoring ASCII case (`CASEMAPPING=ascii`).
 * @module
 */

const ROOM_CHARS = /^#[A-Za-z0-9_.-]+$/;

/**
 * Whether `name` is a room name of at most `maxChars` characters after the `#`.
 *
 * @example
 * ```ts
 * import { isRoomName } from "./room_name.ts";
 * isRoomName("#lobby", 32); // true
 * isRoomName("lobby", 32); // false
 * ```
 */
export function isRoomName(name: string, maxChars: number): boolean {
  return name.length >= 2 && name.length <= maxChars + 1 && ROOM_CHARS.test(name);
}

/** The key under which names (rooms and nicks) are unique: ASCII lower case. */
export function ircKey(name: string): string {
  return name.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}
