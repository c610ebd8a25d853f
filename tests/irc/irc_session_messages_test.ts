import assert from "node:assert/strict";
import { MAX_IRC_LINE_BYTES, MAX_PENDING_REQUESTS, MAX_TARGETS } from "../../lib/irc/limits.ts";
import { utf8Length } from "../../lib/irc/utf8_length.ts";
import { ok, registered } from "./_session_harness.ts";

Deno.test("IrcSession turns PRIVMSG to a room into `say` and to a nick into `msg`", () => {
  const h = registered().send("PRIVMSG #LOBBY :hello all");
  const say = h.request();
  assert.deepEqual(say, { type: "say", room: "#lobby", text: "hello all", id: say.id });
  h.send("PRIVMSG bob :psst");
  const msg = h.request();
  assert.deepEqual(msg, { type: "msg", to: "bob", text: "psst", id: msg.id });
});

Deno.test("IrcSession sends CTCP ACTION as an action and drops other CTCP unrelayed", () => {
  const h = registered().send("PRIVMSG #lobby :\x01ACTION waves\x01");
  const say = h.request();
  assert.deepEqual(say, { type: "say", room: "#lobby", text: "waves", action: true, id: say.id });
  h.send(
    "PRIVMSG bob :\x01VERSION\x01",
    "PRIVMSG bob :\x01DCC SEND x 1 2 3\x01",
    "PRIVMSG #lobby :\x01",
  );
  assert.deepEqual(h.takeRequests(), []);
  assert.deepEqual(h.take(), []);
  assert.equal(h.session.stats.ctcpDropped, 3);
});

