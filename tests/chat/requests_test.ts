import assert from "node:assert/strict";
import { MAX_REQUEST_ID_CHARS, MAX_TEXT_CHARS } from "../../lib/chat/limits.ts";
import { type ParsedRequest, parseRequest, textRefusal } from "../../lib/chat/requests.ts";

const SHA = "a".repeat(32) + "0123456789ABCDEFabcdef0123456789";

function parse(value: unknown): ParsedRequest {
  return parseRequest(JSON.stringify(value));
}

/** Asserts the line is refused with `code`, and returns the `re` the reply would carry. */
function refused(value: unknown, code: string): unknown {
  const parsed = typeof value === "string" ? parseRequest(value) : parse(value);
  assert.equal(parsed.ok, false, `expected ${code} for ${JSON.stringify(value)}`);
  if (parsed.ok) throw new Error("unreachable");
  assert.equal(parsed.error.code, code, JSON.stringify(value));
  assert.ok(parsed.error.message.length > 0);
  return parsed.re;
}

Deno.test("parseRequest accepts every request type with its fields", () => {
  const cases: Array<[unknown, unknown]> = [
    [{ type: "login", name: "ann", protocol: 1 }, { type: "login", name: "ann", protocol: 1 }],
    [{ type: "login", name: "ann" }, { type: "login", name: "ann", protocol: 1 }],
    [{ type: "say", text: "hi" }, { type: "say", text: "hi" }],
    [{ type: "msg", to: "bob", text: "hi" }, { type: "msg", to: "bob", text: "hi" }],
    [{ type: "users" }, { type: "users" }],
    [{ type: "files" }, { type: "files" }],
    [{ type: "get", name: "a.txt" }, { type: "get", name: "a.txt", offset: 0 }],
    [
      {
        type: "get",
        name: "a.txt",
        offset: 10,
        prefixSha256: "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB",
      },
      {
        type: "get",
        name: "a.txt",
        offset: 10,
        prefixSha256: "abababababababababababababababababababababababababababababababab",
      },
    ],
    [
      { type: "put", name: "a.txt", size: 0, sha256: SHA },
      { type: "put", name: "a.txt", size: 0, sha256: SHA },
    ],
    [{ type: "ping" }, { type: "ping" }],
    [{ type: "pong" }, { type: "pong" }],
    [{ type: "quit" }, { type: "quit" }],
  ];
  for (const [input, request] of cases) {
    assert.deepEqual(parse(input), { ok: true, request }, JSON.stringify(input));
  }
});

Deno.test("parseRequest keeps the id and drops unknown fields", () => {
  assert.deepEqual(parse({ type: "say", id: 7, text: "hi", from: "mallory", extra: [1] }), {
    ok: true,
    request: { type: "say", id: 7, text: "hi" },
  });
  assert.deepEqual(parse({ type: "ping", id: "abc" }), {
    ok: true,
    request: { type: "ping", id: "abc" },
  });
});

Deno.test("parseRequest accepts string ids up to 64 characters and non-negative integers", () => {
  for (const id of ["", "x", "x".repeat(MAX_REQUEST_ID_CHARS), 0, 1, Number.MAX_SAFE_INTEGER]) {
    const parsed = parse({ type: "ping", id });
    assert.ok(parsed.ok, JSON.stringify(id));
    assert.equal(parsed.request.id, id);
  }
});

Deno.test("parseRequest refuses bad ids with BAD_REQUEST and no re", () => {
  const ids = [
    "x".repeat(MAX_REQUEST_ID_CHARS + 1),
    -1,
    1.5,
    2 ** 53,
    null,
    true,
    [1],
    { n: 1 },
  ];
  for (const id of ids) {
    assert.equal(refused({ type: "say", id, text: "hi" }, "BAD_REQUEST"), undefined);
  }
});

