import assert from "node:assert/strict";
import { CONTROL_RATE_BURST, MAX_PROTOCOL_ERRORS } from "../../lib/chat/limits.ts";
import { HubHarness, ofType } from "./_hub_harness.ts";

const utf8 = new TextEncoder();
const pings = (count: number) => utf8.encode('{"type":"ping"}\n'.repeat(count));

Deno.test("hub answers a ping flood before login with RATE_LIMITED and closes it, never backlogged", () => {
  // No chat rate limit at all: the control budget holds regardless of --rate.
  const h = new HubHarness({ rate: null });
  const [reader] = h.loginAll(["reader"], 0);
  const flooders = Array.from({ length: 6 }, (_, i) => h.connect(0, `10.0.0.${i}`));
  for (const conn of flooders) {
    h.sendBytes(conn, pings(10_000), 1);
    assert.equal(h.hub.backloggedClients, 0, "no read of anyone waits for an unread flood");
  }
  for (const conn of flooders) {
    const lines = h.read(conn);
    assert.equal(ofType(lines, "pong").length, CONTROL_RATE_BURST);
    const codes = ofType(lines, "error").map((l) => l.code);
    assert.deepEqual(codes, [
      ...Array(MAX_PROTOCOL_ERRORS).fill("RATE_LIMITED"),
      "TOO_MANY_ERRORS",
    ]);
    assert.ok(lines.length < 40, `${lines.length} lines: the output of a flood is bounded`);
  }
  h.send(reader!, { type: "ping", id: 1 }, 2);
  assert.deepEqual(h.read(reader!), [{ type: "pong", re: 1 }], "the others are served as usual");
});

Deno.test("hub closes a member flooding pings without reading before its queue backlogs", () => {
  const h = new HubHarness({ backlogBytes: 2048 });
  const [flooder] = h.loginAll(["flooder"], 0);
  h.sendBytes(flooder!, pings(10_000), 1);
  assert.equal(h.hub.backloggedClients, 0);
  assert.equal(h.takeActionsOf("close")[0]?.code, "TOO_MANY_ERRORS");
});

Deno.test("hub refills the ping budget with time, as RATE_LIMITED's retryMs says", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  const later = 60_000; // the login's token is back
  h.sendBytes(ann!, pings(CONTROL_RATE_BURST), later);
  assert.equal(ofType(h.read(ann!), "pong").length, CONTROL_RATE_BURST);
  h.send(ann!, { type: "ping", id: "late" }, later);
  const refused = h.readOne(ann!);
  assert.deepEqual([refused.code, refused.re], ["RATE_LIMITED", "late"]);
  h.send(ann!, { type: "ping", id: "on time" }, later + (refused.retryMs as number));
  assert.deepEqual(h.read(ann!), [{ type: "pong", re: "on time" }]);
});

Deno.test("hub meters login attempts like pings, so a flood of taken names is closed", () => {
  const h = new HubHarness({ rate: null });
  h.loginAll(["taken"], 0);
  const conn = h.connect(0);
  h.read(conn);
  h.send(conn, '{"type":"login","name":"taken"}\n'.repeat(1000), 1);
  const codes = ofType(h.read(conn), "error").map((l) => l.code);
  assert.equal(codes.filter((c) => c === "NAME_TAKEN").length, CONTROL_RATE_BURST);
  assert.equal(codes.at(-1), "TOO_MANY_ERRORS");
});

Deno.test("hub closes a connection that floods requests before logging in", () => {
  const h = new HubHarness({ rate: null });
  const conn = h.connect(0);
  h.read(conn);
  h.send(conn, '{"type":"users"}\n'.repeat(1000), 1);
  const codes = ofType(h.read(conn), "error").map((l) => l.code);
  assert.deepEqual(codes, [...Array(MAX_PROTOCOL_ERRORS).fill("NOT_LOGGED_IN"), "TOO_MANY_ERRORS"]);
});

Deno.test("hub counts only members as backlogged: a connection not logged in receives no room", () => {
  const h = new HubHarness({ backlogBytes: 64 });
  const anon = h.connect(0);
  h.sendBytes(anon, pings(5), 0);
  assert.equal(h.hub.backloggedClients, 0, "an unread queue before login pauses nobody");
  const [member] = h.loginAll(["member"], 0);
  h.sendBytes(member!, pings(5), 0);
  assert.equal(h.hub.backloggedClients, 1);
  h.read(member!);
  assert.equal(h.hub.backloggedClients, 0);
});

Deno.test("hub does not count a long list reply as backlog: it answers one request", () => {
  const h = new HubHarness({ backlogBytes: 64 });
  const [member] = h.loginAll(["member", "ann", "bob", "cy", "dee", "eve"], 0);
  h.read(member!);
  h.send(member!, { type: "names", room: "#lobby", id: 1 }, 0);
  assert.equal(h.hub.backloggedClients, 0, "a NAMES at login pauses nobody's reads");
  assert.equal((ofType(h.read(member!), "names")[0]?.names as string[]).length, 6);
  h.sendBytes(member!, pings(5), 0);
  assert.equal(h.hub.backloggedClients, 1, "other lines still count");
});
