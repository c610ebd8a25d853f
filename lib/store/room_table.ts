/**
 * The `rooms` table's statements: a room with history saved (name and topic), and the rooms to
 * restore at start, the most recently saved first, those whose messages retention deleted left out.
 * @module
 */

import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { SavedRoom } from "../chat/hub_history.ts";
import { conversationKey } from "./history_message.ts";

/** Prepared statements over the `rooms` table of an open history database. */
export class RoomTable {
  readonly #save: StatementSync;
  readonly #recent: StatementSync;

  constructor(db: DatabaseSync) {
    this.#save = db.prepare(
      `INSERT INTO rooms (conversation, name, topic, topic_by, topic_ts, saved)
        VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(saved), 0) + 1 FROM rooms))
        ON CONFLICT (conversation) DO UPDATE SET name = excluded.name, topic = excluded.topic,
          topic_by = excluded.topic_by, topic_ts = excluded.topic_ts, saved = excluded.saved`,
    );
    this.#recent = db.prepare(
      `SELECT name, topic, topic_by, topic_ts FROM rooms AS r
        WHERE EXISTS (SELECT 1 FROM messages WHERE kind = 0 AND conversation = r.conversation)
        ORDER BY saved DESC LIMIT ?`,
    );
  }

  /** Saves `room` (its topic replacing the one saved), as the most recent. */
  save(room: SavedRoom): void {
    const { topic } = room;
    this.#save.run(
      conversationKey("room", room.name),
      room.name,
      topic?.text ?? null,
      topic?.by ?? null,
      topic?.ts ?? null,
    );
  }

  /** At most `limit` rooms that still have messages, the most recently saved first. */
  recent(limit: number): SavedRoom[] {
    return this.#recent.all(limit).map((row) => ({
      name: String(row.name),
      topic: row.topic === null
        ? null
        : { text: String(row.topic), by: String(row.topic_by), ts: Number(row.topic_ts) },
    }));
  }
}
