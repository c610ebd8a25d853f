import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { DATABASE_FILE, HistoryStore, type StoreEvent } from "../../lib/store/mod.ts";
import { openQuiet, privateMessage, roomMessage, tempDir } from "./_temp_store.ts";

function rowsOnDisk(dir: string): number {
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  try {
    return Number(db.prepare("SELECT count(*) AS n FROM messages").get()?.n);
  } finally {
    db.close();
  }
}

Deno.test("HistoryStore gives increasing ids at once, before anything is written", () => {
  const dir = tempDir();
  const store = openQuiet(dir);
  const ids = [1, 2, 3].map((i) => store.append(roomMessage("#lobby", "alice", `m${i}`)));
  assert.deepEqual(ids, [1, 2, 3]);
  assert.equal(store.pending, 3);
  assert.equal(rowsOnDisk(dir), 0);
  store.close();
});

Deno.test("HistoryStore continues ids from the database after a restart", () => {
  const dir = tempDir();
  const first = openQuiet(dir);
  for (let i = 0; i < 5; i++) first.append(roomMessage("#lobby", "alice", `m${i}`));
  first.close();
  const second = openQuiet(dir);
  assert.equal(second.append(roomMessage("#lobby", "bob", "after")), 6);
  second.close();
});

Deno.test("HistoryStore never gives an id twice, even after every message was pruned", () => {
  const dir = tempDir();
  const first = openQuiet(dir);
  for (let i = 0; i < 5; i++) first.append(roomMessage("#lobby", "alice", `m${i}`));
  first.close();
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  db.exec("DELETE FROM messages");
  db.close();
  const second = openQuiet(dir);
  assert.equal(second.append(roomMessage("#lobby", "bob", "after")), 6);
  second.close();
});

Deno.test("HistoryStore.close writes every pending message", () => {
  const dir = tempDir();
  const store = openQuiet(dir);
  for (let i = 0; i < 2_500; i++) store.append(roomMessage("#lobby", "alice", `m${i}`));
  assert.equal(store.close(), 0);
  assert.equal(rowsOnDisk(dir), 2_500);
});

Deno.test("HistoryStore writes a batch by itself once the oldest message is maxAgeMs old", async () => {
  const dir = tempDir();
  const store = HistoryStore.open(dir, { batching: { maxAgeMs: 50 } });
  store.append(roomMessage("#lobby", "alice", "hi"));
  assert.equal(rowsOnDisk(dir), 0);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(rowsOnDisk(dir), 1);
  assert.equal(store.pending, 0);
  store.close();
});

Deno.test("HistoryStore writes a full batch at the next turn of the event loop", async () => {
  const dir = tempDir();
  const store = HistoryStore.open(dir, { batching: { maxAgeMs: 3_600_000, maxItems: 10 } });
  for (let i = 0; i < 25; i++) store.append(roomMessage("#lobby", "alice", `m${i}`));
  assert.equal(rowsOnDisk(dir), 0); // never on the caller's path
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(rowsOnDisk(dir), 25); // three batches of at most 10, one after the other
  store.close();
});

Deno.test("HistoryStore reports a failed write, keeps the messages and writes them later", () => {
  const dir = tempDir();
  const events: StoreEvent[] = [];
  const store = openQuiet(dir, { onEvent: (event) => events.push(event) });
  store.append(roomMessage("#lobby", "alice", "kept"));
  const blocker = new DatabaseSync(join(dir, DATABASE_FILE));
  blocker.exec("BEGIN IMMEDIATE"); // another writer holds the lock: a real SQLITE_BUSY
  assert.equal(store.flush(), false);
  assert.equal(store.pending, 1);
  const failed = events[0];
  assert.equal(failed?.type, "write_failed");
  assert.equal(failed.type === "write_failed" && failed.error.code, "WRITE_FAILED");
  blocker.exec("ROLLBACK");
  blocker.close();
  assert.equal(store.flush(), true);
  assert.equal(events[1]?.type, "write_recovered");
  assert.equal(rowsOnDisk(dir), 1);
  store.close();
});

Deno.test("HistoryStore drops the oldest pending messages, reported, past maxPending", () => {
  const dir = tempDir();
  const events: StoreEvent[] = [];
  const store = openQuiet(dir, { maxPending: 10, onEvent: (event) => events.push(event) });
  const blocker = new DatabaseSync(join(dir, DATABASE_FILE));
  blocker.exec("BEGIN IMMEDIATE");
  for (let i = 1; i <= 10; i++) store.append(roomMessage("#lobby", "alice", `m${i}`));
  assert.equal(store.flush(), false);
  store.append(roomMessage("#lobby", "alice", "m11"));
  assert.equal(store.pending, 10);
  const dropped = events.find((event) => event.type === "dropped");
  assert.equal(dropped?.type === "dropped" && dropped.error.code, "HISTORY_DROPPED");
  assert.equal(dropped?.type === "dropped" && dropped.count, 1);
  blocker.exec("ROLLBACK");
  blocker.close();
  const texts = store.history({ requester: "x", conversation: { room: "#lobby" }, limit: 50 })
    .map((m) => m.text);
  assert.deepEqual(texts, ["m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11"]);
  store.close();
});

Deno.test("HistoryStore keeps private messages and actions as they were appended", () => {
  const dir = tempDir();
  const store = openQuiet(dir);
  store.append({ ...privateMessage("Alice", "bob", "psst", 1_764_000_000_123), action: true });
  store.close();
  const again = openQuiet(dir);
  const [message] = again.history({ requester: "bob", conversation: { peer: "alice" }, limit: 1 });
  assert.deepEqual(message, {
    id: 1,
    kind: "private",
    from: "Alice",
    to: "bob",
    text: "psst",
    action: true,
    ts: 1_764_000_000_123,
  });
  again.close();
});

Deno.test("HistoryStore refuses to append once closed", () => {
  const store = openQuiet(tempDir());
  store.close();
  assert.throws(() => store.append(roomMessage("#lobby", "a", "late")), TypeError);
});
