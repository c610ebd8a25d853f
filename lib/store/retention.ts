/**
 * Retention: messages older than `maxAgeDays` go, and each conversation (a room, or a private
 * conversation) keeps its newest `maxPerConversation`. A pass deletes at most
 * {@linkcode PRUNE_BATCH_ROWS} rows per rule and conversation, so one pass never stalls the
 * hub for long; a pass that hit the bound says so and the store runs another soon.
 * @module
 */

import type { DatabaseSync, StatementSync } from "node:sqlite";

/** Most rows one retention statement deletes (rows); the rest waits for the next pass. */
export const PRUNE_BATCH_ROWS = 10_000;
/** Milliseconds in a day, for `maxAgeDays`. */
export const DAY_MS = 86_400_000;

/** Retention limits; a limit left out does not apply. */
export interface RetentionOptions {
  /** Messages older than this many days (by their wall-clock time) are deleted (> 0). */
  maxAgeDays?: number;
  /** Each room or private conversation keeps at most its newest this many messages (≥ 1). */
  maxPerConversation?: number;
}

/** A conversation as retention names it: `kind` 0 (room) or 1 (private), and its key. */
export interface ConversationRef {
  kind: number;
  key: string;
}

/** Runs retention passes over the `messages` table. */
export class Retention {
  readonly #db: DatabaseSync;
  readonly #maxAgeMs: number | null;
  readonly #maxPer: number | null;
  readonly #byAge: StatementSync;
  readonly #byCount: StatementSync;

  /** Throws RangeError on a limit out of range. */
  constructor(db: DatabaseSync, options: RetentionOptions = {}) {
    const { maxAgeDays, maxPerConversation } = options;
    if (maxAgeDays !== undefined && !(maxAgeDays > 0 && Number.isFinite(maxAgeDays))) {
      throw new RangeError(`maxAgeDays must be a positive number, not ${maxAgeDays}`);
    }
    if (
      maxPerConversation !== undefined &&
      !(Number.isSafeInteger(maxPerConversation) && maxPerConversation >= 1)
    ) {
      throw new RangeError(
        `maxPerConversation must be a positive integer, not ${maxPerConversation}`,
      );
    }
    this.#db = db;
    this.#maxAgeMs = maxAgeDays === undefined ? null : maxAgeDays * DAY_MS;
    this.#maxPer = maxPerConversation ?? null;
    // The oldest rows by id are the oldest by time (ids follow appends), so the age rule reads
    // at most a batch of them instead of keeping an index on `ts` for every write to update; a
    // row whose clock was behind goes in a later pass, once the rows before it are gone.
    this.#byAge = db.prepare(
      `DELETE FROM messages WHERE id IN (SELECT id FROM
        (SELECT id, ts FROM messages ORDER BY id LIMIT ?2) WHERE ts < ?1)`,
    );
    // The newest `maxPer` of the conversation stay: everything at or below the id just past them.
    this.#byCount = db.prepare(
      `DELETE FROM messages WHERE id IN (SELECT id FROM messages
        WHERE kind = ?1 AND conversation = ?2 AND id <= (SELECT id FROM messages
          WHERE kind = ?1 AND conversation = ?2 ORDER BY id DESC LIMIT 1 OFFSET ?3)
        ORDER BY id LIMIT ?4)`,
    );
  }

  /** Whether any limit applies. */
  get active(): boolean {
    return this.#maxAgeMs !== null || this.#maxPer !== null;
  }

  /** Every conversation in the database (for the first pass after open). */
  conversations(): ConversationRef[] {
    if (this.#maxPer === null) return [];
    const rows = this.#db.prepare("SELECT DISTINCT kind, conversation FROM messages").all();
    return rows.map((row) => ({ kind: Number(row.kind), key: String(row.conversation) }));
  }

  /**
   * One pass at wall-clock time `wallNow` (ms since the epoch) over the age limit and the
   * conversations in `touched`; returns the rows deleted and whether a bound was hit (more to do).
   */
  prune(wallNow: number, touched: Iterable<ConversationRef>): { deleted: number; more: boolean } {
    let deleted = 0;
    let more = false;
    const run = (statement: StatementSync, ...args: (number | string)[]) => {
      const changes = Number(statement.run(...args, PRUNE_BATCH_ROWS).changes);
      deleted += changes;
      if (changes >= PRUNE_BATCH_ROWS) more = true;
    };
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      if (this.#maxAgeMs !== null) run(this.#byAge, wallNow - this.#maxAgeMs);
      if (this.#maxPer !== null) {
        for (const { kind, key } of touched) run(this.#byCount, kind, key, this.#maxPer);
      }
      this.#db.exec("COMMIT");
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
    return { deleted, more };
  }
}
