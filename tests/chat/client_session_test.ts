import assert from "node:assert/strict";
import { ClientSession } from "../../lib/chat/client_session.ts";

const utf8 = new TextEncoder();
const lines = (bytes: Uint8Array | null) =>
  bytes === null
    ? []
    : new TextDecoder().decode(bytes).trim().split("\n").map((l) => JSON.parse(l));

Deno.test("ClientSession numbers requests and matches each reply to its request", () => {
  const session = new ClientSession(0);
  const a = session.request({ type: "users" }, 0);
  const b = session.request({ type: "say", text: "hi" }, 0);
  assert.notEqual(a, b);
  assert.deepEqual(lines(session.takeOutput()), [{ type: "users", id: a }, {
    type: "say",
    text: "hi",
    id: b,
  }]);
  const events = session.receive(
    utf8.encode(`{"type":"ok","re":${b},"ts":5}\n{"type":"join","name":"x","ts":6}\n`),
    1,
  );
  assert.deepEqual(events.map((e) => e.kind), ["reply", "event"]);
  assert.equal(events[0]!.kind === "reply" && events[0]!.id, b);
  // A second reply with the same id is no longer a reply: the request was settled.
  assert.equal(
    session.receive(utf8.encode(`{"type":"ok","re":${b},"ts":7}\n`), 2)[0]!.kind,
    "event",
  );
});

Deno.test("ClientSession answers the hub's ping with pong and learns the heartbeat from hello", () => {
  const session = new ClientSession(0);
  session.receive(
    utf8.encode('{"type":"hello","protocol":1,"server":"s","heartbeatMs":5000}\n'),
    0,
  );
  assert.equal(session.heartbeatMs, 5000);
  session.receive(utf8.encode('{"type":"ping","ts":1}\n'), 1);
  assert.deepEqual(lines(session.takeOutput()), [{ type: "pong" }]);
});

Deno.test("ClientSession pings a quiet hub and gives up after three silent heartbeats", () => {
  const session = new ClientSession(0);
  session.receive(
    utf8.encode('{"type":"hello","protocol":1,"server":"s","heartbeatMs":1000}\n'),
    0,
  );
  assert.equal(session.tick(999), false);
  assert.equal(session.takeOutput(), null);
  assert.equal(session.tick(1000), false);
  assert.deepEqual(lines(session.takeOutput()), [{ type: "ping" }]);
  assert.equal(session.tick(2999), false);
  assert.equal(session.tick(3000), true);
});

Deno.test("ClientSession reports lines it cannot read without throwing", () => {
  const session = new ClientSession(0);
  const events = session.receive(utf8.encode('not json\n{"type":"mystery"}\n\xff\n'), 0);
  assert.deepEqual(events.map((e) => e.kind), ["skipped", "skipped", "skipped"]);
  assert.deepEqual(
    events.map((e) => e.kind === "skipped" && e.error.code),
    ["BAD_SERVER_LINE", "BAD_SERVER_LINE", "BAD_SERVER_LINE"],
  );
  assert.match(events[1]!.kind === "skipped" ? events[1]!.error.message : "", /mystery/);
});

Deno.test("ClientSession reports a line over the limit with the requests it may have answered", () => {
  const session = new ClientSession(0);
  const a = session.request({ type: "users" }, 0);
  const b = session.request({ type: "ping" }, 0);
  const events = session.receive(utf8.encode(`{"pad":"${"x".repeat(70_000)}"}\n`), 1);
  assert.deepEqual(events, [{ kind: "overlong", pending: [a, b] }]);
  const late = session.receive(utf8.encode(`{"type":"pong","re":${b}}\n`), 2);
  assert.deepEqual(late.map((e) => e.kind), ["reply"], "a late reply is still a reply");
});

Deno.test("ClientSession joins the pages of a list reply into one reply", () => {
  const session = new ClientSession(0);
  const id = session.request({ type: "users" }, 0);
  const page = (name: string, more: boolean) =>
    JSON.stringify({
      type: "users",
      re: id,
      users: [{ name, since: 0 }],
      ...(more ? { more } : {}),
    });
  const events = session.receive(
    utf8.encode(`${page("a", true)}\n${page("b", true)}\n${page("c", false)}\n`),
    1,
  );
  assert.deepEqual(events, [{
    kind: "reply",
    id,
    message: { type: "users", re: id, users: ["a", "b", "c"].map((name) => ({ name, since: 0 })) },
  }]);
});

Deno.test("ClientSession fails the request a malformed reply answers, and only that one", () => {
  const session = new ClientSession(0);
  const id = session.request({ type: "files" }, 0);
  const other = session.request({ type: "users" }, 0);
  const events = session.receive(
    utf8.encode(`{"type":"files","re":${id},"files":[{"name":7,"size":"big"}]}\n`),
    1,
  );
  assert.equal(events.length, 1);
  const [event] = events;
  assert.equal(event!.kind === "failed" && event!.id, id);
  assert.equal(event!.kind === "failed" && event!.error.code, "BAD_SERVER_LINE");
  const reply = session.receive(utf8.encode(`{"type":"users","re":${other},"users":[]}\n`), 2);
  assert.deepEqual(reply.map((e) => e.kind), ["reply"]);
});

Deno.test("ClientSession fails a paged reply whose later page is malformed", () => {
  const session = new ClientSession(0);
  const id = session.request({ type: "users" }, 0);
  const good = JSON.stringify({
    type: "users",
    re: id,
    users: [{ name: "a", since: 0 }],
    more: true,
  });
  const bad = JSON.stringify({ type: "users", re: id, users: [{ since: 0 }] });
  const events = session.receive(utf8.encode(`${good}\n${bad}\n`), 1);
  assert.deepEqual(events.map((e) => e.kind), ["failed"]);
});

Deno.test("ClientSession's next timeout is the next ping, or giving up on a silent hub", () => {
  const session = new ClientSession(0);
  session.receive(
    utf8.encode('{"type":"hello","protocol":1,"server":"s","heartbeatMs":1000}\n'),
    0,
  );
  assert.equal(session.nextTimeout(), 1000);
  assert.equal(session.tick(1000), false);
  session.takeOutput();
  // Pinged at 1000 and still silent: the next duty is giving up at 3000.
  assert.equal(session.nextTimeout(), 2000);
  session.tick(2000);
  assert.equal(session.nextTimeout(), 3000);
});
