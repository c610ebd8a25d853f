/**
 * A message as the history keeps it, and the conversation it belongs to: a room, or the two
 * parties of a private conversation.
 * @module
 */

import type { StoredMessage } from "../chat/hub_history.ts";

/**
 * A stored message: a broadcast in a room or a private message between two users. The hub's
 * own shape (`StoredMessage`), so that what the hub records is what the store keeps.
 */
export type HistoryMessage = StoredMessage;

/** A message handed to the store, which gives it its id. */
export type NewMessage = HistoryMessage extends infer M ? M extends unknown ? Omit<M, "id"> : never
  : never;

/** Whose history a query reads: a room's, or the requester's private conversation with `peer`. */
export type Conversation = { room: string } | { peer: string };

/**
 * The key a conversation is stored under. Rooms and names are unique ignoring case, so keys are
 * lower-cased; a private conversation is keyed by its two parties in order, joined by a space (a
 * character no name may hold), so both parties find the same lines and nobody else does.
 *
 * @example
 * ```ts
 * import { conversationKey } from "./history_message.ts";
 * conversationKey("private", "Bob", "alice"); // "alice bob"
 * conversationKey("room", "#Lobby"); // "#lobby"
 * ```
 */
export function conversationKey(kind: "room" | "private", first: string, second = ""): string {
  if (kind === "room") return first.toLowerCase();
  const a = first.toLowerCase();
  const b = second.toLowerCase();
  return a <= b ? `${a} ${b}` : `${b} ${a}`;
}

/** The key of the conversation `message` belongs to. */
export function keyOfMessage(message: NewMessage): string {
  return message.kind === "room"
    ? conversationKey("room", message.room)
    : conversationKey("private", message.from, message.to);
}

/** The key of the conversation a query by `requester` reads. */
export function keyOfConversation(requester: string, conversation: Conversation): string {
  return "room" in conversation
    ? conversationKey("room", conversation.room)
    : conversationKey("private", requester, conversation.peer);
}
