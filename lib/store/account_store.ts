/**
 * Where accounts are kept: the {@linkcode AccountStore} interface the server's account actions
 * use (asynchronous, so it may move to a worker or another process), and its SQLite form, the
 * `accounts` table of the hub's history database.
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { type AccountInfo, AccountTable } from "./account_table.ts";
import { BUSY_WAIT_MS, DATABASE_FILE, openDatabase } from "./open_database.ts";
import { type PasswordHash, PasswordHasher } from "./password_hash.ts";
import { SCHEMA_VERSION } from "./schema.ts";
import { describeCause, StoreError } from "./store_error.ts";

export type { AccountInfo } from "./account_table.ts";

/**
 * The accounts, by name key (see `nameKey`). A failure of the storage rejects the promise;
 * passwords are never logged or kept in the clear.
 */
export interface AccountStore {
  /** Every account, by name key. */
  list(): Promise<AccountInfo[]>;
  /** Whether `password` opens account `key` (`false` also when there is no such account). */
  authenticate(key: string, password: string): Promise<boolean>;
  /** Makes account `key` (spelt `name`) with `password`, unless it exists. */
  register(key: string, name: string, password: string): Promise<"ok" | "exists">;
  /** Gives account `key` the password `next` if `old` opens it. */
  changePassword(key: string, old: string, next: string): Promise<"ok" | "bad_password">;
  /** Removes account `key`; `false` when there was none. */
  remove(key: string): Promise<boolean>;
  /** Closes the store (its database connection). */
  close(): void;
}

/** Options of a {@linkcode SqliteAccountStore}. */
export interface SqliteAccountStoreOptions {
  /** Hashes passwords (default: a `PasswordHasher` with the default parameters). */
  hasher?: PasswordHasher;
  /** The wall clock, for `created` and `changed` (default `Date.now`). */
  wallClock?: () => number;
}

/**
 * The accounts in the `accounts` table of a data directory's database.
 *
 * @example
 * ```ts ignore
 * const history = HistoryStore.open("./data"); // migrates the schema and holds the directory
 * const accounts = SqliteAccountStore.attach("./data");
 * await accounts.register("ann", "Ann", "correct horse");
 * ```
 */
export class SqliteAccountStore implements AccountStore {
  readonly #db: DatabaseSync;
  readonly #release: () => void;
  readonly #table: AccountTable;
  readonly #hasher: PasswordHasher;
  readonly #now: () => number;
  #decoy: Promise<PasswordHash> | null = null;

  private constructor(db: DatabaseSync, release: () => void, options: SqliteAccountStoreOptions) {
    this.#db = db;
    this.#release = release;
    this.#table = new AccountTable(db);
    this.#hasher = options.hasher ?? new PasswordHasher();
    this.#now = options.wallClock ?? (() => Date.now());
  }

  /**
   * Opens a second connection to the database of `dir`, which a running hub's history has
   * opened, checked and migrated already (and whose directory it holds). Throws StoreError.
   */
  static attach(dir: string, options: SqliteAccountStoreOptions = {}): SqliteAccountStore {
    let db: DatabaseSync | null = null;
    try {
      db = new DatabaseSync(join(dir, DATABASE_FILE));
      db.exec(`PRAGMA busy_timeout = ${BUSY_WAIT_MS}`);
      const version = Number(db.prepare("PRAGMA user_version").get()?.user_version ?? 0);
      if (version !== SCHEMA_VERSION) {
        throw new StoreError(
          "DATABASE_CORRUPT",
          `Cannot open accounts: schema ${version}, not ${SCHEMA_VERSION}`,
        );
      }
      const open = db;
      return new SqliteAccountStore(open, () => open.close(), options);
    } catch (error) {
      db?.close();
      if (error instanceof StoreError) throw error;
      const message = `Cannot open accounts: ${describeCause(error)}`;
      throw new StoreError("DATA_DIR_UNWRITABLE", message, { cause: error });
    }
  }

  /**
   * Opens the database of `dir` for the operator, with no hub running: it takes the directory's
   * lock (`DATABASE_IN_USE` when a hub holds it) and migrates the schema. Throws StoreError.
   */
  static open(dir: string, options: SqliteAccountStoreOptions = {}): SqliteAccountStore {
    const { db, lock } = openDatabase(dir);
    return new SqliteAccountStore(db, () => (db.close(), lock.close()), options);
  }

  list(): Promise<AccountInfo[]> {
    return Promise.try(() => this.#table.list());
  }

  async authenticate(key: string, password: string): Promise<boolean> {
    const stored = this.#table.get(key);
    // No such account: a hash all the same, so the time does not tell.
    if (stored === null) return await this.#hasher.verify(password, await this.#decoyHash()), false;
    return await this.#hasher.verify(password, stored);
  }

  async register(key: string, name: string, password: string): Promise<"ok" | "exists"> {
    if (this.#table.get(key) !== null) return "exists";
    const hash = await this.#hasher.hash(password);
    return this.#table.insert(key, name, hash, this.#now()) ? "ok" : "exists";
  }

  async changePassword(key: string, old: string, next: string): Promise<"ok" | "bad_password"> {
    if (!(await this.authenticate(key, old))) return "bad_password";
    const hash = await this.#hasher.hash(next);
    return this.#table.update(key, hash, this.#now()) ? "ok" : "bad_password";
  }

  remove(key: string): Promise<boolean> {
    return Promise.try(() => this.#table.remove(key));
  }

  close(): void {
    this.#release();
  }

  /** Whether the connection is open (for tests). */
  get isOpen(): boolean {
    return this.#db.isOpen;
  }

  #decoyHash(): Promise<PasswordHash> {
    this.#decoy ??= this.#hasher.hash("decoy password");
    return this.#decoy;
  }
}
