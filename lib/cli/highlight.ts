/**
 * Which messages call for the user's attention: a private message, or one that names them.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import { nameKey } from "../chat/names.ts";

/** Characters a user name is made of; a mention must not run into more of them. */
const NAME_CHAR = "[A-Za-z0-9_-]";

/**
 * Whether `text` names `name` as a word of its own, ignoring case: `alice`, `Alice:`, `@alice`
 * and `alice.` do; `malice`, `alice_b` and `alice.txt` do not.
 *
 * @example
 * ```ts
 * import { mentions } from "./highlight.ts";
 * mentions("hi Alice, lunch?", "alice"); // true
 * mentions("such malice", "alice"); // false
 * ```
 */
export function mentions(text: string, name: string): boolean {
  if (name === "") return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
  const word = new RegExp(`(?<!${NAME_CHAR}|\\.)${escaped}(?!${NAME_CHAR}|\\.${NAME_CHAR})`, "i");
  return word.test(text);
}

/**
 * Whether an event from the hub should ring the bell and stand out for the user `me`: a
 * private message from someone else, or a message to everyone that mentions `me`.
 */
export function callsForAttention(message: ServerMessage, me: string): boolean {
  if (message.type !== "message" || nameKey(message.from) === nameKey(me)) return false;
  return message.to !== undefined || mentions(message.text, me);
}
