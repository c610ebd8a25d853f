/**
 * Carries out the hub's history actions on a {@linkcode HistoryStore}: a `store` action appends
 * (in memory; the store writes batches off the hub's path), a `history` action reads and is
 * answered through `reply`. The hub's id counter and the store's must agree (the hub was seeded
 * with `store.lastId + 1`); a disagreement is a bug and is logged.
 * @module
 */

import { type HistoryAction, historyReply, type StoredMessage } from "../chat/hub_history.ts";
import type { ServerMessage } from "../chat/events.ts";
import type { ConnId, LogRecord } from "../chat/hub_types.ts";
import type { HistoryStore } from "./history_store.ts";
import { describeCause } from "./store_error.ts";

/** Where the answers and the complaints go. */
export interface HistoryOutlet {
  /** Answers a connection (through `Hub.reply`). */
  reply(conn: ConnId, message: ServerMessage): void;
  log(record: LogRecord): void;
}

/**
 * Carries out one history action.
 *
 * @example
 * ```ts ignore
 * onAction: (action) => carryOutHistory(store, action, { reply, log }),
 * ```
 */
export function carryOutHistory(
  store: HistoryStore,
  action: HistoryAction,
  out: HistoryOutlet,
): void {
  if (action.kind === "store") return keep(store, action.message, out);
  const { conn, user, scope, limit } = action;
  const bounds = {
    ...(action.before === undefined ? {} : { before: action.before }),
    ...(action.after === undefined ? {} : { after: action.after }),
  };
  let messages;
  try {
    messages = store.history({ requester: user, conversation: scope, ...bounds, limit });
  } catch (cause) {
    const detail = `Cannot read history: ${describeCause(cause)}`;
    out.log({ level: "warn", event: "history_read_failed", conn, detail });
    if (action.re === undefined) return;
    return out.reply(conn, {
      type: "error",
      re: action.re,
      code: "HISTORY_UNAVAILABLE",
      message: detail,
    });
  }
  out.reply(conn, historyReply(action, messages));
}

function keep(
  store: HistoryStore,
  message: StoredMessage,
  out: HistoryOutlet,
): void {
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
