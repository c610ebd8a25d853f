/**
 * What the store's Worker does with each request: owns the {@linkcode HistoryStore}, answers
 * calls and reports what goes wrong as events. Separate from the Worker's entry point so that a
 * test can drive it on its own thread.
 * @module
 */

import type { SavedRoom, StoredMessage } from "../chat/hub_history.ts";
import { HistoryStore, type StoreEvent } from "./history_store.ts";
import { describeCause, StoreError } from "./store_error.ts";
import type {
  StoreCallOp,
  StoreCalls,
  StoreReply,
  StoreRequest,
  WireError,
  WireEvent,
} from "./store_protocol.ts";

/**
 * The Worker's side of the store: one request at a time, in the order they were posted, so a
 * query sees every batch posted before it.
 *
 * @example
 * ```ts ignore
 * const service = new StoreService((reply) => self.postMessage(reply));
 * self.onmessage = (event) => service.handle(event.data);
 * ```
 */
export class StoreService {
  readonly #post: (reply: StoreReply) => void;
  #store: HistoryStore | null = null;

  constructor(post: (reply: StoreReply) => void) {
    this.#post = post;
  }

  /** Carries out `request`; never throws (a failure is an answer or an event). */
  handle(request: StoreRequest): void {
    if (request.op === "append") return this.#append(request.messages);
    if (request.op === "room") return this.#saveRoom(request.room);
    try {
      this.#post({ op: "answer", seq: request.seq, value: this.#call(request) });
    } catch (error) {
      this.#post({ op: "failed", seq: request.seq, error: wireError(error) });
    }
  }

  #call(
    request: Exclude<StoreRequest, { op: "append" | "room" }>,
  ): StoreCalls[StoreCallOp]["answer"] {
    switch (request.op) {
      case "open":
        return this.#open(request);
      case "history":
        return { messages: this.#opened().history(request.query) };
      case "close": {
        const lost = this.#store?.close() ?? 0;
        this.#store = null;
        return { lost };
      }
    }
  }

  #open(request: StoreCalls["open"]["request"]): StoreCalls["open"]["answer"] {
    if (this.#store !== null) throw new TypeError("Cannot open: the history store is open");
    this.#store = HistoryStore.open(request.dir, {
      retention: request.retention,
      ...(request.batching === undefined ? {} : { batching: request.batching }),
      onEvent: (event) => this.#post({ op: "event", event: wireEvent(event) }),
    });
    return { lastId: this.#store.lastId, rooms: this.#store.rooms(request.maxRooms) };
  }

  #append(messages: readonly StoredMessage[]): void {
    let kept = 0;
    try {
      const store = this.#opened();
      for (const { id, ...rest } of messages) {
        const stored = store.append(rest);
        kept++;
        if (stored !== id) this.#event({ type: "id_mismatch", expected: id, stored });
      }
    } catch (error) {
      const count = messages.length - kept;
      this.#event({ type: "append_failed", error: wireError(error), count });
    }
  }

  #saveRoom(room: SavedRoom): void {
    try {
      this.#opened().saveRoom(room);
    } catch (error) {
      this.#event({ type: "append_failed", error: wireError(error), count: 0 });
    }
  }

  #opened(): HistoryStore {
    if (this.#store === null) throw new TypeError("Cannot use history: the store is not open");
    return this.#store;
  }

  #event(event: WireEvent): void {
    this.#post({ op: "event", event });
  }
}

/** `error` as it crosses the thread boundary. */
export function wireError(error: unknown): WireError {
  const code = error instanceof StoreError ? error.code : "STORE_FAILED";
  return { code, message: describeCause(error) };
}

function wireEvent(event: StoreEvent): WireEvent {
  if (event.type === "write_failed" || event.type === "dropped") {
    return { ...event, error: wireError(event.error) };
  }
  return event;
}
