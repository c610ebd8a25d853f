import assert from "node:assert/strict";
import { accepted, parsed, problem } from "./_server_lines.ts";
import { MAX_RETRY_MS, parseServerMessage } from "../../lib/chat/events.ts";
import { LOCKOUT_WINDOW_MS, MAX_JOINS_PER_EVENT } from "../../lib/chat/limits.ts";

const SHA = "ab".repeat(32);
const TOKEN = "0f".repeat(16);
const KEY = "a5".repeat(32);

Deno.test("parseServerMessage reads every line of the documented session", () => {
  const lines = [
    '{"type":"hello","protocol":1,"server":"deno-chat/0.1.0","maxLineBytes":65536,' +
    '"heartbeatMs":15000,"rate":{"perSecond":20,"burst":40}}',
    '{"type":"welcome","re":1,"name":"alice","users":["alice","bob"],"userCount":2,' +
    '"ts":1764090000000}',
    '{"type":"ok","re":2,"ts":1764090000123}',
    '{"type":"message","from":"bob","to":"alice","text":"hi alice","ts":1764090000456}',
    '{"type":"bye","re":3}',
  ];
  for (const line of lines) {
    assert.deepEqual(parseServerMessage(line), { ok: true, message: JSON.parse(line) }, line);
  }
});

Deno.test("parseServerMessage reads each event type with its fields", () => {
  const messages = [
    { type: "join", name: "ann", ts: 1 },
    { type: "leave", name: "ann", reason: "timeout", ts: 1 },
    { type: "users", users: [{ name: "ann", since: 1 }] },
    { type: "users", re: 4, users: [{ name: "ann", since: 1 }], more: true },
    { type: "files", re: "f", files: [{ name: "a.txt", size: 3 }] },
    { type: "ping", ts: 5 },
    { type: "pong", re: 4 },
    { type: "shutdown", reason: "maintenance" },
    { type: "error", code: "RATE_LIMITED", message: "Too many requests", retryMs: 50 },
    { type: "transfer_done", transfer: 3, ok: true },
    { type: "transfer_done", transfer: 3, ok: false, code: "TRANSFER_FAILED", message: "disk" },
    { type: "file_added", name: "a.txt", size: 0, from: "ann", ts: 2 },
    {
      type: "transfer",
      re: 9,
      transfer: 3,
      name: "a.txt",
      size: 3,
      sha256: SHA,
      offset: 3,
      udpPort: 4000,
      token: TOKEN,
      key: KEY,
      direction: "download",
    },
  ];
  for (const message of messages) assert.deepEqual(accepted(message), message);
});

Deno.test("parseServerMessage reads an action flag on a message and the target on an ok", () => {
  const messages = [
    { type: "message", from: "ann", text: "waves", action: true, ts: 1 },
    { type: "message", from: "ann", to: "bob", text: "nods", action: false, ts: 1 },
    { type: "ok", re: 2, ts: 1, to: "Bob" },
  ];
  for (const message of messages) assert.deepEqual(accepted(message), message);
  assert.match(problem({ type: "message", from: "a", text: "x", action: "yes", ts: 1 }), /action/);
  assert.match(problem({ type: "ok", ts: 1, to: "" }), /'to'/);
});

Deno.test("parseServerMessage gives a hello without maxLineBytes or rate the defaults", () => {
  assert.deepEqual(accepted({ type: "hello", protocol: 1, server: "s", heartbeatMs: 1000 }), {
    type: "hello",
    protocol: 1,
    server: "s",
    maxLineBytes: 65536,
    heartbeatMs: 1000,
    rate: null,
  });
});

Deno.test("parseServerMessage builds the message from checked fields only", () => {
  assert.deepEqual(accepted({ type: "ping", ts: 1, color: "blue", __proto__: { x: 1 } }), {
    type: "ping",
    ts: 1,
  });
});

Deno.test("parseServerMessage refuses lines that are not JSON objects", () => {
  for (const line of ["", "garbage", "{", "[]", "null", "7", '"ping"', '[{"type":"ping"}]']) {
    const result = parseServerMessage(line);
    assert.deepEqual(result, { ok: false, problem: "not a JSON object" }, line);
  }
});

Deno.test("parseServerMessage refuses unknown or missing types, naming them", () => {
  for (const type of ["wave", "toString", "__proto__", "constructor", "hasOwnProperty"]) {
    assert.match(problem({ type, ts: 1 }), /^unknown type/, type);
  }
  for (const type of [undefined, 5, null]) {
    assert.equal(problem({ type, ts: 1 }), "field 'type' must be a string");
  }
});

Deno.test("parseServerMessage refuses numbers out of bounds: sizes, counts, ports, times", () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ type: "file_added", name: "a", size: -1, from: "ann", ts: 1 }, /'size' must be a non-neg/],
    [{ type: "file_added", name: "a", size: 1.5, from: "ann", ts: 1 }, /'size'/],
    [{ type: "file_added", name: "a", size: 2 ** 53, from: "ann", ts: 1 }, /'size'/],
    [{ type: "files", files: [{ name: "a", size: -5 }] }, /files\[0\]: field 'size'/],
    [{ type: "join", name: "ann", ts: "now" }, /'ts' must be a finite number/],
    [{ type: "ok", ts: null }, /'ts'/],
    [{ type: "welcome", name: "ann", users: [], userCount: -1, ts: 1 }, /'userCount'/],
    [{ type: "hello", protocol: 1, server: "s", heartbeatMs: 0 }, /'heartbeatMs'/],
    [{ type: "hello", protocol: 1, server: "s", heartbeatMs: 1e12 }, /'heartbeatMs'/],
    [{ type: "hello", protocol: 0, server: "s", heartbeatMs: 1000 }, /'protocol'/],
    [{ type: "error", code: "RATE_LIMITED", message: "m", retryMs: MAX_RETRY_MS + 1 }, /retryMs/],
    [{ type: "error", code: "RATE_LIMITED", message: "m", retryMs: -1 }, /retryMs/],
  ];
  for (const [value, expected] of cases) assert.match(problem(value), expected);
});

