import assert from "node:assert/strict";
import { MAX_HISTORY_LIMIT } from "../../lib/store/mod.ts";
import type { HistoryStore } from "../../lib/store/mod.ts";
import { openQuiet, privateMessage, roomMessage, tempDir } from "./_temp_store.ts";

/** A store holding #lobby m1..m10 (ids 1..10), some on disk and some pending. */
function lobbyOfTen(onDisk: number): HistoryStore {
  const store = openQuiet(tempDir());
  for (let i = 1; i <= 10; i++) {
    store.append(roomMessage("#lobby", "alice", `m${i}`));
    if (i === onDisk) store.flush();
  }
  return store;
}

const texts = (store: HistoryStore, query: { before?: number; after?: number; limit: number }) =>
  store.history({ requester: "bob", conversation: { room: "#LOBBY" }, ...query })
    .map((m) => m.text);

for (const onDisk of [0, 4, 10]) {
  Deno.test(`HistoryStore.history: latest, before and after agree with ${onDisk} of 10 on disk`, () => {
    const store = lobbyOfTen(onDisk);
    assert.deepEqual(texts(store, { limit: 3 }), ["m8", "m9", "m10"]);
    assert.deepEqual(texts(store, { before: 6, limit: 3 }), ["m3", "m4", "m5"]);
    assert.deepEqual(texts(store, { after: 3, limit: 3 }), ["m4", "m5", "m6"]);
    assert.deepEqual(texts(store, { after: 2, before: 9, limit: 3 }), ["m6", "m7", "m8"]);
    assert.deepEqual(texts(store, { after: 8, limit: 50 }), ["m9", "m10"]);
    assert.deepEqual(texts(store, { before: 1, limit: 5 }), []);
    assert.deepEqual(texts(store, { limit: 0 }), []);
    store.close();
  });
}

Deno.test("HistoryStore.history finds a room ignoring case and keeps rooms apart", () => {
  const store = openQuiet(tempDir());
  store.append(roomMessage("#Lobby", "alice", "in lobby"));
  store.append(roomMessage("#dev", "alice", "in dev"));
  store.flush();
  assert.deepEqual(texts(store, { limit: 10 }), ["in lobby"]);
  store.close();
});

Deno.test("HistoryStore.history cuts a limit above MAX_HISTORY_LIMIT to it", () => {
  const store = openQuiet(tempDir());
  for (let i = 0; i < MAX_HISTORY_LIMIT + 20; i++) store.append(roomMessage("#lobby", "a", `${i}`));
  store.flush();
  assert.equal(texts(store, { limit: 10_000 }).length, MAX_HISTORY_LIMIT);
  store.close();
});

Deno.test("HistoryStore.history refuses a negative limit or a bad id", () => {
  const store = openQuiet(tempDir());
  assert.throws(() => texts(store, { limit: -1 }), RangeError);
  assert.throws(() => texts(store, { before: 1.5, limit: 1 }), RangeError);
  store.close();
});

function privateStore(onDisk: boolean): HistoryStore {
  const store = openQuiet(tempDir());
  store.append(privateMessage("alice", "bob", "a to b"));
  store.append(privateMessage("Bob", "alice", "b to a"));
  store.append(privateMessage("alice", "carol", "a to c"));
  store.append(privateMessage("bob", "carol", "b to c"));
  if (onDisk) store.flush();
  return store;
}

const privateTexts = (store: HistoryStore, requester: string, peer: string) =>
  store.history({ requester, conversation: { peer }, limit: 50 }).map((m) => m.text);

for (const onDisk of [false, true]) {
  const where = onDisk ? "on disk" : "pending";
  Deno.test(`HistoryStore.history serves a private conversation to its two parties (${where})`, () => {
    const store = privateStore(onDisk);
    assert.deepEqual(privateTexts(store, "alice", "bob"), ["a to b", "b to a"]);
    assert.deepEqual(privateTexts(store, "BOB", "Alice"), ["a to b", "b to a"]);
    store.close();
  });

  Deno.test(`HistoryStore.history never gives a third user others' private lines (${where})`, () => {
    const store = privateStore(onDisk);
    assert.deepEqual(privateTexts(store, "carol", "alice"), ["a to c"]);
    assert.deepEqual(privateTexts(store, "carol", "bob"), ["b to c"]);
    assert.deepEqual(privateTexts(store, "dave", "alice"), []);
    assert.throws(() => privateTexts(store, "alice bob", "x"), RangeError);
    assert.throws(() => privateTexts(store, "carol", "alice bob"), RangeError);
    store.close();
  });
}

Deno.test("HistoryStore.history does not mix private lines into a room of the same key", () => {
  const store = openQuiet(tempDir());
  store.append(privateMessage("alice", "bob", "secret"));
  store.flush();
  const room = store.history({ requester: "x", conversation: { room: "alice bob" }, limit: 5 });
  assert.deepEqual(room, []);
  store.close();
});
