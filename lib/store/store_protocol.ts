/**
 * The messages between the hub's thread and the store's Worker. One message per operation
 * kind: a request names its `op` and, when it wants an answer, a `seq` the answer carries back.
 * Adding a table (accounts, say) is adding ops here and their handlers in the Worker. Both ends
 * are our own code, on one machine, so the shapes are trusted; what SQLite or the disk refuses
 * travels as a {@linkcode WireError} with a stable code.
 * @module
 */

import type { SavedRoom, StoredMessage } from "../chat/hub_history.ts";
import type { HistoryQuery } from "./history_query.ts";
import type { HistoryMessage } from "./history_message.ts";
import type { RetentionOptions } from "./retention.ts";
import type { StoreErrorCode } from "./store_error.ts";
import type { FlushPolicyOptions } from "../core/flush_policy.ts";

/** Operations that want an answer, each with what it answers. */
export interface StoreCalls {
  /**
   * Opens the history in `dir`; answers the newest message id and at most `maxRooms` rooms
   * with history, the most recently saved first.
   */
  open: {
    request: {
      dir: string;
      retention: RetentionOptions;
      batching?: FlushPolicyOptions;
      maxRooms: number;
    };
    answer: { lastId: number; rooms: SavedRoom[] };
  };
  /** A conversation's messages (pending ones too), oldest first. */
  history: { request: { query: HistoryQuery }; answer: { messages: HistoryMessage[] } };
  /** Writes everything pending and closes; answers how many messages could not be written. */
  close: { request: Record<never, never>; answer: { lost: number } };
}

/** The name of an operation with an answer. */
export type StoreCallOp = keyof StoreCalls;

/**
 * A request to the Worker: a call (answered under `seq`), a batch to keep or a room to save
 * (not answered: a failure comes back as an event).
 */
export type StoreRequest =
  | { [K in StoreCallOp]: { op: K; seq: number } & StoreCalls[K]["request"] }[StoreCallOp]
  | { op: "append"; messages: StoredMessage[] }
  | { op: "room"; room: SavedRoom };

/** An error as it crosses the thread boundary: the code and message of a `StoreError`. */
export interface WireError {
  code: StoreErrorCode;
  message: string;
}

/** A store event as it crosses: the `StoreEvent` with its error flattened. */
export type WireEvent =
  | { type: "write_failed"; error: WireError; pending: number; failures: number }
  | { type: "write_recovered"; failures: number }
  | { type: "dropped"; error: WireError; count: number }
  | { type: "pruned"; deleted: number }
  | { type: "id_mismatch"; expected: number; stored: number }
  | { type: "append_failed"; error: WireError; count: number };

/** What the Worker posts back: an answer to call `seq`, its failure, or an event. */
export type StoreReply =
  | { op: "answer"; seq: number; value: StoreCalls[StoreCallOp]["answer"] }
  | { op: "failed"; seq: number; error: WireError }
  | { op: "event"; event: WireEvent };
