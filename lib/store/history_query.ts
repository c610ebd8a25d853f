/**
 * History queries in the shape of IRCv3 CHATHISTORY: a room's or a private conversation's
 * latest messages, or those before or after a message id, with a limit capped at
 * {@linkcode MAX_HISTORY_LIMIT}. A private conversation is always the requester's own with
 * `peer`: the query cannot name two other people, so it cannot read their lines.
 * @module
 */

import { MAX_HISTORY_LIMIT } from "../chat/limits.ts";
import type { RangeRead } from "./message_table.ts";
import {
  type Conversation,
  type HistoryMessage,
  keyOfConversation,
  keyOfMessage,
} from "./history_message.ts";

export { MAX_HISTORY_LIMIT };

/**
 * A history query. Neither `before` nor `after`: the latest `limit` messages. `before` (with or
 * without `after`): the last `limit` messages with an id below it (and above `after`). `after`
 * alone: the first `limit` messages with an id above it, the catch-up of a client that
 * reconnects. Results are oldest first.
 */
export interface HistoryQuery {
  /** The user asking, as the hub knows them; private history is theirs only. */
  requester: string;
  conversation: Conversation;
  /** Exclusive upper bound, a message id. */
  before?: number;
  /** Exclusive lower bound, a message id. */
  after?: number;
  /** Messages wanted, 0 or more; above {@linkcode MAX_HISTORY_LIMIT} it is cut to that. */
  limit: number;
}

/** The read a query asks for. Throws RangeError on a bad limit, id or name (a caller's bug). */
export function planRead(query: HistoryQuery): RangeRead {
  const { requester, conversation, limit } = query;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`Bad history limit ${limit}`);
  const after = bound(query.after, 0);
  const before = bound(query.before, Number.MAX_SAFE_INTEGER);
  const private_ = !("room" in conversation);
  if (private_ && (!isName(requester) || !isName(conversation.peer))) {
    throw new RangeError("Cannot read private history: requester and peer must be names");
  }
  return {
    kind: private_ ? "private" : "room",
    key: keyOfConversation(requester, conversation),
    after,
    before,
    limit: Math.min(limit, MAX_HISTORY_LIMIT),
    from: query.after !== undefined && query.before === undefined ? "oldest" : "newest",
  };
}

/** The pending messages `read` selects, oldest first (`pending` is in id order). */
export function takeFromMemory(
  pending: readonly HistoryMessage[],
  read: RangeRead,
): HistoryMessage[] {
  const matches = pending.filter((message) =>
    message.kind === read.kind && message.id > read.after && message.id < read.before &&
    keyOfMessage(message) === read.key
  );
  return read.from === "oldest" ? matches.slice(0, read.limit) : matches.slice(-read.limit);
}

function bound(id: number | undefined, fallback: number): number {
  if (id === undefined) return fallback;
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`Bad message id ${id}`);
  return id;
}

/** A non-empty name without a space: the space joins the two parties in a conversation key. */
function isName(name: string): boolean {
  return name.length > 0 && !name.includes(" ");
}
