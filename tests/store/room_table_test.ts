import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { DATABASE_FILE } from "../../lib/store/mod.ts";
import { openQuiet, roomMessage, tempDir } from "./_temp_store.ts";

Deno.test("HistoryStore keeps saved rooms with their topic, the most recently saved first", () => {
  const dir = tempDir();
  const store = openQuiet(dir);
  store.append(roomMessage("#dev", "ann", "hi"));
  store.append(roomMessage("#ops", "ann", "hi"));
  store.saveRoom({ name: "#Dev", topic: null });
  store.saveRoom({ name: "#ops", topic: null });
  store.saveRoom({ name: "#Dev", topic: { text: "builds", by: "ann", ts: 9 } });
  store.close();
  const again = openQuiet(dir);
  assert.deepEqual(again.rooms(10), [
    { name: "#Dev", topic: { text: "builds", by: "ann", ts: 9 } },
    { name: "#ops", topic: null },
  ]);
  assert.deepEqual(again.rooms(1).map((r) => r.name), ["#Dev"]);
  again.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("HistoryStore leaves out saved rooms whose messages are all gone", () => {
  const dir = tempDir();
  const store = openQuiet(dir);
  store.saveRoom({ name: "#empty", topic: null });
  store.append(roomMessage("#dev", "ann", "hi"));
  store.saveRoom({ name: "#dev", topic: null });
  store.close();
  const again = openQuiet(dir);
  assert.deepEqual(again.rooms(10).map((r) => r.name), ["#dev"]);
  again.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("HistoryStore migrates a version 1 database, its rooms found from their messages", () => {
  const dir = tempDir();
  const store = openQuiet(dir);
  store.append(roomMessage("#Dev", "ann", "hi"));
  store.append(roomMessage("#ops", "ann", "hi"));
  store.close();
  // Back to version 1: the database as the previous release left it.
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  db.exec("DROP TABLE rooms; DROP TABLE accounts; PRAGMA user_version = 1");
  db.close();
  const migrated = openQuiet(dir);
  assert.deepEqual(migrated.rooms(10).map((r) => r.name), ["#ops", "#Dev"]);
  migrated.close();
  Deno.removeSync(dir, { recursive: true });
});