Deno.test("parseRequest refuses lines that are not JSON objects with MALFORMED_JSON", () => {
  for (
    const line of [
      "",
      "   ",
      "not json",
      "{",
      '{"type":"ping"',
      "[]",
      '[{"type":"ping"}]',
      "42",
      "null",
      '"ping"',
      "true",
    ]
  ) {
    assert.equal(refused(line, "MALFORMED_JSON"), undefined, line);
  }
});

Deno.test("parseRequest refuses a missing or non-string type with BAD_REQUEST and re", () => {
  assert.equal(refused({ id: 3 }, "BAD_REQUEST"), 3);
  assert.equal(refused({ id: "q", type: 5 }, "BAD_REQUEST"), "q");
  assert.equal(refused({ type: null }, "BAD_REQUEST"), undefined);
});

Deno.test("parseRequest refuses unknown types, including inherited property names", () => {
  for (
    const type of ["shout", "", "LOGIN", "toString", "constructor", "__proto__", "hasOwnProperty"]
  ) {
    assert.equal(refused({ type, id: 9 }, "UNKNOWN_COMMAND"), 9, type);
  }
  const parsed = parse({ type: "x".repeat(10_000) });
  assert.ok(!parsed.ok);
  assert.ok(parsed.error.message.length < 100, "the echoed type is cut short");
});

Deno.test("parseRequest refuses missing or mistyped fields with BAD_REQUEST and re", () => {
  const cases: unknown[] = [
    { type: "login", id: 1 },
    { type: "login", id: 1, name: 5 },
    { type: "login", id: 1, name: "ann", protocol: "1" },
    { type: "login", id: 1, name: "ann", protocol: 1.5 },
    { type: "say", id: 1 },
    { type: "say", id: 1, text: 5 },
    { type: "say", id: 1, text: null },
    { type: "msg", id: 1, text: "hi" },
    { type: "msg", id: 1, to: ["bob"], text: "hi" },
    { type: "msg", id: 1, to: "bob" },
    { type: "get", id: 1 },
    { type: "get", id: 1, name: "a", offset: -1 },
    { type: "get", id: 1, name: "a", offset: 1.5 },
    { type: "get", id: 1, name: "a", offset: "0" },
    { type: "get", id: 1, name: "a", offset: 10 },
    { type: "get", id: 1, name: "a", offset: 10, prefixSha256: "abc" },
    { type: "put", id: 1, name: "a", sha256: SHA },
    { type: "put", id: 1, name: "a", size: -5, sha256: SHA },
    { type: "put", id: 1, name: "a", size: 5 },
    { type: "put", id: 1, name: "a", size: 5, sha256: SHA.slice(1) },
    { type: "put", id: 1, name: "a", size: 5, sha256: "g".repeat(64) },
    { type: "put", id: 1, size: 5, sha256: SHA },
  ];
  for (const input of cases) assert.equal(refused(input, "BAD_REQUEST"), 1);
});

Deno.test("parseRequest passes text of any length on for the hub to judge (not a bad line)", () => {
  assert.ok(parse({ type: "say", text: "x" }).ok);
  assert.ok(parse({ type: "say", text: "" }).ok);
  assert.ok(parse({ type: "say", text: "x".repeat(MAX_TEXT_CHARS + 1) }).ok);
  assert.ok(parse({ type: "msg", to: "bob", text: "" }).ok);
  assert.equal(refused({ type: "say", id: 2, text: 5 }, "BAD_REQUEST"), 2);
});

Deno.test("textRefusal allows 1 to 4096 characters and refuses the rest with TEXT_INVALID", () => {
  assert.equal(textRefusal("x"), null);
  assert.equal(textRefusal("x".repeat(MAX_TEXT_CHARS)), null);
  assert.equal(textRefusal("")?.code, "TEXT_INVALID");
  assert.equal(textRefusal("x".repeat(MAX_TEXT_CHARS + 1))?.code, "TEXT_INVALID");
});

Deno.test("parseRequest passes any login protocol number on for the hub to judge", () => {
  assert.deepEqual(parse({ type: "login", name: "ann", protocol: 2 }), {
    ok: true,
    request: { type: "login", name: "ann", protocol: 2 },
  });
});
