/**
 * The message history store: SQLite in the data directory, batched writes off the hot path,
 * CHATHISTORY-shaped queries, retention.
 * @module
 */

export {
  HistoryStore,
  type HistoryStoreOptions,
  MAX_PENDING_MESSAGES,
  type StoreEvent,
} from "./history_store.ts";
export { type HistoryQuery, MAX_HISTORY_LIMIT } from "./history_query.ts";
export type { Conversation, HistoryMessage, NewMessage } from "./history_message.ts";
export { DAY_MS, PRUNE_BATCH_ROWS, type RetentionOptions } from "./retention.ts";
export { StoreError, type StoreErrorCode } from "./store_error.ts";
export { BUSY_WAIT_MS, DATABASE_FILE, LOCK_FILE } from "./open_database.ts";
export { SCHEMA_VERSION } from "./schema.ts";
