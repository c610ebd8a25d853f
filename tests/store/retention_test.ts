import assert from "node:assert/strict";
import { DAY_MS, type StoreEvent } from "../../lib/store/mod.ts";
import { openQuiet, privateMessage, roomMessage, tempDir } from "./_temp_store.ts";
import { HistoryStore } from "../../lib/store/mod.ts";

const lobby = { requester: "x", conversation: { room: "#lobby" }, limit: 500 };

/** Waits for the store's timer to run a retention pass (the first is due at the first write). */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
}

Deno.test("HistoryStore retention keeps each room's newest maxPerConversation messages", async () => {
  const store = HistoryStore.open(tempDir(), {
    batching: { maxAgeMs: 10 },
    retention: { maxPerConversation: 3 },
  });
  for (let i = 1; i <= 6; i++) store.append(roomMessage("#lobby", "a", `m${i}`, Date.now()));
  store.append(roomMessage("#dev", "a", "dev", Date.now()));
  await settle();
  assert.deepEqual(store.history(lobby).map((m) => m.text), ["m4", "m5", "m6"]);
  assert.equal(store.history({ ...lobby, conversation: { room: "#dev" } }).length, 1);
  store.close();
});

Deno.test("HistoryStore retention deletes messages older than maxAgeDays", async () => {
  const events: StoreEvent[] = [];
  const store = HistoryStore.open(tempDir(), {
    batching: { maxAgeMs: 10 },
    retention: { maxAgeDays: 2 },
    onEvent: (event) => events.push(event),
  });
  const now = Date.now();
  store.append(roomMessage("#lobby", "a", "old", now - 3 * DAY_MS));
  store.append(privateMessage("a", "b", "old private", now - 3 * DAY_MS));
  store.append(roomMessage("#lobby", "a", "recent", now - DAY_MS));
  await settle();
  assert.deepEqual(store.history(lobby).map((m) => m.text), ["recent"]);
  assert.deepEqual(store.history({ ...lobby, requester: "a", conversation: { peer: "b" } }), []);
  assert.deepEqual(events, [{ type: "pruned", deleted: 2 }]);
  store.close();
});

Deno.test("HistoryStore retention applies a lowered limit to conversations of earlier runs", async () => {
  const dir = tempDir();
  const first = openQuiet(dir);
  for (let i = 1; i <= 5; i++) first.append(roomMessage("#lobby", "a", `m${i}`, Date.now()));
  first.close();
  const second = HistoryStore.open(dir, {
    batching: { maxAgeMs: 10 },
    retention: { maxPerConversation: 2 },
  });
  second.append(roomMessage("#dev", "a", "wakes the timer", Date.now()));
  await settle();
  assert.deepEqual(second.history(lobby).map((m) => m.text), ["m4", "m5"]);
  second.close();
});

Deno.test("HistoryStore retention runs at most once per prune interval, not per message", async () => {
  const events: StoreEvent[] = [];
  const store = HistoryStore.open(tempDir(), {
    batching: { maxAgeMs: 10, pruneIntervalMs: 60_000 },
    retention: { maxPerConversation: 1 },
    onEvent: (event) => events.push(event),
  });
  store.append(roomMessage("#lobby", "a", "m1", Date.now()));
  await settle();
  store.append(roomMessage("#lobby", "a", "m2", Date.now()));
  await settle();
  assert.equal(store.history(lobby).length, 2); // the second pass waits for the interval
  assert.deepEqual(events, []);
  store.close();
});

Deno.test("HistoryStore retention refuses limits out of range", () => {
  assert.throws(() => openQuiet(tempDir(), { retention: { maxAgeDays: 0 } }), RangeError);
  assert.throws(() => openQuiet(tempDir(), { retention: { maxPerConversation: 0.5 } }), RangeError);
});
