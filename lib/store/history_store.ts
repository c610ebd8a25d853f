/**
 * The message history: a thin driver over SQLite and the sans-IO {@linkcode FlushPolicy}.
 * `append` gives a message its id at once and keeps it in memory; a timer writes what is pending
 * in one transaction per batch (at most a second old, or a full batch), so the caller never
 * waits on the disk. A failed write is reported to `onEvent` and retried, the messages kept up
 * to {@linkcode MAX_PENDING_MESSAGES}. Queries see pending messages too.
 * @module
 */

import { FlushPolicy, type FlushPolicyOptions, MAX_BATCH_ITEMS } from "../core/flush_policy.ts";
import { openDatabase } from "./open_database.ts";
import { MessageTable } from "./message_table.ts";
import { RoomTable } from "./room_table.ts";
import type { SavedRoom } from "../chat/hub_history.ts";
import { type ConversationRef, Retention, type RetentionOptions } from "./retention.ts";
import { describeCause, StoreError } from "./store_error.ts";
import type { HistoryMessage, NewMessage } from "./history_message.ts";
import { keyOfMessage } from "./history_message.ts";
import { type HistoryQuery, planRead, takeFromMemory } from "./history_query.ts";

/** Most messages kept in memory while writes fail (messages); past it the oldest are dropped. */
export const MAX_PENDING_MESSAGES = 100_000;
/** Share of the pending bound dropped at once when it is reached, so drops come in batches. */
const DROP_FRACTION = 0.1;

/** What the store reports after open; it never throws these into `append`. */
export type StoreEvent =
  | { type: "write_failed"; error: StoreError; pending: number; failures: number }
  | { type: "write_recovered"; failures: number }
  | { type: "dropped"; error: StoreError; count: number }
  | { type: "pruned"; deleted: number };

/** Options of {@linkcode HistoryStore.open}. */
export interface HistoryStoreOptions {
  /** Retention limits (default: keep everything). */
  retention?: RetentionOptions;
  /** When batches are written (defaults: the policy's constants). */
  batching?: FlushPolicyOptions;
  /** Pending bound while writes fail (default {@linkcode MAX_PENDING_MESSAGES}). */
  maxPending?: number;
  /** Told of write failures, recoveries, drops and pruning. Must not throw. */
  onEvent?: (event: StoreEvent) => void;
}

/**
 * The history store.
 *
 * @example
 * ```ts ignore
 * import { HistoryStore } from "./history_store.ts";
 * const store = HistoryStore.open("./data", { retention: { maxAgeDays: 30 } });
 * const id = store.append({ kind: "room", room: "#lobby", from: "alice", text: "hi", action: false, ts: Date.now() });
 * store.history({ requester: "bob", conversation: { room: "#lobby" }, limit: 50 });
 * store.close();
 * ```
 */
export class HistoryStore {
  readonly #open: ReturnType<typeof openDatabase>;
  readonly #table: MessageTable;
  readonly #rooms: RoomTable;
  readonly #retention: Retention;
  readonly #policy: FlushPolicy;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  readonly #onEvent: (event: StoreEvent) => void;
  /** Appended and not yet written, in id order; every id here is above every id on disk. */
  #pending: HistoryMessage[] = [];
  #lastId: number;
  /** Conversations written since the last retention pass (null: all, the first pass). */
  #touched: Map<string, ConversationRef> | null = null;
  #pruneMore = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #timerAt: number | null = null;
  #closed = false;

  private constructor(open: ReturnType<typeof openDatabase>, options: HistoryStoreOptions) {
    this.#open = open;
    this.#table = new MessageTable(open.db);
    this.#rooms = new RoomTable(open.db);
    this.#retention = new Retention(open.db, options.retention);
    this.#policy = new FlushPolicy(options.batching);
    this.#maxBatch = options.batching?.maxItems ?? MAX_BATCH_ITEMS;
    this.#maxPending = options.maxPending ?? MAX_PENDING_MESSAGES;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#lastId = this.#table.lastId();
  }

  /**
   * Opens the history in data directory `dir`. Throws {@linkcode StoreError} (see its codes)
   * when the directory or the database cannot be used; RangeError on a bad option.
   */
  static open(dir: string, options: HistoryStoreOptions = {}): HistoryStore {
    const open = openDatabase(dir);
    try {
      return new HistoryStore(open, options);
    } catch (error) {
      open.db.close();
      open.lock.close();
      throw error;
    }
  }

  /** The id of the newest message appended (0 when there is none). */
  get lastId(): number {
    return this.#lastId;
  }

  /** Messages appended and not yet written. */
  get pending(): number {
    return this.#pending.length;
  }

