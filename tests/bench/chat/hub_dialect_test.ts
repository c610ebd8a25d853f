import assert from "node:assert/strict";
import { hubDialect } from "../../../bench/chat/hub_dialect.ts";
import type { SetupState } from "../../../bench/chat/dialect.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);
const inLobby = (): SetupState => ({ rooms: ["#lobby"], joined: 0 });

Deno.test("hubDialect.greet logs in with protocol 5 (rooms, joins) on one line", () => {
  const greeting = text(hubDialect.greet("c7"));
  assert.deepEqual(greeting.endsWith("\n"), true);
  assert.deepEqual(JSON.parse(greeting), { type: "login", name: "c7", protocol: 5 });
});

Deno.test("hubDialect.setupLine waits through hello, is done at welcome, refused on error", () => {
  const state = inLobby();
  assert.deepEqual(hubDialect.setupLine(bytes('{"type":"hello","protocol":2}'), state), {
    kind: "wait",
  });
  assert.deepEqual(
    hubDialect.setupLine(bytes('{"type":"welcome","name":"c1","users":[]}'), state),
    { kind: "done" },
  );
  assert.deepEqual(
    hubDialect.setupLine(bytes('{"type":"error","code":"SERVER_FULL","message":"Full"}'), state),
    { kind: "refused", reason: "SERVER_FULL" },
  );
  assert.deepEqual(hubDialect.setupLine(bytes('{"type":"error" garbage'), state), {
    kind: "refused",
    reason: "unreadable error line",
  });
});

Deno.test("hubDialect.setupLine joins the other rooms after welcome and is done once in all", () => {
  const state: SetupState = { rooms: ["#r1", "#big"], joined: 0 };
  const step = hubDialect.setupLine(bytes('{"type":"welcome","name":"c1"}'), state);
  assert.equal(step.kind, "send");
  const sent = step.kind === "send"
    ? text(step.bytes).trim().split("\n").map((l) => JSON.parse(l))
    : [];
  assert.deepEqual(sent, [{ type: "join", room: "#r1" }, { type: "join", room: "#big" }]);
  const joined = bytes('{"type":"joined","re":1,"room":"#r1"}');
  assert.deepEqual(hubDialect.setupLine(joined, state), { kind: "wait" });
  assert.deepEqual(hubDialect.setupLine(joined, state), { kind: "done" });
});

Deno.test("hubDialect.say writes one say request per text, to the room", () => {
  const lines = text(hubDialect.say("#r3", ["a", 'q"uote'], 1, 4)).split("\n");
  assert.deepEqual(lines.map((line) => line === "" ? null : JSON.parse(line)), [
    { type: "say", room: "#r3", text: "a" },
    { type: "say", room: "#r3", text: 'q"uote' },
    null,
  ]);
});

Deno.test("hubDialect counts each ok as one more acknowledged message", () => {
  assert.deepEqual(hubDialect.ackedThrough(bytes('{"type":"ok","ts":1}'), 41), 42);
  assert.deepEqual(hubDialect.ackedThrough(bytes('{"type":"message","from":"c1"}'), 41), -1);
});

Deno.test("hubDialect.parseMessage parses message events and checks their fields", () => {
  assert.deepEqual(
    hubDialect.parseMessage(
      bytes('{"type":"message","from":"a","room":"#lobby","text":"x","ts":1}'),
    ),
    { from: "a", room: "#lobby", text: "x" },
  );
  assert.equal(hubDialect.parseMessage(bytes('{"type":"join","name":"a","ts":1}')), null);
  assert.equal(hubDialect.parseMessage(bytes('{"type":"message","from":"a"')), "malformed");
  assert.equal(
    hubDialect.parseMessage(bytes('{"type":"message","from":1,"room":"#l","text":"x"}')),
    "malformed",
  );
});

Deno.test("hubDialect.keepalive is a pong, which the hub never answers", () => {
  assert.deepEqual(JSON.parse(text(hubDialect.keepalive())), { type: "pong" });
});
