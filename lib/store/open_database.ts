/**
 * Opens the history database in a data directory, or fails with a {@linkcode StoreError}: the
 * directory made if missing and held by a lock file (one hub per directory), the file checked
 * (an SQLite database, ours, not from a newer version, passing SQLite's quick check), the schema
 * created or migrated, WAL journaling on. A write at open proves the file writable, so a
 * read-only file is an error at start rather than a loss later.
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { describeCause, StoreError, type StoreErrorCode } from "./store_error.ts";
import { migrate, SCHEMA_VERSION } from "./schema.ts";

/** The database's file name in the data directory. */
export const DATABASE_FILE = "history.sqlite";
/** The lock file's name in the data directory: held while a hub uses the directory. */
export const LOCK_FILE = "history.lock";
/** `PRAGMA application_id` of our databases ("chat" in ASCII), telling them from others. */
export const APPLICATION_ID = 0x63686174;
/**
 * Longest SQLite waits for a lock held by another connection (a `sqlite3` shell, a backup), in
 * ms. Short, so that a batch that cannot get the lock fails and is retried later instead of
 * holding up the store's Worker (and the queries queued behind it).
 */
export const BUSY_WAIT_MS = 20;

/** An open history database and the lock that holds its directory. */
export interface OpenDatabase {
  db: DatabaseSync;
  lock: Deno.FsFile;
}

/**
 * Opens (creating if needed) the history database in `dir`.
 * Throws {@linkcode StoreError} with a code saying what is wrong.
 *
 * @example
 * ```ts ignore
 * import { openDatabase } from "./open_database.ts";
 * const { db, lock } = openDatabase("./data");
 * ```
 */
export function openDatabase(dir: string): OpenDatabase {
  const lock = lockDirectory(dir);
  let db: DatabaseSync | null = null;
  try {
    db = attempt(
      "DATA_DIR_UNWRITABLE",
      `open ${join(dir, DATABASE_FILE)}`,
      () => new DatabaseSync(join(dir, DATABASE_FILE)),
    );
    prepare(db);
    return { db, lock };
  } catch (error) {
    db?.close();
    lock.close();
    throw error;
  }
}

function lockDirectory(dir: string): Deno.FsFile {
  attempt("DATA_DIR_UNWRITABLE", `create ${dir}`, () => Deno.mkdirSync(dir, { recursive: true }));
  const path = join(dir, LOCK_FILE);
  const file = attempt(
    "DATA_DIR_UNWRITABLE",
    `write ${path}`,
    () => Deno.openSync(path, { read: true, write: true, create: true }),
  );
  if (!file.tryLockSync(true)) {
    file.close();
    throw new StoreError("DATABASE_IN_USE", `Cannot open history: ${dir} is in use by another hub`);
  }
  return file;
}

function prepare(db: DatabaseSync): void {
  db.exec(`PRAGMA busy_timeout = ${BUSY_WAIT_MS}`);
  const version = attempt("DATABASE_CORRUPT", "read the database", () => checkOwner(db));
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      "SCHEMA_TOO_NEW",
      `Cannot open history: schema ${version} is newer than this program's ${SCHEMA_VERSION}`,
    );
  }
  const check = attempt(
    "DATABASE_CORRUPT",
    "check the database",
    () => db.prepare("PRAGMA quick_check(1)").get()?.quick_check,
  );
  if (check !== "ok") {
    throw new StoreError("DATABASE_CORRUPT", `Cannot open history: quick check says ${check}`);
  }
  const mode = attempt(
    "DATA_DIR_UNWRITABLE",
    "turn on WAL",
    () => db.prepare("PRAGMA journal_mode = WAL").get()?.journal_mode,
  );
  if (mode !== "wal") {
    throw new StoreError("DATA_DIR_UNWRITABLE", `Cannot open history: journal mode is ${mode}`);
  }
  // WAL with synchronous NORMAL: a commit survives the process being killed; only a power
  // loss may undo the last commits, and the database stays consistent.
  db.exec("PRAGMA synchronous = NORMAL");
  attempt("DATA_DIR_UNWRITABLE", "write the schema", () => migrate(db, version, APPLICATION_ID));
}

/**
 * The database's schema version; throws `DATABASE_FOREIGN` when it belongs to another program
 * (another application id, or tables without ours).
 */
function checkOwner(db: DatabaseSync): number {
  const id = Number(db.prepare("PRAGMA application_id").get()?.application_id ?? 0);
  const version = Number(db.prepare("PRAGMA user_version").get()?.user_version ?? 0);
  const tables = Number(
    db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get()?.n ?? 0,
  );
  if (id === APPLICATION_ID || (id === 0 && tables === 0)) return version;
  throw new StoreError(
    "DATABASE_FOREIGN",
    `Cannot open history: the file is another program's database (application id ${id})`,
  );
}

/** Runs `step`, turning a failure into a StoreError: `code`, or what SQLite's error says. */
function attempt<T>(code: StoreErrorCode, what: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(classify(error, code), `Cannot ${what}: ${describeCause(error)}`, {
      cause: error,
    });
  }
}

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

function classify(error: unknown, fallback: StoreErrorCode): StoreErrorCode {
  const errcode = (error as { errcode?: unknown }).errcode;
  if (typeof errcode !== "number") return fallback;
  const primary = errcode & 0xff; // extended result codes keep the primary in the low byte
  if (primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB) return "DATABASE_CORRUPT";
  if (primary === SQLITE_BUSY || primary === SQLITE_LOCKED) return "DATABASE_IN_USE";
  return fallback === "DATABASE_CORRUPT" ? "DATA_DIR_UNWRITABLE" : fallback;
}
