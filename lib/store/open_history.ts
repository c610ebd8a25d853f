/**
 * Opens the server's message history from its settings, in its Worker, turning a refusal into
 * the sentence the server prints, and the store's later events into log records.
 * @module
 */

import type { LogRecord } from "../chat/hub_types.ts";
import { HistoryClient } from "./history_client.ts";
import { describeCause, StoreError } from "./store_error.ts";
import type { WireEvent } from "./store_protocol.ts";

/** The settings the history needs (a subset of the server's). */
export interface HistoryConfig {
  data: string;
  historyDays: number | null;
  historyMax: number | null;
}

/** The store, or why it cannot be used: a sentence naming the directory and the code. */
export type OpenedHistory =
  | { ok: true; store: HistoryClient }
  | { ok: false; message: string };

/**
 * Opens the history in `config.data` with its retention; a write failure later is logged with
 * its code, never dropped silently.
 *
 * @example
 * ```ts ignore
 * const opened = await openHistory({ data: "./data", historyDays: 30, historyMax: null }, log);
 * if (!opened.ok) console.error(opened.message); // "Cannot use history in './data': ... (DATABASE_CORRUPT)"
 * ```
 */
export async function openHistory(
  config: HistoryConfig,
  log: (record: LogRecord) => void,
): Promise<OpenedHistory> {
  const retention = {
    ...(config.historyDays === null ? {} : { maxAgeDays: config.historyDays }),
    ...(config.historyMax === null ? {} : { maxPerConversation: config.historyMax }),
  };
  try {
    const store = await HistoryClient.open(config.data, {
      retention,
      onEvent: (event) => log(recordOf(event)),
    });
    return { ok: true, store };
  } catch (error) {
    const code = error instanceof StoreError ? ` (${error.code})` : "";
    const message = `Cannot use history in '${config.data}': ${describeCause(error)}${code}`;
    return { ok: false, message };
  }
}

/** The log record of a store event: failures and drops warn, the rest inform. */
export function recordOf(event: WireEvent): LogRecord {
  switch (event.type) {
    case "write_failed": {
      const detail = `${event.error.message} (${event.error.code}); ${event.pending} pending, ` +
        `failure ${event.failures}`;
      return { level: "warn", event: "history_write_failed", detail };
    }
    case "write_recovered":
      return {
        level: "info",
        event: "history_write_recovered",
        detail: `after ${event.failures} failures`,
      };
    case "dropped":
      return {
        level: "warn",
        event: "history_dropped",
        detail: `${event.error.message} (${event.error.code})`,
      };
    case "pruned":
      return { level: "info", event: "history_pruned", detail: `${event.deleted} messages` };
    case "id_mismatch":
      return {
        level: "warn",
        event: "history_id_mismatch",
        detail: `Message ${event.expected} was stored as ${event.stored}`,
      };
    case "append_failed":
      return {
        level: "warn",
        event: "history_write_failed",
        detail: `${event.error.message} (${event.error.code}); ${event.count} messages lost`,
      };
  }
}