Deno.test("parseServerMessage refuses a transfer grant that cannot be right", () => {
  const grant = {
    type: "transfer",
    transfer: 3,
    name: "a.txt",
    size: 10,
    sha256: SHA,
    offset: 0,
    udpPort: 4000,
    token: TOKEN,
    key: KEY,
    direction: "download",
  };
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ offset: 11 }, "offset"],
    [{ offset: -1 }, "offset"],
    [{ udpPort: 0 }, "udpPort"],
    [{ udpPort: 65536 }, "udpPort"],
    [{ sha256: "AB".repeat(32) }, "sha256"],
    [{ sha256: "ab" }, "sha256"],
    [{ token: "t" }, "token"],
    [{ key: "ab".repeat(16) }, "key"],
    [{ key: undefined }, "key"],
    [{ direction: "sideways" }, "direction"],
    [{ name: "../etc/passwd" }, "name"],
    [{ transfer: "1" }, "transfer"],
  ];
  for (const [change, field] of cases) {
    assert.match(problem({ ...grant, ...change }), new RegExp(`field '${field}'`), field);
  }
});

Deno.test("parseServerMessage checks names with the name rules and lists entry by entry", () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ type: "users", users: [{ since: 1 }] }, /users\[0\]: field 'name' must be a string/],
    [{ type: "users", users: [{ name: "ok", since: 1 }, "bob"] }, /users\[1\]' must be an object/],
    [{ type: "users", users: [{ name: "no spaces", since: 1 }] }, /field 'name' is refused/],
    [{ type: "users", users: "ann" }, /field 'users' must be an array/],
    [{ type: "users" }, /field 'users'/],
    [{ type: "message", from: "admin", text: "hi", ts: 1 }, /field 'from' is refused.*reserved/],
    [{ type: "message", from: "bob", to: "a\u202eb", text: "hi", ts: 1 }, /field 'to'/],
    [{ type: "message", from: "bob", text: "", ts: 1 }, /field 'text'/],
    [{ type: "message", from: "bob", text: 5, ts: 1 }, /field 'text'/],
    [{ type: "welcome", name: "ann", users: ["ann", 7], userCount: 1, ts: 1 }, /users\[1\]/],
    [{ type: "file_added", name: "evil\u202etxt.exe", size: 1, from: "ann", ts: 1 }, /'name'/],
    [{ type: "leave", name: "ann", reason: "bored", ts: 1 }, /field 'reason' must be one of/],
    [{ type: "error", code: "MADE_UP", message: "m" }, /field 'code'/],
    [{ type: "error", code: "NO_SUCH_USER" }, /field 'message'/],
    [{ type: "transfer_done", transfer: 1, ok: "yes" }, /field 'ok'/],
    [{ type: "transfer_done", transfer: 1, ok: false, code: "PEER_UNREACHABLE" }, /field 'code'/],
    [{ type: "transfer_done", transfer: -1, ok: false, code: "TRANSFER_FAILED" }, /'transfer'/],
    [{ type: "shutdown" }, /field 'reason'/],
    [{ type: "files", files: [], more: "yes" }, /field 'more'/],
  ];
  for (const [value, expected] of cases) assert.match(problem(value), expected);
});

Deno.test("parseServerMessage keeps a refused line's re when it is readable", () => {
  assert.deepEqual(parsed({ type: "users", re: 7, users: [{ since: 1 }] }), {
    ok: false,
    problem: "users: users[0]: field 'name' must be a string",
    re: 7,
  });
  assert.equal("re" in parsed({ type: "users", re: -7, users: [] }), false);
  assert.deepEqual(parsed({ type: "mystery", re: 3 }), {
    ok: false,
    problem: "unknown type 'mystery'",
    re: 3,
  });
});

Deno.test("parseServerMessage takes a lockout's wait up to the lockout window, no longer", () => {
  const locked = { type: "error", code: "LOCKED_OUT", message: "m", retryMs: LOCKOUT_WINDOW_MS };
  const parsed = parseServerMessage(JSON.stringify(locked));
  assert.ok(parsed.ok && parsed.message.type === "error");
  assert.equal(parsed.message.retryMs, LOCKOUT_WINDOW_MS);
  assert.match(problem({ ...locked, retryMs: LOCKOUT_WINDOW_MS + 1 }), /retryMs/);
});

Deno.test("parseServerMessage reads a joins, each name checked, at most MAX_JOINS_PER_EVENT", () => {
  const line = (names: unknown) => JSON.stringify({ type: "joins", room: "#a", names, ts: 1 });
  assert.deepEqual(parseServerMessage(line(["ann", "bob"])), {
    ok: true,
    message: { type: "joins", room: "#a", names: ["ann", "bob"], ts: 1 },
  });
  assert.equal(parseServerMessage(line(["ann", "a b"])).ok, false);
  assert.equal(parseServerMessage(line("ann")).ok, false);
  const many = Array.from({ length: MAX_JOINS_PER_EVENT + 1 }, (_, i) => `u${i}`);
  assert.equal(parseServerMessage(line(many.slice(1))).ok, true);
  assert.equal(parseServerMessage(line(many)).ok, false);
  const noRoom = JSON.stringify({ type: "joins", names: ["ann"], ts: 1 });
  assert.equal(parseServerMessage(noRoom).ok, false);
});
