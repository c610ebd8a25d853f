/**
 * The history database's schema, versioned by `PRAGMA user_version`: each entry of the
 * migrations list brings a database from the version before it to its own, so a database of
 * any older version is brought up to date in one transaction at open.
 *
 * Table `messages`: `id` the stable message id (AUTOINCREMENT, so an id is never given twice even
 * after the newest messages were pruned), `kind` 0 for a room and 1 for a private message,
 * `conversation` the lower-cased room name or the two parties' names in order (see
 * `conversationKey`), `room` the room name as given, `sender`, `recipient` (private messages),
 * `text`, `action` 0 or 1, `ts` the hub's wall-clock time in ms since the epoch (not indexed:
 * retention reads the oldest rows by id, which follows time, so writes keep one index to update).
 *
 * Table `rooms` (version 2): the rooms with history, so that they outlive their last member and a
 * restart: `conversation` the lower-cased name, `name` as spelt, the topic (`topic`, `topic_by`,
 * `topic_ts`, null when none), `saved` increasing with each save (the most recent rooms are the
 * ones restored).
 * Table `accounts` (version 3): `key` the lower-cased name (see `nameKey`), `name` as it was
 * registered, `salt` and `hash` the scrypt salt and derived key, `n`, `r`, `p` the scrypt
 * parameters the row was hashed with (kept per row, so stronger defaults later leave old rows
 * readable), `created` and `changed` the wall-clock times in ms since the epoch.
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind INTEGER NOT NULL CHECK (kind IN (0, 1)),
    conversation TEXT NOT NULL,
    room TEXT,
    sender TEXT NOT NULL,
    recipient TEXT,
    text TEXT NOT NULL,
    action INTEGER NOT NULL CHECK (action IN (0, 1)),
    ts INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX messages_by_conversation ON messages (kind, conversation, id);`,
  // Rooms with history: filled at migration from the messages kept so far.
  `CREATE TABLE rooms (
    conversation TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    topic TEXT,
    topic_by TEXT,
    topic_ts INTEGER,
    saved INTEGER NOT NULL
  ) STRICT;
  INSERT INTO rooms (conversation, name, saved)
    SELECT conversation, room, max(id) FROM messages WHERE kind = 0 GROUP BY conversation;`,
  // Accounts: registered names and their scrypt hashes.
  `CREATE TABLE accounts (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    n INTEGER NOT NULL,
    r INTEGER NOT NULL,
    p INTEGER NOT NULL,
    created INTEGER NOT NULL,
    changed INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;`,
];

/** The schema version this program writes: the number of migrations. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings a database at schema `from` up to {@linkcode SCHEMA_VERSION} and stamps it with
 * `applicationId`, in one write transaction; it runs even when nothing is to migrate, which
 * proves at open that the file can be written.
 */
export function migrate(db: DatabaseSync, from: number, applicationId: number): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const step of MIGRATIONS.slice(from)) db.exec(step);
    db.exec(`PRAGMA application_id = ${applicationId}`);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
