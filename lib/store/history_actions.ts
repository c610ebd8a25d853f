/**
 * Carries out the hub's history actions on a history backend (the {@linkcode HistoryClient} in
 * the server, a {@linkcode HistoryStore} in tests): a `store` action appends (queued; the
 * backend writes batches off the hub's path), a `history` action reads and is answered through
 * `reply`, at once or when the answer comes; a `room` action keeps a room's name and topic. The hub's id counter and the store's must agree
 * (the hub was seeded with `store.lastId + 1`); a disagreement is a bug and is logged.
 * @module
 */

import {
  type HistoryAction,
  historyReply,
  type SavedRoom,
  type StoredMessage,
} from "../chat/hub_history.ts";
import type { ServerMessage } from "../chat/events.ts";
import type { ConnId, LogRecord } from "../chat/hub_types.ts";
import type { HistoryClient } from "./history_client.ts";
import type { HistoryStore } from "./history_store.ts";
import type { HistoryMessage } from "./history_message.ts";
import { describeCause } from "./store_error.ts";

/** Where the answers and the complaints go. */
export interface HistoryOutlet {
  /** Answers a connection (through `Hub.reply`). */
  reply(conn: ConnId, message: ServerMessage): void;
  log(record: LogRecord): void;
}

/** What keeps the history: the store on this thread, or in its Worker. */
export type HistoryBackend = Pick<HistoryStore | HistoryClient, "append" | "history" | "saveRoom">;

/**
 * Carries out one history action.
 *
 * @example
 * ```ts ignore
 * onAction: (action) => carryOutHistory(store, action, { reply, log }),
 * ```
 */
export function carryOutHistory(
  store: HistoryBackend,
  action: HistoryAction,
  out: HistoryOutlet,
): void {
  if (action.kind === "store") return keep(store, action.message, out);
  if (action.kind === "room") return saveRoom(store, action.room, out);
  const { user, scope, limit } = action;
  const bounds = {
    ...(action.before === undefined ? {} : { before: action.before }),
    ...(action.after === undefined ? {} : { after: action.after }),
  };
  let messages;
  try {
    messages = store.history({ requester: user, conversation: scope, ...bounds, limit });
  } catch (cause) {
    return readFailed(action, cause, out);
  }
  if (Array.isArray(messages)) return answer(action, messages, out);
  messages.then(
    (found) => answer(action, found, out),
    (cause) => readFailed(action, cause, out),
  );
}

function answer(
  action: HistoryAction & { kind: "history" },
  messages: readonly HistoryMessage[],
  out: HistoryOutlet,
): void {
  out.reply(action.conn, historyReply(action, messages));
}

function readFailed(
  action: HistoryAction & { kind: "history" },
  cause: unknown,
  out: HistoryOutlet,
): void {
  const { conn } = action;
  const detail = `Cannot read history: ${describeCause(cause)}`;
  out.log({ level: "warn", event: "history_read_failed", conn, detail });
  if (action.re === undefined) return;
  out.reply(conn, { type: "error", re: action.re, code: "HISTORY_UNAVAILABLE", message: detail });
}

function saveRoom(store: HistoryBackend, room: SavedRoom, out: HistoryOutlet): void {
  try {
    store.saveRoom(room);
  } catch (cause) {
    const detail = `Cannot keep room ${room.name}: ${describeCause(cause)}`;
    out.log({ level: "warn", event: "history_write_failed", detail });
  }
}

function keep(store: HistoryBackend, message: StoredMessage, out: HistoryOutlet): void {
  const { id, ...rest } = message;
  let stored: number;
  try {
    stored = store.append(rest);
  } catch (cause) {
    const detail = `Cannot keep message ${id}: ${describeCause(cause)}`;
    return out.log({ level: "warn", event: "history_write_failed", detail });
  }
  if (stored !== id) {
    const detail = `Message ${id} was stored as ${stored}: the hub's ids and the store's differ`;
    out.log({ level: "warn", event: "history_id_mismatch", detail });
  }
}
