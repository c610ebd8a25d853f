import assert from "node:assert/strict";
import { encodeLine, parseObject } from "../../lib/chat/json_line.ts";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

Deno.test("encodeLine writes compact JSON followed by one newline", () => {
  const bytes = encodeLine({ type: "ok", re: 1, ts: 2 });
  assert.equal(strictUtf8.decode(bytes), '{"type":"ok","re":1,"ts":2}\n');
});

Deno.test("encodeLine keeps a text with newlines on one line", () => {
  const text = strictUtf8.decode(encodeLine({ text: "a\nb\r\nc\u2028d" }));
  assert.equal(text.indexOf("\n"), text.length - 1);
  assert.equal(text.includes("\r"), false);
  assert.deepEqual(JSON.parse(text), { text: "a\nb\r\nc\u2028d" });
});

Deno.test("encodeLine writes non-ASCII as UTF-8 and lone surrogates as valid escapes", () => {
  const bytes = encodeLine({ text: "é🎉\ud800" });
  const text = strictUtf8.decode(bytes); // throws if the bytes are not UTF-8
  assert.ok(text.includes("é🎉"));
  assert.ok(text.includes("\\ud800"));
  assert.deepEqual(JSON.parse(text), { text: "é🎉\ud800" });
});

Deno.test("parseObject returns the object a JSON line holds", () => {
  assert.deepEqual(parseObject('{"type":"say","text":"hi","n":[1,{"x":null}]}'), {
    type: "say",
    text: "hi",
    n: [1, { x: null }],
  });
  assert.deepEqual(parseObject("  {}  "), {});
});

Deno.test("parseObject returns null for invalid JSON, arrays and scalars", () => {
  for (const line of ["", "{", "{'a':1}", "[]", "[1]", "1", "-0", "null", "true", '"x"', "{}x"]) {
    assert.equal(parseObject(line), null, line);
  }
});

Deno.test("parseObject never throws, even on deeply nested input", () => {
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  assert.equal(parseObject(deep), null);
  const deepObject = '{"a":'.repeat(50_000) + "1" + "}".repeat(50_000);
  const parsed = parseObject(deepObject);
  assert.ok(parsed === null || typeof parsed === "object");
});

Deno.test("parseObject keeps a __proto__ key as plain data", () => {
  const parsed = parseObject('{"__proto__":{"polluted":true},"type":"ping"}');
  assert.ok(parsed !== null);
  assert.equal(parsed.type, "ping");
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