  /**
   * Gives `message` the next id and queues it for writing; returns the id. Never touches the
   * disk. Throws TypeError once closed, RangeError on a `ts` that is not an integer.
   */
  append(message: NewMessage): number {
    if (this.#closed) throw new TypeError("Cannot append: the history store is closed");
    if (!Number.isSafeInteger(message.ts)) throw new RangeError(`Bad message time ${message.ts}`);
    if (this.#pending.length >= this.#maxPending) this.#drop();
    const id = ++this.#lastId;
    this.#pending.push({ ...message, id });
    const now = performance.now();
    this.#policy.add(now);
    if (this.#policy.deadline() !== this.#timerAt) this.#arm(now);
    return id;
  }

  /**
   * Keeps a room's name and topic (it has history): written at once, a failure reported to
   * `onEvent`. Throws TypeError once closed.
   */
  saveRoom(room: SavedRoom): void {
    if (this.#closed) throw new TypeError("Cannot save a room: the history store is closed");
    try {
      this.#rooms.save(room);
    } catch (cause) {
      const message = `Cannot keep room ${room.name}: ${describeCause(cause)}`;
      const error = new StoreError("WRITE_FAILED", message, { cause });
      this.#onEvent({ type: "write_failed", error, pending: this.#pending.length, failures: 0 });
    }
  }

  /** At most `limit` rooms with history, the most recently saved first. */
  rooms(limit: number): SavedRoom[] {
    if (this.#closed) throw new TypeError("Cannot read: the history store is closed");
    return this.#rooms.recent(limit);
  }

  /** A conversation's messages for `query` (see {@linkcode HistoryQuery}), oldest first. */
  history(query: HistoryQuery): HistoryMessage[] {
    if (this.#closed) throw new TypeError("Cannot read: the history store is closed");
    const read = planRead(query);
    if (read.limit === 0) return [];
    // Every pending id is above every id on disk: the disk holds the older part of any range.
    if (read.from === "newest") {
      const memory = takeFromMemory(this.#pending, read);
      if (memory.length >= read.limit) return memory;
      return [...this.#table.read({ ...read, limit: read.limit - memory.length }), ...memory];
    }
    const disk = this.#table.read(read);
    if (disk.length >= read.limit) return disk;
    return [
      ...disk,
      ...takeFromMemory(this.#pending, { ...read, limit: read.limit - disk.length }),
    ];
  }

  /**
   * Writes every pending message now, a batch per transaction; returns whether all were
   * written (a failure is reported to `onEvent` and the messages stay pending).
   */
  flush(): boolean {
    while (this.#pending.length > 0) {
      if (!this.#writeBatch(performance.now())) return false;
    }
    return true;
  }

  /**
   * Writes everything pending, then closes the database and releases the directory; returns
   * how many messages could not be written (0 unless writes are failing). Idempotent.
   */
  close(): number {
    if (this.#closed) return 0;
    this.#closed = true;
    this.#disarm();
    const lost = this.flush() ? 0 : this.#pending.length;
    this.#pending = [];
    this.#open.db.close();
    this.#open.lock.close();
    return lost;
  }

  #wake(): void {
    this.#timer = null;
    this.#timerAt = null;
    const now = performance.now();
    if (this.#policy.due(now)) this.#writeBatch(now);
    if (this.#pending.length === 0 && (this.#pruneMore || this.#policy.pruneDue(now))) {
      this.#prune(now);
    }
    this.#arm(now);
  }

  /** Writes the oldest batch; returns whether it was written. */
  #writeBatch(now: number): boolean {
    const batch = this.#pending.slice(0, this.#maxBatch);
    try {
      this.#table.insert(batch);
    } catch (cause) {
      this.#policy.failed(now);
      const error = new StoreError(
        "WRITE_FAILED",
        `Cannot write history: ${describeCause(cause)}`,
        {
          cause,
        },
      );
      const { failures } = this.#policy;
      this.#onEvent({ type: "write_failed", error, pending: this.#pending.length, failures });
      return false;
    }
    const failures = this.#policy.failures;
    this.#pending.splice(0, batch.length);
    this.#policy.written(now, batch.length);
    this.#touch(batch);
    if (failures > 0) this.#onEvent({ type: "write_recovered", failures });
    return true;
  }

  #touch(batch: readonly HistoryMessage[]): void {
    if (this.#touched === null || !this.#retention.active) return;
    for (const message of batch) {
      const key = keyOfMessage(message);
      this.#touched.set(`${message.kind}:${key}`, { kind: message.kind === "room" ? 0 : 1, key });
    }
  }

  #prune(now: number): void {
    this.#policy.pruned(now);
    if (!this.#retention.active) return;
    try {
      const touched = this.#touched ?? this.#retention.conversations();
      this.#touched = new Map();
      const { deleted, more } = this.#retention.prune(Date.now(), touched.values());
      this.#pruneMore = more;
      if (more) {
        for (const ref of touched.values()) this.#touched.set(`${ref.kind}:${ref.key}`, ref);
      }
      if (deleted > 0) this.#onEvent({ type: "pruned", deleted });
    } catch (cause) {
      const error = new StoreError(
        "WRITE_FAILED",
        `Cannot prune history: ${describeCause(cause)}`,
        {
          cause,
        },
      );
      this.#onEvent({ type: "write_failed", error, pending: this.#pending.length, failures: 0 });
    }
  }

  #drop(): void {
    const count = Math.max(1, Math.ceil(this.#maxPending * DROP_FRACTION));
    this.#pending.splice(0, count);
    this.#policy.dropped(count);
    const error = new StoreError(
      "HISTORY_DROPPED",
      `History lost ${count} messages: writes kept failing with ${this.#maxPending} pending`,
    );
    this.#onEvent({ type: "dropped", error, count });
  }

  /** Arms the one timer at the policy's deadline, or a pass of retention still to finish. */
  #arm(now: number): void {
    const deadline = this.#policy.deadline() ?? (this.#pruneMore ? now : null);
    if (deadline === this.#timerAt) return;
    this.#disarm();
    if (deadline === null) return;
    this.#timerAt = deadline;
    this.#timer = setTimeout(() => this.#wake(), Math.max(0, deadline - now));
  }

  #disarm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerAt = null;
  }
}
