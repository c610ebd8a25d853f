import assert from "node:assert/strict";
import { HEARTBEAT_MS, IDLE_TIMEOUT_MS, LOGIN_TIMEOUT_MS } from "../../lib/chat/limits.ts";
import { HubHarness } from "./_hub_harness.ts";

const TIMINGS = { heartbeatMs: 1000, idleTimeoutMs: 3000, loginTimeoutMs: 500 };

Deno.test("hub closes a connection that has not logged in by the login deadline", () => {
  const h = new HubHarness(TIMINGS);
  const [bob] = h.loginAll(["bob"], 0);
  const conn = h.connect(100);
  h.read(conn);
  h.send(conn, { type: "ping" }, 300); // talking is not logging in
  h.read(conn);
  h.tick(599);
  assert.deepEqual(h.read(conn), []);
  assert.deepEqual(h.takeActionsOf("close"), []);
  h.tick(600);
  assert.deepEqual(h.read(conn).map((l) => [l.type, l.code]), [["error", "LOGIN_TIMEOUT"]]);
  assert.deepEqual(h.takeActionsOf("close"), [{ kind: "close", conn, code: "LOGIN_TIMEOUT" }]);
  assert.deepEqual(h.read(bob!), [], "nobody saw the anonymous connection leave");
  assert.equal(h.hub.connectionCount, 1);
});

Deno.test("hub's login deadline spares a connection that logged in", () => {
  const h = new HubHarness(TIMINGS);
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "ping" }, 400);
  h.read(ann!);
  h.tick(500);
  h.tick(1000);
  assert.deepEqual(h.takeActionsOf("close"), []);
});

Deno.test("hub pings a client silent for heartbeatMs, once per heartbeat", () => {
  const h = new HubHarness(TIMINGS);
  const [ann] = h.loginAll(["ann"], 0);
  h.tick(999);
  assert.deepEqual(h.read(ann!), []);
  h.tick(1000);
  assert.deepEqual(h.read(ann!), [{ type: "ping", ts: 1000 }]);
  h.tick(1500);
  h.tick(1999);
  assert.deepEqual(h.read(ann!), [], "no second ping within the same heartbeat");
  h.tick(2000);
  assert.deepEqual(h.read(ann!), [{ type: "ping", ts: 2000 }]);
});

Deno.test("hub closes a client silent for idleTimeoutMs and the others see reason timeout", () => {
  const h = new HubHarness(TIMINGS);
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  for (let now = 0; now < 3000; now += 250) {
    h.send(bob!, { type: "pong" }, now);
    h.tick(now);
  }
  h.read(ann!);
  h.read(bob!);
  h.takeActions();
  h.send(bob!, { type: "pong" }, 2999);
  h.tick(3000);
  const ended = h.read(ann!);
  assert.deepEqual(ended.map((l) => [l.type, l.code]), [["error", "IDLE_TIMEOUT"]]);
  assert.deepEqual(h.read(bob!), [{ type: "leave", name: "ann", reason: "timeout", ts: 3000 }]);
  const actions = h.takeActions().filter((a) => a.kind === "close" || a.kind === "gone");
  assert.deepEqual(actions, [
    { kind: "gone", conn: ann, user: "ann" },
    { kind: "close", conn: ann, code: "IDLE_TIMEOUT" },
  ]);
  assert.deepEqual(h.hub.userNames, ["bob"]);
});

Deno.test("hub counts a pong as a sign of life: no timeout while pongs come", () => {
  const h = new HubHarness(TIMINGS);
  const [ann] = h.loginAll(["ann"], 0);
  h.tick(1000);
  h.send(ann!, { type: "pong" }, 2500);
  h.tick(3000);
  h.tick(3499);
  assert.deepEqual(h.takeActionsOf("close"), []);
  assert.deepEqual(h.read(ann!), [{ type: "ping", ts: 1000 }], "no ping within 1 s of the pong");
  h.tick(3500);
  assert.deepEqual(h.read(ann!), [{ type: "ping", ts: 3500 }]);
  h.tick(5499);
  assert.deepEqual(h.takeActionsOf("close"), []);
  h.tick(5500);
  assert.deepEqual(h.takeActionsOf("close"), [{ kind: "close", conn: ann, code: "IDLE_TIMEOUT" }]);
});

Deno.test("hub counts any line as a sign of life, even a bad one", () => {
  const h = new HubHarness(TIMINGS);
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.send(ann!, { type: "say", text: "still here" }, 2900);
  h.send(bob!, "garbage\n", 2900);
  h.tick(3000);
  h.tick(5899);
  assert.deepEqual(h.takeActionsOf("close"), []);
  h.tick(5900);
  assert.deepEqual(h.takeActionsOf("close").map((a) => a.conn).sort(), [ann, bob]);
});

Deno.test("hub pings and times out with the protocol's default timings", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.tick(HEARTBEAT_MS - 1);
  assert.deepEqual(h.read(ann!), []);
  h.tick(HEARTBEAT_MS);
  assert.deepEqual(h.read(ann!), [{ type: "ping", ts: HEARTBEAT_MS }]);
  h.tick(IDLE_TIMEOUT_MS - 1);
  assert.deepEqual(h.takeActionsOf("close"), []);
  h.tick(IDLE_TIMEOUT_MS);
  assert.deepEqual(h.takeActionsOf("close"), [{ kind: "close", conn: ann, code: "IDLE_TIMEOUT" }]);
  const anon = h.connect(100_000);
  h.tick(100_000 + LOGIN_TIMEOUT_MS);
  assert.deepEqual(h.takeActionsOf("close"), [
    { kind: "close", conn: anon, code: "LOGIN_TIMEOUT" },
  ]);
});

Deno.test("hub's idle timeout defaults to three heartbeats", () => {
  const h = new HubHarness({ heartbeatMs: 100 });
  const [ann] = h.loginAll(["ann"], 0);
  h.tick(299);
  assert.deepEqual(h.takeActionsOf("close"), []);
  h.tick(300);
  assert.deepEqual(h.takeActionsOf("close"), [{ kind: "close", conn: ann, code: "IDLE_TIMEOUT" }]);
});

Deno.test("hub runs deadlines on now and shows the wall clock: a jump of hours drops nobody", () => {
  let wall = 1_764_090_000_000;
  const h = new HubHarness({ ...TIMINGS, wallClock: () => wall });
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  wall += 5 * 3600_000; // the wall clock is set five hours ahead
  h.send(ann!, { type: "pong" }, 500);
  h.send(bob!, { type: "pong" }, 500);
  h.tick(1000);
  assert.deepEqual(h.takeActionsOf("close"), [], "nobody dropped");
  h.send(ann!, { type: "say", text: "hi" }, 1000);
  assert.deepEqual(h.read(bob!).filter((l) => l.type === "message").map((l) => l.ts), [wall]);
  h.send(bob!, { type: "users", id: 1 }, 1000);
  const users = h.read(bob!).find((l) => l.type === "users")!.users as { since: number }[];
  assert.deepEqual(users.map((u) => u.since), [wall - 5 * 3600_000, wall - 5 * 3600_000]);
});