Deno.test("IrcSession answers 404 to a message for a room the user is not in", () => {
  const h = registered().send("PRIVMSG #elsewhere :hi");
  assert.deepEqual(h.take(), [":deno-chat 404 ann #elsewhere :Cannot send to channel"]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession answers 411, 412 and 401 to a message without target, text or a nick", () => {
  const h = registered().send("PRIVMSG", "PRIVMSG #lobby", "PRIVMSG #lobby :", "PRIVMSG b@d :x");
  assert.deepEqual(h.numerics(), ["411", "412", "412", "401"]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession answers 401 when the hub knows no such user", () => {
  const h = registered().send("PRIVMSG zed :hi");
  h.event({ type: "error", re: h.request().id, code: "NO_SUCH_USER", message: "No user 'zed'" });
  assert.deepEqual(h.take(), [":deno-chat 401 ann zed :No user 'zed'"]);
});

Deno.test("IrcSession never answers a NOTICE, even when it fails", () => {
  const h = registered().send("NOTICE", "NOTICE #elsewhere :x", "NOTICE b@d :x", "NOTICE zed :hi");
  h.event({ type: "error", re: h.request().id, code: "NO_SUCH_USER", message: "No user 'zed'" });
  assert.deepEqual(h.take(), []);
});

Deno.test("IrcSession sends to several targets, at most MAX_TARGETS (407 past it)", () => {
  const h = registered().send("PRIVMSG #lobby,bob :hi");
  assert.deepEqual(h.takeRequests().map((r) => r.type), ["say", "msg"]);
  const many = Array.from({ length: MAX_TARGETS + 1 }, (_, i) => `u${i}`).join(",");
  h.send(`PRIVMSG ${many} :hi`);
  assert.deepEqual(h.numerics(), ["407"]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession echoes the user's own message only with echo-message, at the hub's time", () => {
  const plain = registered().send("PRIVMSG #lobby :hi");
  assert.deepEqual(ok(plain).take(), []);
  const echo = registered("ann", { caps: "echo-message server-time" }).send("PRIVMSG #lobby :hi");
  assert.deepEqual(ok(echo, Date.UTC(2026, 0, 2, 3, 4, 5, 6)).take(), [
    "@time=2026-01-02T03:04:05.006Z :ann!ann@deno-chat PRIVMSG #lobby :hi",
  ]);
  const action = registered("ann", { caps: "echo-message" });
  action.send("PRIVMSG Bob :\x01ACTION waves\x01");
  assert.deepEqual(ok(action, 1, { to: "bob" }).take(), [
    ":ann!ann@deno-chat PRIVMSG bob :\x01ACTION waves\x01",
  ]);
});

Deno.test("IrcSession shows a chat message to the room, with server-time and msgid when negotiated", () => {
  const plain = registered("ann", { others: ["bob"] });
  plain.event({ type: "message", from: "bob", room: "#lobby", text: "hi ann", ts: 0, id: "m1" });
  assert.deepEqual(plain.take(), [":bob!bob@deno-chat PRIVMSG #lobby :hi ann"]);
  const tagged = registered("ann", { caps: "server-time message-tags" });
  tagged.event({ type: "message", from: "bob", room: "#LOBBY", text: "hi", ts: 0, id: "m1" });
  assert.deepEqual(tagged.take(), [
    "@time=1970-01-01T00:00:00.000Z;msgid=m1 :bob!bob@deno-chat PRIVMSG #lobby :hi",
  ]);
});

Deno.test("IrcSession shows private messages and actions addressed to the user", () => {
  const h = registered();
  h.event({ type: "message", from: "bob", to: "ann", text: "psst", ts: 0 });
  h.event({ type: "message", from: "bob", room: "#lobby", text: "waves", action: true, ts: 0 });
  assert.deepEqual(h.take(), [
    ":bob!bob@deno-chat PRIVMSG ann :psst",
    ":bob!bob@deno-chat PRIVMSG #lobby :\x01ACTION waves\x01",
  ]);
});

Deno.test("IrcSession drops a message for a room the user is not in", () => {
  const h = registered().event({ type: "message", from: "bob", room: "#x", text: "hi", ts: 0 });
  assert.deepEqual(h.take(), []);
});

Deno.test("IrcSession splits a 4,096-character chat message into lines within 512 bytes", () => {
  const text = "Ünïcödé wörds and 😀 emoji ".repeat(160).slice(0, 4096);
  const h = registered().event({ type: "message", from: "bob", room: "#lobby", text, ts: 0 });
  const lines = h.take();
  assert.ok(lines.length > 8);
  const prefix = ":bob!bob@deno-chat PRIVMSG #lobby :";
  let joined = "";
  for (const line of lines) {
    assert.ok(utf8Length(line) + 2 <= MAX_IRC_LINE_BYTES, `${utf8Length(line)} bytes`);
    assert.ok(line.startsWith(prefix));
    joined += line.slice(prefix.length);
  }
  assert.equal(joined, text);
});

Deno.test("IrcSession never lets a chat message's line break or \\x01 start a line or CTCP", () => {
  const text = "hi\r\nQUIT :bye\n\x01DCC SEND evil\x01";
  const h = registered().event({ type: "message", from: "bob", room: "#lobby", text, ts: 0 });
  assert.deepEqual(h.take(), [
    ":bob!bob@deno-chat PRIVMSG #lobby :hi",
    ":bob!bob@deno-chat PRIVMSG #lobby :QUIT :bye",
    ":bob!bob@deno-chat PRIVMSG #lobby :\ufffdDCC SEND evil\ufffd",
  ]);
});

Deno.test("IrcSession shows a hub refusal it has no numeric for as a NOTICE", () => {
  const h = registered().send("PRIVMSG #lobby :hi");
  h.event({ type: "error", re: h.request().id, code: "RATE_LIMITED", message: "Slow down" });
  assert.deepEqual(h.take(), [":deno-chat NOTICE ann :PRIVMSG #lobby: Slow down"]);
});

Deno.test("IrcSession makes at most MAX_PENDING_REQUESTS requests awaiting replies", () => {
  const h = registered();
  for (let i = 0; i < MAX_PENDING_REQUESTS + 3; i++) h.send(`PRIVMSG #lobby :m${i}`);
  assert.equal(h.takeRequests().length, MAX_PENDING_REQUESTS);
  assert.equal(h.session.stats.overloaded, 3);
});
