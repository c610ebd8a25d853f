import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { SqliteAccountStore } from "../../lib/store/account_store.ts";
import { APPLICATION_ID } from "../../lib/store/open_database.ts";
import { PasswordHasher } from "../../lib/store/password_hash.ts";
import { DATABASE_FILE, SCHEMA_VERSION, StoreError } from "../../lib/store/mod.ts";
import { openQuiet, roomMessage, tempDir } from "./_temp_store.ts";

const hasher = () => new PasswordHasher({ params: { n: 1024, r: 8, p: 1 } });
const clock = () => 1_700_000_000_000;

function attach(dir: string): SqliteAccountStore {
  return SqliteAccountStore.attach(dir, { hasher: hasher(), wallClock: clock });
}

Deno.test("SqliteAccountStore registers, authenticates, changes and removes an account", async () => {
  const dir = tempDir();
  const history = openQuiet(dir);
  const store = attach(dir);
  assert.equal(await store.register("ann", "Ann", "first password"), "ok");
  assert.equal(await store.register("ann", "ANN", "other password"), "exists");
  assert.equal(await store.authenticate("ann", "first password"), true);
  assert.equal(await store.authenticate("ann", "other password"), false);
  assert.equal(await store.authenticate("bob", "first password"), false, "no such account");
  assert.equal(await store.changePassword("ann", "wrong", "second password"), "bad_password");
  assert.equal(await store.changePassword("ann", "first password", "second password"), "ok");
  assert.equal(await store.authenticate("ann", "first password"), false);
  assert.equal(await store.authenticate("ann", "second password"), true);
  assert.deepEqual(await store.list(), [{ name: "Ann", created: clock(), changed: clock() }]);
  assert.equal(await store.remove("ann"), true);
  assert.equal(await store.remove("ann"), false);
  assert.deepEqual(await store.list(), []);
  store.close();
  history.close();
});

Deno.test("SqliteAccountStore keeps salted scrypt hashes with their parameters, never the password", async () => {
  const dir = tempDir();
  const history = openQuiet(dir);
  const store = attach(dir);
  await store.register("ann", "Ann", "plain secret");
  store.close();
  history.close();
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  const row = db.prepare("SELECT * FROM accounts").get()!;
  db.close();
  assert.deepEqual([row.n, row.r, row.p], [1024, 8, 1]);
  assert.equal((row.salt as Uint8Array).length, 16);
  const bytes = Deno.readFileSync(join(dir, DATABASE_FILE));
  const text = new TextDecoder("latin1").decode(bytes);
  assert.ok(!text.includes("plain secret"), "the password is not in the file");
});

Deno.test("SqliteAccountStore accounts outlive the hub: a new connection reads them", async () => {
  const dir = tempDir();
  let history = openQuiet(dir);
  let store = attach(dir);
  await store.register("ann", "Ann", "kept password");
  store.close();
  history.close();
  history = openQuiet(dir);
  store = attach(dir);
  assert.equal(await store.authenticate("ann", "kept password"), true);
  store.close();
  history.close();
});

Deno.test("SqliteAccountStore.open works offline and fails with DATABASE_IN_USE while a hub holds it", async () => {
  const dir = tempDir();
  const history = openQuiet(dir);
  assert.throws(
    () => SqliteAccountStore.open(dir),
    (error: unknown) => error instanceof StoreError && error.code === "DATABASE_IN_USE",
  );
  history.close();
  const offline = SqliteAccountStore.open(dir, { hasher: hasher() });
  assert.deepEqual(await offline.list(), []);
  offline.close();
});

Deno.test("schema migration adds accounts to a version 1 history database, keeping its messages", async () => {
  const dir = tempDir();
  Deno.mkdirSync(dir, { recursive: true });
  const old = new DatabaseSync(join(dir, DATABASE_FILE));
  old.exec(`CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind INTEGER NOT NULL CHECK (kind IN (0, 1)),
    conversation TEXT NOT NULL, room TEXT, sender TEXT NOT NULL, recipient TEXT,
    text TEXT NOT NULL, action INTEGER NOT NULL CHECK (action IN (0, 1)), ts INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX messages_by_conversation ON messages (kind, conversation, id);
  INSERT INTO messages (kind, conversation, room, sender, text, action, ts)
    VALUES (0, '#lobby', '#lobby', 'ann', 'from before', 0, 1000);
  PRAGMA application_id = ${APPLICATION_ID};
  PRAGMA user_version = 1;`);
  old.close();
  const history = openQuiet(dir);
  assert.equal(history.lastId, 1);
  const kept = history.history({ requester: "bob", conversation: { room: "#lobby" }, limit: 10 });
  assert.deepEqual(kept.map((m) => m.text), ["from before"]);
  const store = attach(dir);
  assert.equal(await store.register("ann", "ann", "new password"), "ok");
  store.close();
  history.append(roomMessage("#lobby", "ann", "after"));
  history.close();
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  assert.equal(db.prepare("PRAGMA user_version").get()?.user_version, SCHEMA_VERSION);
  const table = db.prepare("SELECT name FROM sqlite_schema WHERE name = 'accounts'").get();
  assert.equal(table?.name, "accounts");
  db.close();
});

Deno.test("SqliteAccountStore.attach refuses a database the history has not migrated", () => {
  const dir = tempDir();
  Deno.mkdirSync(dir, { recursive: true });
  new DatabaseSync(join(dir, DATABASE_FILE)).close();
  assert.throws(() => attach(dir), StoreError);
});
