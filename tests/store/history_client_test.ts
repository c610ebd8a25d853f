import assert from "node:assert/strict";
import { HistoryClient, MAX_POST_MESSAGES } from "../../lib/store/history_client.ts";
import { StoreError } from "../../lib/store/mod.ts";
import type { WireEvent } from "../../lib/store/store_protocol.ts";
import { openQuiet, roomMessage, tempDir } from "./_temp_store.ts";

const lobby = { requester: "bob", conversation: { room: "#lobby" }, limit: 50 };

Deno.test("HistoryClient refuses a corrupt database at open with the store's code", async () => {
  const dir = tempDir();
  Deno.writeTextFileSync(`${dir}/history.sqlite`, "not a database\n".repeat(300));
  const refusal = await HistoryClient.open(dir).then(() => null, (error) => error);
  assert.ok(refusal instanceof StoreError);
  assert.equal(refusal.code, "DATABASE_CORRUPT");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("HistoryClient gives ids from the newest stored and a query sees what was just appended", async () => {
  const dir = tempDir();
  const first = openQuiet(dir);
  first.append(roomMessage("#lobby", "ann", "old"));
  first.close();
  const history = await HistoryClient.open(dir);
  assert.equal(history.lastId, 1);
  assert.equal(history.append(roomMessage("#lobby", "ann", "new")), 2);
  // Still queued on this thread: the query posts the batch before itself.
  const found = await history.history(lobby);
  assert.deepEqual(found.map((m) => [m.id, m.text]), [[1, "old"], [2, "new"]]);
  assert.equal(await history.close(), 0);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("HistoryClient.close waits until the last batch is written", async () => {
  const dir = tempDir();
  const history = await HistoryClient.open(dir);
  const count = MAX_POST_MESSAGES + 10; // one batch posted at once, one left queued
  for (let i = 0; i < count; i++) history.append(roomMessage("#lobby", "ann", `m${i}`));
  assert.equal(await history.close(), 0);
  const store = openQuiet(dir);
  assert.equal(store.lastId, count);
  assert.equal(store.history({ ...lobby, limit: 1 })[0]?.text, `m${count - 1}`);
  store.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("HistoryClient reports a read the Worker refuses as a rejection, never a hang", async () => {
  const dir = tempDir();
  const events: WireEvent[] = [];
  const history = await HistoryClient.open(dir, { onEvent: (e) => events.push(e) });
  const refusal = await history.history({ ...lobby, limit: -1 }).then(() => null, (e) => e);
  assert.ok(refusal instanceof StoreError);
  assert.equal(refusal.code, "STORE_FAILED");
  assert.match(refusal.message, /Bad history limit/);
  assert.equal(await history.close(), 0);
  assert.deepEqual(events, []);
  Deno.removeSync(dir, { recursive: true });
});
