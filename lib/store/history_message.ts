/**
 * A message as the history keeps it, and the conversation it belongs to: a room, or the two
 * parties of a private conversation.
 * @module
 */

/** A stored message: a broadcast in a room or a private message between two users. */
export type HistoryMessage =
  | {
    /** Stable id, increasing in the order messages were appended. */
    id: number;
    kind: "room";
    /** The room's name as it was given. */
    room: string;
    from: string;
    text: string;
    /** The text says what `from` does (`/me waves`). */
    action: boolean;
    /** Wall-clock time the hub gave the message, ms since the epoch. */
    ts: number;
  }
  | {
    id: number;
    kind: "private";
    from: string;
    to: string;
    text: string;
    action: boolean;
    ts: number;
  };

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
