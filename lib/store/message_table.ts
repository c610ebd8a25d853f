/**
 * The `messages` table's statements: a batch written in one transaction, a conversation's
 * messages read in either direction between two ids, and the highest id ever given.
 * @module
 */

import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import { type HistoryMessage, keyOfMessage } from "./history_message.ts";

const COLUMNS = "id, kind, conversation, room, sender, recipient, text, action, ts";
const KIND_ROOM = 0;
const KIND_PRIVATE = 1;

/** Which end of a range a read starts from. */
export type ReadOrder = "oldest" | "newest";

/** A read of one conversation: ids strictly between `after` and `before`, at most `limit`. */
export interface RangeRead {
  kind: "room" | "private";
  key: string;
  after: number;
  before: number;
  limit: number;
  /** `oldest`: the first `limit` after `after`; `newest`: the last `limit` before `before`. */
  from: ReadOrder;
}

/** Prepared statements over an open history database. */
export class MessageTable {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #oldestFirst: StatementSync;
  readonly #newestFirst: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO messages (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const range = `SELECT ${COLUMNS} FROM messages
      WHERE kind = ? AND conversation = ? AND id > ? AND id < ?`;
    this.#oldestFirst = db.prepare(`${range} ORDER BY id ASC LIMIT ?`);
    this.#newestFirst = db.prepare(`${range} ORDER BY id DESC LIMIT ?`);
  }

  /** The highest id ever given (pruned messages included), 0 for a new database. */
  lastId(): number {
    const row = this.#db.prepare(
      `SELECT max(coalesce((SELECT max(id) FROM messages), 0),
        coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0)) AS id`,
    ).get();
    return Number(row?.id ?? 0);
  }

  /** Writes `messages` in one transaction: all of them or, on an error (thrown), none. */
  insert(messages: readonly HistoryMessage[]): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      for (const message of messages) this.#insert.run(...rowOf(message));
      this.#db.exec("COMMIT");
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** The messages of `read`, oldest first whichever end the read starts from. */
  read(read: RangeRead): HistoryMessage[] {
    const kind = read.kind === "room" ? KIND_ROOM : KIND_PRIVATE;
    const statement = read.from === "oldest" ? this.#oldestFirst : this.#newestFirst;
    const rows = statement.all(kind, read.key, read.after, read.before, read.limit);
    const messages = rows.map(messageOf);
    return read.from === "oldest" ? messages : messages.reverse();
  }
}

function rowOf(message: HistoryMessage): SQLInputValue[] {
  const action = message.action ? 1 : 0;
  const key = keyOfMessage(message);
  return message.kind === "room"
    ? [
      message.id,
      KIND_ROOM,
      key,
      message.room,
      message.from,
      null,
      message.text,
      action,
      message.ts,
    ]
    : [
      message.id,
      KIND_PRIVATE,
      key,
      null,
      message.from,
      message.to,
      message.text,
      action,
      message.ts,
    ];
}

function messageOf(row: Record<string, unknown>): HistoryMessage {
  const common = {
    id: Number(row.id),
    from: String(row.sender),
    text: String(row.text),
    action: row.action === 1,
    ts: Number(row.ts),
  };
  return row.kind === KIND_ROOM
    ? { ...common, kind: "room", room: String(row.room) }
    : { ...common, kind: "private", to: String(row.recipient) };
}
