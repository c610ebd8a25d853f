import assert from "node:assert/strict";
import { PRESENCE_COALESCE_MS } from "../../lib/chat/limits.ts";
import type { ConnId } from "../../lib/chat/hub_types.ts";
import { HubHarness, type Line } from "./_hub_harness.ts";

const HOLD = PRESENCE_COALESCE_MS;

function harness(): HubHarness {
  return new HubHarness({ rate: null, presenceCoalesceMs: HOLD });
}

/** Logs `name` in with `protocol`, reads hello and welcome, and returns the connection. */
function login(h: HubHarness, name: string, now: number, protocol = 5): ConnId {
  const conn = h.connect(now);
  h.read(conn);
  h.send(conn, { type: "login", name, protocol }, now);
  assert.equal(h.readOne(conn).type, "welcome");
  return conn;
}

function types(lines: readonly Line[]): unknown[] {
  return lines.map((line) => line.type);
}

Deno.test("hub holds a room's joins and announces them as one joins at the deadline", () => {
  const h = harness();
  const ann = login(h, "ann", 0);
  h.handleTimeout(HOLD);
  h.read(ann);
  login(h, "bob", 1000);
  login(h, "Cat", 1100);
  assert.deepEqual(h.read(ann), [], "nothing before the deadline");
  assert.equal(h.hub.pollTimeout(), 1000 + HOLD);
  h.handleTimeout(1000 + HOLD - 1);
  assert.deepEqual(h.read(ann), []);
  h.handleTimeout(1000 + HOLD);
  assert.deepEqual(h.read(ann), [
    { type: "joins", room: "#lobby", names: ["bob", "Cat"], ts: 1000 + HOLD },
  ]);
  assert.equal(h.hub.pollTimeout(), null);
});

Deno.test("hub tells a member that joined within the interval of the joins after its own", () => {
  const h = harness();
  login(h, "ann", 0);
  const bob = login(h, "bob", 1);
  const cat = login(h, "cat", 2);
  h.handleTimeout(1 + HOLD);
  const [joins] = h.read(bob);
  assert.deepEqual(joins?.names, ["ann", "bob", "cat"], "it skips the names up to its own");
  assert.deepEqual(h.read(cat), [], "the last one is told nothing");
});

Deno.test("hub gives a client older than protocol 5 a join per user, after its own", () => {
  const h = harness();
  const old = login(h, "old", 0, 4);
  const v1 = login(h, "v1", 0, 1);
  login(h, "ann", 1);
  login(h, "bob", 2);
  h.handleTimeout(HOLD);
  const room = "#lobby";
  assert.deepEqual(h.read(old), [
    { type: "join", name: "v1", ts: HOLD, room },
    { type: "join", name: "ann", ts: HOLD, room },
    { type: "join", name: "bob", ts: HOLD, room },
  ]);
  assert.deepEqual(h.read(v1), [
    { type: "join", name: "ann", ts: HOLD },
    { type: "join", name: "bob", ts: HOLD },
  ]);
});

Deno.test("hub announces a lone join as the join every version knows", () => {
  const h = harness();
  const ann = login(h, "ann", 0);
  h.handleTimeout(HOLD);
  login(h, "bob", 1000);
  h.handleTimeout(1000 + HOLD);
  assert.deepEqual(h.read(ann), [{ type: "join", name: "bob", ts: 1000 + HOLD, room: "#lobby" }]);
});

Deno.test("hub sends a room's held joins before a message said in it", () => {
  const h = harness();
  const ann = login(h, "ann", 0);
  h.handleTimeout(HOLD);
  const bob = login(h, "bob", 1000);
  login(h, "cat", 1000);
  h.send(bob, { type: "say", text: "hi" }, 1001);
  assert.deepEqual(types(h.read(ann)), ["joins", "message"]);
  assert.equal(h.hub.pollTimeout(), null, "nothing held any more");
});

Deno.test("hub sends held joins before a leave, a rename or an away", () => {
  const cases: [string, (h: HubHarness, bob: ConnId, now: number) => void, string][] = [
    ["leave", (h, bob, now) => h.disconnect(bob, now), "leave"],
    ["nick", (h, bob, now) => h.send(bob, { type: "nick", name: "rob" }, now), "nick"],
    ["away", (h, bob, now) => h.send(bob, { type: "away", text: "out" }, now), "away"],
  ];
  for (const [what, act, type] of cases) {
    const h = harness();
    const ann = login(h, "ann", 0);
    h.handleTimeout(HOLD);
    const bob = login(h, "bob", 1000);
    login(h, "cat", 1000);
    act(h, bob, 1001);
    assert.deepEqual(types(h.read(ann)), ["joins", type], what);
  }
});

Deno.test("hub names a room's members without the held joins new to the asker", () => {
  const h = harness();
  const ann = login(h, "ann", 0);
  h.handleTimeout(HOLD);
  const bob = login(h, "bob", 1000);
  login(h, "cat", 1000);
  const names = (conn: ConnId) => {
    h.send(conn, { type: "names", room: "#lobby" }, 1001);
    return h.read(conn).map((line) => line.names);
  };
  assert.deepEqual(names(ann), [["ann"]], "bob and cat are still to be announced to ann");
  assert.deepEqual(names(bob), [["ann", "bob"]], "cat is still to be announced to bob");
  h.handleTimeout(1000 + HOLD);
  assert.deepEqual(h.read(ann).map((line) => line.names), [["bob", "cat"]]);
  assert.deepEqual(names(ann), [["ann", "bob", "cat"]]);
});

Deno.test("hub with presenceCoalesceMs 0 announces each join at once", () => {
  const h = new HubHarness({ presenceCoalesceMs: 0 });
  const ann = login(h, "ann", 0);
  login(h, "bob", 1);
  assert.deepEqual(types(h.read(ann)), ["join"]);
  assert.equal(h.hub.pollTimeout(), null);
});

Deno.test("hub announces held joins at its once-a-second tick too", () => {
  const h = harness();
  const ann = login(h, "ann", 0);
  h.handleTimeout(HOLD);
  login(h, "bob", 1000);
  login(h, "cat", 1000);
  h.tick(2000);
  assert.deepEqual(types(h.read(ann)), ["joins"]);
});
