import assert from "node:assert/strict";
import { encodeLine } from "../../lib/chat/json_line.ts";
import { HubHarness } from "./_hub_harness.ts";

Deno.test("hub shutdown sends shutdown as the last line to every connection and closes all", () => {
  const h = new HubHarness();
  const members = h.loginAll(["ann", "bob", "cy"], 0);
  const anon = h.connect(0);
  h.read(anon);
  h.shutdown(10, "maintenance");
  for (const conn of [...members, anon]) {
    const lines = h.read(conn);
    assert.deepEqual(lines.at(-1), { type: "shutdown", reason: "maintenance" }, `conn ${conn}`);
  }
  const closes = h.takeActionsOf("close");
  assert.deepEqual(
    closes.map((a) => [a.conn, a.code]).sort(),
    [...members, anon].map((conn) => [conn, "SHUTTING_DOWN"]).sort(),
  );
  assert.equal(h.hub.connectionCount, 0);
  assert.deepEqual(h.hub.userNames, []);
});

Deno.test("hub shutdown has a default reason", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.shutdown(1);
  const [notice] = h.read(ann!);
  assert.equal(notice?.type, "shutdown");
  assert.equal(typeof notice?.reason, "string");
  assert.ok((notice?.reason as string).length > 0);
});

Deno.test({
  name: "hub shutdown reaches a client whose queue is full, closing it once",
  fn() {
    const maxQueueBytes = 1024;
    const h = new HubHarness({ rate: null, maxQueueBytes });
    const [speaker, slow] = h.loginAll(["speaker", "slow"], 0);
    const envelope = { type: "message", from: "speaker", to: "slow", text: "", id: 1, ts: 0 };
    const fill = maxQueueBytes - 4 - encodeLine(envelope).length;
    h.send(speaker!, { type: "msg", to: "slow", text: "z".repeat(fill) }, 0);
    assert.deepEqual(h.takeActionsOf("close"), [], "the queue is 4 bytes short of full");
    h.shutdown(1, "bye");
    assert.deepEqual(h.read(slow!).map((l) => l.type), ["message", "shutdown"]);
    assert.deepEqual(
      h.takeActionsOf("close").map((a) => [a.conn, a.code]).sort(),
      [[speaker, "SHUTTING_DOWN"], [slow, "SHUTTING_DOWN"]],
    );
  },
});

Deno.test("hub refuses connections after shutdown with SHUTTING_DOWN", () => {
  const h = new HubHarness();
  h.shutdown(0);
  h.takeActions();
  const conn = h.connect(1);
  assert.deepEqual(h.read(conn).map((l) => [l.type, l.code]), [["error", "SHUTTING_DOWN"]]);
  assert.deepEqual(h.takeActionsOf("close"), [{ kind: "close", conn, code: "SHUTTING_DOWN" }]);
  assert.equal(h.hub.connectionCount, 0);
});

Deno.test("hub shutdown reports every logged-in user gone so the driver can end transfers", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.connect(0);
  h.takeActions();
  h.shutdown(1);
  const gone = h.takeActionsOf("gone");
  assert.deepEqual(gone.map((a) => [a.conn, a.user]).sort(), [[ann, "ann"], [bob, "bob"]]);
});

Deno.test({
  name: "hub shutdown sends each client the shutdown notice alone, not the others' leaves",
  fn() {
    const h = new HubHarness();
    const conns = h.loginAll(["ann", "bob", "cy", "dee"], 0);
    h.shutdown(5, "stop");
    for (const conn of conns) {
      assert.deepEqual(h.read(conn), [{ type: "shutdown", reason: "stop" }], `conn ${conn}`);
    }
  },
});

Deno.test("hub output of a closed connection stays readable until the driver calls closed", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "quit" }, 1);
  assert.deepEqual(h.read(ann!), [{ type: "bye" }]);
  h.hub.reply(ann!, { type: "pong" }, 2);
  assert.deepEqual(h.read(ann!), [], "nothing is queued after the close");
  h.hub.closed(ann!);
  assert.equal(h.hub.takeOutput(ann!), null);
});
