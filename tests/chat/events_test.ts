import assert from "node:assert/strict";
import { parseServerMessage } from "../../lib/chat/events.ts";

Deno.test("parseServerMessage reads every line of the documented session", () => {
  const lines = [
    '{"type":"hello","protocol":1,"server":"deno-chat/0.1.0","maxLineBytes":65536,' +
    '"heartbeatMs":15000,"rate":{"perSecond":20,"burst":40}}',
    '{"type":"welcome","re":1,"name":"alice","users":["alice","bob"],"ts":1764090000000}',
    '{"type":"ok","re":2,"ts":1764090000123}',
    '{"type":"message","from":"bob","to":"alice","text":"hi alice","ts":1764090000456}',
    '{"type":"bye","re":3}',
  ];
  for (const line of lines) {
    assert.deepEqual(parseServerMessage(line), JSON.parse(line), line);
  }
});

Deno.test("parseServerMessage reads each event type with its required fields", () => {
  const messages = [
    { type: "join", name: "ann", ts: 1 },
    { type: "leave", name: "ann", reason: "timeout", ts: 1 },
    { type: "users", users: [{ name: "ann", since: 1 }] },
    { type: "files", re: "f", files: [{ name: "a.txt", size: 3 }] },
    { type: "ping", ts: 5 },
    { type: "pong", re: 4 },
    { type: "shutdown", reason: "maintenance" },
    { type: "error", code: "RATE_LIMITED", message: "Too many requests", retryMs: 50 },
    { type: "transfer_done", transfer: 3, ok: true },
    {
      type: "transfer",
      transfer: 3,
      name: "a.txt",
      size: 3,
      sha256: "0".repeat(64),
      offset: 0,
      udpPort: 4000,
      token: "t",
      direction: "download",
    },
  ];
  for (const message of messages) {
    assert.deepEqual(parseServerMessage(JSON.stringify(message)), message, message.type);
  }
});

Deno.test("parseServerMessage keeps fields it does not know, for newer hubs", () => {
  const line = '{"type":"ping","ts":1,"color":"blue"}';
  assert.deepEqual(parseServerMessage(line), { type: "ping", ts: 1, color: "blue" });
});

Deno.test("parseServerMessage ignores lines that are not JSON objects", () => {
  for (const line of ["", "garbage", "{", "[]", "null", "7", '"ping"', '[{"type":"ping"}]']) {
    assert.equal(parseServerMessage(line), null, line);
  }
});

Deno.test("parseServerMessage ignores unknown or missing types", () => {
  for (const type of [undefined, 5, "", "wave", "toString", "__proto__", "constructor"]) {
    assert.equal(parseServerMessage(JSON.stringify({ type, ts: 1 })), null, String(type));
  }
});

Deno.test("parseServerMessage ignores messages with required fields missing or mistyped", () => {
  const bad = [
    { type: "hello", protocol: 1, server: "x" },
    { type: "welcome", name: "ann" },
    { type: "message", from: "bob", text: 5, ts: 1 },
    { type: "message", text: "hi", ts: 1 },
    { type: "join", name: null, ts: 1 },
    { type: "leave", name: "ann", ts: 1 },
    { type: "users", users: "ann" },
    { type: "users" },
    { type: "files", files: {} },
    { type: "transfer", transfer: "1", name: "a", size: 1, token: "t" },
    { type: "transfer_done", transfer: 1, ok: "yes" },
    { type: "shutdown" },
    { type: "error", code: "X" },
  ];
  for (const message of bad) {
    assert.equal(parseServerMessage(JSON.stringify(message)), null, JSON.stringify(message));
  }
});
