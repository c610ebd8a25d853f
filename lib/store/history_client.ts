/**
 * The hub's handle on the history store, which runs in a Worker: SQLite's writes, transactions
 * and WAL checkpoints never stall the hub's event loop. `append` gives a message its id at once
 * and queues it; queued messages are posted in batches (at most {@linkcode POST_DELAY_MS} old,
 * or {@linkcode MAX_POST_MESSAGES} at once). Queries go the same way and are answered
 * asynchronously; a query is posted after the batches before it, so it sees them. What fails in
 * the Worker comes back as an event, never silently.
 * @module
 */

import type { SavedRoom, StoredMessage } from "../chat/hub_history.ts";
import { MAX_RESTING_ROOMS } from "../chat/limits.ts";
import type { FlushPolicyOptions } from "../core/flush_policy.ts";
import type { HistoryMessage, NewMessage } from "./history_message.ts";
import type { HistoryQuery } from "./history_query.ts";
import type { RetentionOptions } from "./retention.ts";
import { StoreError } from "./store_error.ts";
import type {
  StoreCallOp,
  StoreCalls,
  StoreReply,
  StoreRequest,
  WireError,
  WireEvent,
} from "./store_protocol.ts";

/** Longest a message waits on the hub's thread before its batch is posted to the Worker (ms). */
export const POST_DELAY_MS = 10;
/** Most messages posted to the Worker in one batch (messages); a full batch goes at once. */
export const MAX_POST_MESSAGES = 256;

/** Options of {@linkcode HistoryClient.open}. */
export interface HistoryClientOptions {
  /** Retention limits (default: keep everything). */
  retention?: RetentionOptions;
  /** When the Worker writes batches (defaults: the flush policy's constants). */
  batching?: FlushPolicyOptions;
  /** Told of write failures, recoveries, drops, pruning and a Worker that died. Must not throw. */
  onEvent?: (event: WireEvent) => void;
}

/** A call waiting for its answer. */
interface Waiting {
  resolve(value: unknown): void;
  reject(error: StoreError): void;
}

/**
 * The history store in its Worker.
 *
 * @example
 * ```ts ignore
 * import { HistoryClient } from "./history_client.ts";
 * const history = await HistoryClient.open("./data"); // throws StoreError, as HistoryStore.open
 * const id = history.append({ kind: "room", room: "#lobby", from: "ann", text: "hi", action: false, ts: Date.now() });
 * await history.history({ requester: "bob", conversation: { room: "#lobby" }, limit: 50 });
 * await history.close(); // 0: nothing lost
 * ```
 */
export class HistoryClient {
  readonly #worker: Worker;
  readonly #onEvent: (event: WireEvent) => void;
  readonly #waiting = new Map<number, Waiting>();
  #seq = 0;
  #lastId = 0;
  #rooms: SavedRoom[] = [];
  #outbox: StoredMessage[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Why the Worker is gone, once it is. */
  #dead: WireError | null = null;
  /** Messages appended after the Worker died: never written. */
  #lost = 0;
  #closed = false;

