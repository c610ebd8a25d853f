/**
 * Why the history store cannot start or cannot write, with a stable code.
 * @module
 */

/**
 * The codes a {@linkcode StoreError} carries.
 *
 * At start (thrown by `HistoryStore.open`):
 * - `DATA_DIR_UNWRITABLE`: the data directory cannot be created, or the database in it cannot be
 *   opened for writing (permissions, a file in the way, a read-only file system).
 * - `DATABASE_CORRUPT`: the file is not an SQLite database, or fails SQLite's quick check.
 * - `DATABASE_FOREIGN`: an SQLite database, but another program's (not empty, not ours).
 * - `SCHEMA_TOO_NEW`: written by a newer version of this program; it is left untouched.
 * - `DATABASE_IN_USE`: another running hub holds the data directory.
 *
 * Later (reported to `onEvent`, never thrown into the caller):
 * - `WRITE_FAILED`: a batch could not be written (disk full, I/O error); it is kept and retried.
 * - `HISTORY_DROPPED`: writes kept failing until the pending bound was reached; the oldest
 *   pending messages were given up.
 * - `STORE_FAILED`: the store's Worker failed otherwise (it died, or a request it could not
 *   carry out); what it had not written is lost, and said so.
 */
export type StoreErrorCode =
  | "DATA_DIR_UNWRITABLE"
  | "DATABASE_CORRUPT"
  | "DATABASE_FOREIGN"
  | "SCHEMA_TOO_NEW"
  | "DATABASE_IN_USE"
  | "WRITE_FAILED"
  | "HISTORY_DROPPED"
  | "STORE_FAILED";

/**
 * A history store failure with a stable code; `cause` holds SQLite's or the OS's error.
 *
 * @example
 * ```ts
 * import { StoreError } from "./store_error.ts";
 * const error = new StoreError("SCHEMA_TOO_NEW", "Cannot open history: schema 9 is newer than 1");
 * error.code; // "SCHEMA_TOO_NEW"
 * ```
 */
export class StoreError extends Error {
  /** One of {@linkcode StoreErrorCode}. */
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
    this.code = code;
  }
}

/** SQLite's message for `error`, or its string form. */
export function describeCause(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
