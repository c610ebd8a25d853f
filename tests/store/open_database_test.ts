import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { DATABASE_FILE, HistoryStore, SCHEMA_VERSION, StoreError } from "../../lib/store/mod.ts";
import { openQuiet, roomMessage, tempDir } from "./_temp_store.ts";

function openFails(dir: string, code: string): void {
  assert.throws(() => HistoryStore.open(dir), (error: unknown) => {
    assert.ok(error instanceof StoreError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

Deno.test("HistoryStore.open makes a missing data directory and uses WAL", () => {
  const dir = join(tempDir(), "a", "b");
  openQuiet(dir).close();
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  assert.equal(db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
  assert.equal(db.prepare("PRAGMA user_version").get()?.user_version, SCHEMA_VERSION);
  db.close();
});

Deno.test("HistoryStore.open fails with DATA_DIR_UNWRITABLE when a file is in the directory's way", () => {
  const parent = tempDir();
  Deno.writeTextFileSync(join(parent, "data"), "a file");
  openFails(join(parent, "data"), "DATA_DIR_UNWRITABLE");
});

/** Whether this process writes `path` whatever the modes say (root does). */
function writesAnyway(path: string): boolean {
  try {
    Deno.openSync(path, { write: true, create: true }).close();
    return true;
  } catch {
    return false;
  }
}

Deno.test("HistoryStore.open fails with DATA_DIR_UNWRITABLE in a read-only directory", () => {
  const dir = tempDir();
  Deno.chmodSync(dir, 0o555);
  if (!writesAnyway(join(dir, "probe"))) openFails(dir, "DATA_DIR_UNWRITABLE"); // root writes
});

Deno.test("HistoryStore.open fails with DATA_DIR_UNWRITABLE when the database file is read-only", () => {
  const dir = tempDir();
  openQuiet(dir).close();
  // SQLite opens a read-only file read-only without a word; the write at open must catch it.
  Deno.chmodSync(join(dir, DATABASE_FILE), 0o444);
  if (!writesAnyway(join(dir, DATABASE_FILE))) openFails(dir, "DATA_DIR_UNWRITABLE"); // root writes
});

Deno.test("HistoryStore.open fails with DATABASE_CORRUPT on a file that is not a database", () => {
  const dir = tempDir();
  Deno.writeTextFileSync(join(dir, DATABASE_FILE), "not a database\n".repeat(500));
  openFails(dir, "DATABASE_CORRUPT");
  assert.equal(Deno.readTextFileSync(join(dir, DATABASE_FILE)), "not a database\n".repeat(500));
});

Deno.test("HistoryStore.open fails with DATABASE_CORRUPT on a damaged database", () => {
  const dir = tempDir();
  const store = openQuiet(dir);
  for (let i = 0; i < 2_000; i++) store.append(roomMessage("#lobby", "alice", "x".repeat(200)));
  store.close();
  const path = join(dir, DATABASE_FILE);
  const bytes = Deno.readFileSync(path);
  bytes.fill(0xa5, 4096 * 3, 4096 * 6); // pages 4 to 6: table and index pages
  Deno.writeFileSync(path, bytes);
  openFails(dir, "DATABASE_CORRUPT");
});

Deno.test("HistoryStore.open fails with DATABASE_FOREIGN on another program's database", () => {
  const dir = tempDir();
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  db.exec("CREATE TABLE accounts (name TEXT)");
  db.close();
  openFails(dir, "DATABASE_FOREIGN");
});

Deno.test("HistoryStore.open fails with SCHEMA_TOO_NEW and leaves a newer database untouched", () => {
  const dir = tempDir();
  openQuiet(dir).close();
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  openFails(dir, "SCHEMA_TOO_NEW");
  const after = new DatabaseSync(join(dir, DATABASE_FILE));
  assert.equal(after.prepare("PRAGMA user_version").get()?.user_version, SCHEMA_VERSION + 1);
  after.close();
});

Deno.test("HistoryStore.open fails with DATABASE_IN_USE while another store holds the directory", () => {
  const dir = tempDir();
  const first = openQuiet(dir);
  openFails(dir, "DATABASE_IN_USE");
  first.close();
  openQuiet(dir).close(); // released on close
});