  private constructor(worker: Worker, onEvent: (event: WireEvent) => void) {
    this.#worker = worker;
    this.#onEvent = onEvent;
    worker.onmessage = (event: MessageEvent<StoreReply>) => this.#receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#die({ code: "STORE_FAILED", message: `History worker failed: ${event.message}` });
    };
  }

  /**
   * Starts the Worker and opens the history in data directory `dir` there. Rejects with a
   * {@linkcode StoreError} carrying the code `HistoryStore.open` would throw.
   */
  static async open(dir: string, options: HistoryClientOptions = {}): Promise<HistoryClient> {
    const url = new URL("./store_worker.ts", import.meta.url);
    const worker = new Worker(url.href, { type: "module" });
    const client = new HistoryClient(worker, options.onEvent ?? (() => {}));
    try {
      const { lastId, rooms } = await client.#call("open", {
        dir,
        maxRooms: MAX_RESTING_ROOMS,
        retention: options.retention ?? {},
        ...(options.batching === undefined ? {} : { batching: options.batching }),
      });
      client.#lastId = lastId;
      client.#rooms = rooms;
      return client;
    } catch (error) {
      client.#closed = true;
      worker.terminate();
      throw error;
    }
  }

  /** The id of the newest message appended (0 when there is none). */
  get lastId(): number {
    return this.#lastId;
  }

  /**
   * The rooms with history found at open (at most `MAX_RESTING_ROOMS`), the most recently
   * saved first: the hub restores them.
   */
  get rooms(): readonly SavedRoom[] {
    return this.#rooms;
  }

  /** Has the Worker keep a room's name and topic; a failure comes back as an event. */
  saveRoom(room: SavedRoom): void {
    if (this.#closed) throw new TypeError("Cannot save a room: the history store is closed");
    if (this.#dead === null) this.#post({ op: "room", room });
  }

  /** Gives `message` the next id and queues it for the Worker; returns the id. */
  append(message: NewMessage): number {
    if (this.#closed) throw new TypeError("Cannot append: the history store is closed");
    const id = ++this.#lastId;
    if (this.#dead !== null) {
      this.#lost++;
      return id;
    }
    this.#outbox.push({ ...message, id } as StoredMessage);
    if (this.#outbox.length >= MAX_POST_MESSAGES) this.#postBatch();
    else this.#timer ??= setTimeout(() => this.#postBatch(), POST_DELAY_MS);
    return id;
  }

  /** A conversation's messages for `query`, oldest first; rejects with a StoreError. */
  async history(query: HistoryQuery): Promise<HistoryMessage[]> {
    if (this.#closed) throw new TypeError("Cannot read: the history store is closed");
    this.#postBatch();
    return (await this.#call("history", { query })).messages;
  }

  /**
   * Posts what is queued, waits for the Worker to write everything and close the database, then
   * stops it; resolves with how many messages could not be written. Idempotent.
   */
  async close(): Promise<number> {
    if (this.#closed) return 0;
    this.#postBatch();
    this.#closed = true;
    let lost = this.#lost;
    try {
      lost += (await this.#call("close", {})).lost;
    } catch {
      // The Worker died first: what it had not written is lost, and was reported then.
    }
    this.#worker.terminate();
    return lost;
  }

  #postBatch(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#outbox.length === 0 || this.#dead !== null) return;
    const messages = this.#outbox;
    this.#outbox = [];
    this.#post({ op: "append", messages });
  }

  #call<K extends StoreCallOp>(
    op: K,
    request: StoreCalls[K]["request"],
  ): Promise<StoreCalls[K]["answer"]> {
    if (this.#dead !== null) return Promise.reject(storeError(this.#dead));
    const seq = ++this.#seq;
    const { promise, resolve, reject } = Promise.withResolvers<StoreCalls[K]["answer"]>();
    this.#waiting.set(seq, { resolve: resolve as (value: unknown) => void, reject });
    this.#post({ op, seq, ...request } as StoreRequest);
    return promise;
  }

  #post(request: StoreRequest): void {
    this.#worker.postMessage(request);
  }

  #receive(reply: StoreReply): void {
    if (reply.op === "event") return this.#onEvent(reply.event);
    const waiting = this.#waiting.get(reply.seq);
    this.#waiting.delete(reply.seq);
    if (reply.op === "answer") waiting?.resolve(reply.value);
    else waiting?.reject(storeError(reply.error));
  }

  #die(error: WireError): void {
    if (this.#dead !== null) return;
    this.#dead = error;
    this.#lost += this.#outbox.length;
    this.#onEvent({ type: "append_failed", error, count: this.#outbox.length });
    this.#outbox = [];
    for (const waiting of this.#waiting.values()) waiting.reject(storeError(error));
    this.#waiting.clear();
  }
}

function storeError(error: WireError): StoreError {
  return new StoreError(error.code, error.message);
}
