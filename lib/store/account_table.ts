/**
 * The `accounts` table's statements: one row per registered name, its salted scrypt hash and
 * the parameters it was made with. Synchronous; the async `AccountStore` wraps it.
 * @module
 */

import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { PasswordHash } from "./password_hash.ts";

/** One account as the operator sees it: no secrets. */
export interface AccountInfo {
  /** The name as registered. */
  name: string;
  /** When it was registered, in ms since the epoch. */
  created: number;
  /** When its password last changed, in ms since the epoch. */
  changed: number;
}

/** Prepared statements over the `accounts` table of an open database. */
export class AccountTable {
  readonly #list: StatementSync;
  readonly #get: StatementSync;
  readonly #insert: StatementSync;
  readonly #update: StatementSync;
  readonly #remove: StatementSync;

  constructor(db: DatabaseSync) {
    this.#list = db.prepare("SELECT name, created, changed FROM accounts ORDER BY key");
    this.#get = db.prepare("SELECT salt, hash, n, r, p FROM accounts WHERE key = ?");
    this.#insert = db.prepare(
      `INSERT INTO accounts (key, name, salt, hash, n, r, p, created, changed)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
    );
    this.#update = db.prepare(
      "UPDATE accounts SET salt = ?, hash = ?, n = ?, r = ?, p = ?, changed = ? WHERE key = ?",
    );
    this.#remove = db.prepare("DELETE FROM accounts WHERE key = ?");
  }

  /** Every account, by name key. */
  list(): AccountInfo[] {
    return this.#list.all().map((row) => ({
      name: String(row.name),
      created: Number(row.created),
      changed: Number(row.changed),
    }));
  }

  /** The stored hash of account `key`, or `null` when there is none. */
  get(key: string): PasswordHash | null {
    const row = this.#get.get(key);
    if (row === undefined) return null;
    return {
      salt: new Uint8Array(row.salt as Uint8Array),
      hash: new Uint8Array(row.hash as Uint8Array),
      params: { n: Number(row.n), r: Number(row.r), p: Number(row.p) },
    };
  }

  /** Adds account `key` (spelt `name`); `false` when it exists already (left unchanged). */
  insert(key: string, name: string, password: PasswordHash, now: number): boolean {
    const { salt, hash, params: { n, r, p } } = password;
    return Number(this.#insert.run(key, name, salt, hash, n, r, p, now, now).changes) === 1;
  }

  /** Gives account `key` a new hash; `false` when there is no such account. */
  update(key: string, password: PasswordHash, now: number): boolean {
    const { salt, hash, params: { n, r, p } } = password;
    return Number(this.#update.run(salt, hash, n, r, p, now, key).changes) === 1;
  }

  /** Removes account `key`; `false` when there was none. */
  remove(key: string): boolean {
    return Number(this.#remove.run(key).changes) === 1;
  }
}
