import assert from "node:assert/strict";
import { HubHarness, type Line } from "../chat/_hub_harness.ts";
import type { ConnId, LogRecord } from "../../lib/chat/hub_types.ts";
import { carryOutHistory } from "../../lib/store/history_actions.ts";
import { openHistory, recordOf } from "../../lib/store/open_history.ts";
import { DATABASE_FILE, StoreError } from "../../lib/store/mod.ts";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import type { HistoryStore } from "../../lib/store/mod.ts";
import { openQuiet, tempDir } from "./_temp_store.ts";

/** A hub with history on a real store, its actions carried out as the server does. */
class HistoryHub {
  readonly h: HubHarness;
  readonly store: HistoryStore;
  readonly logs: LogRecord[] = [];
  readonly #dir = tempDir();

  constructor(replay = 50) {
    this.store = openQuiet(this.#dir);
    this.h = new HubHarness({ history: { nextId: this.store.lastId + 1, replay }, rate: null });
  }

  login(name: string): ConnId {
    const conn = this.h.connect(0);
    this.h.send(conn, { type: "login", name, protocol: 3 }, 0);
    this.serve();
    return conn;
  }

  send(conn: ConnId, request: object): void {
    this.h.send(conn, request, 1);
    this.serve();
  }

  /** The history lines a connection got, the rest dropped. */
  histories(conn: ConnId): Line[] {
    return this.h.read(conn).filter((line) => line.type === "history");
  }

  serve(): void {
    for (const action of this.h.takeActions()) {
      if (action.kind !== "store" && action.kind !== "history") continue;
      carryOutHistory(this.store, action, {
        reply: (conn, message) => this.h.hub.reply(conn, message, 1),
        log: (record) => this.logs.push(record),
      });
    }
  }

  close(): void {
    this.store.close();
    Deno.removeSync(this.#dir, { recursive: true });
  }
}

function texts(line: Line | undefined): unknown[] {
  return (line?.messages as Array<{ text: string }>).map((m) => m.text);
}

Deno.test("joining a room replays its last `replay` messages, oldest first, with ids and times", () => {
  const hub = new HistoryHub(2);
  const ann = hub.login("ann");
  hub.send(ann, { type: "join", room: "#dev" });
  for (const text of ["one", "two", "three"]) hub.send(ann, { type: "say", room: "#dev", text });
  const bob = hub.login("bob");
  hub.h.read(bob);
  hub.send(bob, { type: "join", room: "#DEV" });
  const [replay] = hub.histories(bob);
  assert.equal(replay?.room, "#dev");
  assert.equal(replay?.re, undefined, "a replay answers no request");
  assert.deepEqual(replay?.messages, [
    { id: 2, from: "ann", text: "two", ts: 1 },
    { id: 3, from: "ann", text: "three", ts: 1 },
  ]);
  hub.close();
});

Deno.test("history by room before and after an id, with a limit (CHATHISTORY shape)", () => {
  const hub = new HistoryHub(0);
  const ann = hub.login("ann");
  for (let i = 1; i <= 6; i++) hub.send(ann, { type: "say", text: `m${i}` });
  hub.h.read(ann);
  hub.send(ann, { type: "history", id: "a", room: "#lobby", after: 2, limit: 3 });
  hub.send(ann, { type: "history", id: "b", room: "#lobby", before: 5, limit: 2 });
  hub.send(ann, { type: "history", id: "c", room: "#lobby", before: 6, after: 1, limit: 100 });
  hub.send(ann, { type: "history", id: "d", room: "#lobby", limit: 1 });
  const lines = hub.histories(ann);
  assert.deepEqual(lines.map((l) => [l.re, texts(l)]), [
    ["a", ["m3", "m4", "m5"]],
    ["b", ["m3", "m4"]],
    ["c", ["m2", "m3", "m4", "m5"]],
    ["d", ["m6"]],
  ]);
  hub.close();
});

Deno.test("private history is served to its two parties only", () => {
  const hub = new HistoryHub(0);
  const [ann, bob, cy] = [hub.login("ann"), hub.login("bob"), hub.login("cy")];
  hub.send(ann, { type: "msg", to: "bob", text: "for bob only" });
  hub.send(bob, { type: "msg", to: "ANN", text: "for ann only" });
  for (const conn of [ann, bob, cy]) hub.h.read(conn);
  hub.send(bob, { type: "history", id: 1, peer: "ann", limit: 10 });
  hub.send(ann, { type: "history", id: 1, peer: "Bob", limit: 10 });
  hub.send(cy, { type: "history", id: 1, peer: "ann", limit: 10 });
  hub.send(cy, { type: "history", id: 2, peer: "bob", limit: 10 });
  const both = [["ann", "bob", "for bob only"], ["bob", "ann", "for ann only"]];
  const entries = (line: Line | undefined) =>
    (line?.messages as Array<Record<string, unknown>>).map((m) => [m.from, m.to, m.text]);
  assert.deepEqual(entries(hub.histories(bob)[0]), both);
  assert.deepEqual(entries(hub.histories(ann)[0]), both);
  assert.deepEqual(hub.histories(cy).map(entries), [[], []]);
  hub.close();
});

Deno.test("history served from the store matches what was relayed live, ids included", () => {
  const hub = new HistoryHub(0);
  const [ann, bob] = [hub.login("ann"), hub.login("bob")];
  hub.h.read(bob);
  hub.send(ann, { type: "say", text: "live", action: true });
  const [live] = hub.h.read(bob);
  hub.store.flush();
  hub.send(bob, { type: "history", id: 5, room: "#lobby", limit: 1 });
  const [entry] = hub.histories(bob)[0]!.messages as Array<Record<string, unknown>>;
  assert.deepEqual(entry, { id: live!.id, from: "ann", text: "live", action: true, ts: live!.ts });
  assert.equal(hub.logs.length, 0);
  hub.close();
});

Deno.test("carryOutHistory logs a message it could not keep, and ids that disagree", () => {
  const hub = new HistoryHub(0);
  const ann = hub.login("ann");
  hub.store.append({
    kind: "room",
    room: "#x",
    from: "z",
    text: "out of band",
    action: false,
    ts: 0,
  });
  hub.send(ann, { type: "say", text: "hi" });
  assert.deepEqual(hub.logs.map((r) => r.event), ["history_id_mismatch"]);
  hub.store.close();
  hub.send(ann, { type: "say", text: "after close" });
  assert.deepEqual(hub.logs.map((r) => [r.level, r.event]).slice(1), [
    ["warn", "history_write_failed"],
  ]);
  hub.close();
});

Deno.test("recordOf turns a later write failure or drop into a warning naming its code", () => {
  const error = new StoreError("WRITE_FAILED", "Cannot write history: disk full");
  const failed = recordOf({ type: "write_failed", error, pending: 3, failures: 2 });
  assert.equal(failed.level, "warn");
  assert.match(failed.detail!, /disk full \(WRITE_FAILED\); 3 pending/);
  const dropped = recordOf({
    type: "dropped",
    error: new StoreError("HISTORY_DROPPED", "History lost 10 messages"),
    count: 10,
  });
  assert.deepEqual([dropped.level, dropped.event], ["warn", "history_dropped"]);
});

Deno.test("openHistory logs a write that fails after start in the Worker, with its code", async () => {
  const dir = tempDir();
  const logs: LogRecord[] = [];
  const opened = await openHistory(
    { data: dir, historyDays: null, historyMax: null },
    (r) => logs.push(r),
  );
  assert.ok(opened.ok);
  const blocker = new DatabaseSync(join(dir, DATABASE_FILE));
  blocker.exec("BEGIN IMMEDIATE"); // another writer holds the lock: a real SQLITE_BUSY
  opened.store.append({ kind: "room", room: "#a", from: "ann", text: "hi", action: false, ts: 1 });
  // The Worker writes its batch within a second; the failure comes back as a log record.
  for (let waited = 0; logs.length === 0 && waited < 5_000; waited += 50) await delay(50);
  assert.deepEqual(logs.map((r) => [r.level, r.event]), [["warn", "history_write_failed"]]);
  assert.match(logs[0]!.detail!, /\(WRITE_FAILED\)/);
  blocker.exec("ROLLBACK");
  blocker.close();
  assert.equal(await opened.store.close(), 0, "the close writes what failed before");
  Deno.removeSync(dir, { recursive: true });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
