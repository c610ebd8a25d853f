import assert from "node:assert/strict";
import { hubDialect } from "../../../bench/chat/hub_dialect.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

Deno.test("hubDialect.greet logs in with protocol 1 on one line", () => {
  const greeting = text(hubDialect.greet("c7"));
  assert.deepEqual(greeting.endsWith("\n"), true);
  assert.deepEqual(JSON.parse(greeting), { type: "login", name: "c7", protocol: 1 });
});

Deno.test("hubDialect.setupLine waits through hello, is done at welcome, refused on error", () => {
  assert.deepEqual(hubDialect.setupLine(bytes('{"type":"hello","protocol":1}')), { kind: "wait" });
  assert.deepEqual(hubDialect.setupLine(bytes('{"type":"welcome","name":"c1","users":[]}')), {
    kind: "done",
  });
  assert.deepEqual(
    hubDialect.setupLine(bytes('{"type":"error","code":"SERVER_FULL","message":"Full"}')),
    { kind: "refused", reason: "SERVER_FULL" },
  );
  assert.deepEqual(hubDialect.setupLine(bytes('{"type":"error" garbage')), {
    kind: "refused",
    reason: "unreadable error line",
  });
});

Deno.test("hubDialect.say writes one say request per text", () => {
  const lines = text(hubDialect.say(["a", 'q"uote'], 1, 4)).split("\n");
  assert.deepEqual(lines.map((line) => line === "" ? null : JSON.parse(line)), [
    { type: "say", text: "a" },
    { type: "say", text: 'q"uote' },
    null,
  ]);
});

Deno.test("hubDialect counts each ok as one more acknowledged message", () => {
  assert.deepEqual(hubDialect.ackedThrough(bytes('{"type":"ok","ts":1}'), 41), 42);
  assert.deepEqual(hubDialect.ackedThrough(bytes('{"type":"message","from":"c1"}'), 41), -1);
});

Deno.test("hubDialect.isMessage recognises message events only", () => {
  assert.deepEqual(
    hubDialect.isMessage(bytes('{"type":"message","from":"a","text":"x","ts":1}')),
    true,
  );
  assert.deepEqual(hubDialect.isMessage(bytes('{"type":"join","name":"a","ts":1}')), false);
});

Deno.test("hubDialect.keepalive is a pong, which the hub never answers", () => {
  assert.deepEqual(JSON.parse(text(hubDialect.keepalive())), { type: "pong" });
});
