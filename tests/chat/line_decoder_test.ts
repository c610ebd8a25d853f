import assert from "node:assert/strict";
import { LineDecoder, type LineResult } from "../../lib/chat/line_decoder.ts";
import { MAX_LINE_BYTES } from "../../lib/chat/limits.ts";

const utf8 = new TextEncoder();

function bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Feeds `input` in chunks of `size` bytes and returns every result in order. */
function feedInChunks(decoder: LineDecoder, input: Uint8Array, size: number): LineResult[] {
  const results: LineResult[] = [];
  for (let offset = 0; offset < input.length; offset += size) {
    results.push(...decoder.push(input.subarray(offset, offset + size)));
  }
  return results;
}

function summary(results: readonly LineResult[]): string[] {
  return results.map((r) => r.ok ? `line:${r.line}` : `error:${r.error.code}`);
}

function filler(length: number): Uint8Array {
  return new Uint8Array(length).fill(0x61); // "a"
}

Deno.test("LineDecoder returns nothing until a newline arrives, then the whole line", () => {
  const decoder = new LineDecoder();
  assert.deepEqual(decoder.push(bytes('{"type":')), []);
  assert.equal(decoder.pendingBytes, 8);
  assert.deepEqual(decoder.push(bytes('"ping"}\n')), [{ ok: true, line: '{"type":"ping"}' }]);
  assert.equal(decoder.pendingBytes, 0);
});

Deno.test("LineDecoder reassembles lines fed one byte at a time", () => {
  const input = bytes('{"a":1}\n{"text":"héllo wörld ✓ 🎉"}\nlast\n');
  const results = feedInChunks(new LineDecoder(), input, 1);
  assert.deepEqual(summary(results), [
    'line:{"a":1}',
    'line:{"text":"héllo wörld ✓ 🎉"}',
    "line:last",
  ]);
});

Deno.test("LineDecoder gives the same lines whatever the read sizes", () => {
  const input = bytes("one\r\ntwo\n\nthree ✓\nfour\r\n");
  const expected = ["line:one", "line:two", "line:", "line:three ✓", "line:four"];
  for (let size = 1; size <= input.length; size++) {
    assert.deepEqual(summary(feedInChunks(new LineDecoder(), input, size)), expected, `${size}`);
  }
});

Deno.test("LineDecoder returns every line of one read, in order, keeping the partial tail", () => {
  const decoder = new LineDecoder();
  const lines = Array.from({ length: 100 }, (_, i) => `{"n":${i}}`);
  const results = decoder.push(bytes(lines.join("\n") + "\n" + '{"n":'));
  assert.deepEqual(summary(results), lines.map((line) => `line:${line}`));
  assert.equal(decoder.pendingBytes, 5);
  assert.deepEqual(decoder.push(bytes("100}\n")), [{ ok: true, line: '{"n":100}' }]);
});

Deno.test("LineDecoder strips one carriage return before the newline and keeps others", () => {
  const decoder = new LineDecoder();
  assert.deepEqual(summary(decoder.push(bytes("crlf\r\n"))), ["line:crlf"]);
  assert.deepEqual(summary(decoder.push(bytes("two\r\r\n"))), ["line:two\r"]);
  assert.deepEqual(summary(decoder.push(bytes("mid\rdle\n"))), ["line:mid\rdle"]);
  // The carriage return and the newline in separate reads are still a CRLF.
  assert.deepEqual(decoder.push(bytes("split\r")), []);
  assert.deepEqual(summary(decoder.push(bytes("\n"))), ["line:split"]);
});

Deno.test("LineDecoder returns empty lines as empty strings", () => {
  const decoder = new LineDecoder();
  assert.deepEqual(summary(decoder.push(bytes("\n\r\n\n"))), ["line:", "line:", "line:"]);
});

Deno.test("LineDecoder accepts a line of exactly the limit, in one read or many", () => {
  const line = concat(filler(MAX_LINE_BYTES), bytes("\n"));
  for (const size of [line.length, 1000, 4096, MAX_LINE_BYTES]) {
    const results = feedInChunks(new LineDecoder(), line, size);
    assert.equal(results.length, 1, `read size ${size}`);
    const [result] = results;
    assert.ok(result?.ok);
    assert.equal(result.line.length, MAX_LINE_BYTES);
  }
});

Deno.test("LineDecoder reports a line one byte over the limit once and reads the next line", () => {
  const input = concat(filler(MAX_LINE_BYTES + 1), bytes("\nnext\n"));
  for (const size of [input.length, 1, 7, 1000, MAX_LINE_BYTES, MAX_LINE_BYTES + 1]) {
    const decoder = new LineDecoder();
    assert.deepEqual(
      summary(feedInChunks(decoder, input, size)),
      ["error:LINE_TOO_LONG", "line:next"],
      `read size ${size}`,
    );
    assert.equal(decoder.pendingBytes, 0);
  }
});

Deno.test("LineDecoder reports a huge line arriving in many reads once, holding none of it", () => {
  const decoder = new LineDecoder(100);
  const results: LineResult[] = [];
  for (let i = 0; i < 1000; i++) {
    results.push(...decoder.push(filler(64)));
    assert.ok(decoder.pendingBytes <= 100, `held ${decoder.pendingBytes} bytes`);
  }
  results.push(...decoder.push(bytes("tail\nok\n")));
  assert.deepEqual(summary(results), ["error:LINE_TOO_LONG", "line:ok"]);
  const [error] = results;
  assert.ok(error !== undefined && !error.ok);
  assert.match(error.error.message, /longer than 100 bytes/);
});

Deno.test("LineDecoder reports each of two long lines in a row", () => {
  const decoder = new LineDecoder(10);
  const input = bytes(`${"x".repeat(30)}\n${"y".repeat(30)}\nshort\n`);
  assert.deepEqual(summary(feedInChunks(decoder, input, 4)), [
    "error:LINE_TOO_LONG",
    "error:LINE_TOO_LONG",
    "line:short",
  ]);
});

Deno.test("LineDecoder reports invalid UTF-8 and carries on with the next line", () => {
  const cases: Array<[string, number[]]> = [
    ["lone continuation byte", [0x80]],
    ["truncated two-byte sequence", [0xc3]],
    ["overlong encoding of '/'", [0xc0, 0xaf]],
    ["UTF-16 surrogate encoded", [0xed, 0xa0, 0x80]],
    ["beyond U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["byte 0xff", [0xff]],
  ];
  for (const [name, bad] of cases) {
    const decoder = new LineDecoder();
    const input = concat(bytes('{"a":"'), new Uint8Array(bad), bytes('"}\n{"b":1}\n'));
    assert.deepEqual(summary(decoder.push(input)), ["error:INVALID_UTF8", 'line:{"b":1}'], name);
  }
});

Deno.test("LineDecoder decodes a multi-byte character split across reads", () => {
  const decoder = new LineDecoder();
  const emoji = bytes("🎉"); // four bytes
  assert.equal(emoji.length, 4);
  assert.deepEqual(decoder.push(concat(bytes("a"), emoji.subarray(0, 1))), []);
  assert.deepEqual(decoder.push(emoji.subarray(1, 3)), []);
  assert.deepEqual(summary(decoder.push(concat(emoji.subarray(3), bytes("b\n")))), ["line:a🎉b"]);
});

Deno.test("LineDecoder keeps no reference to a chunk it was given", () => {
  const decoder = new LineDecoder();
  const chunk = bytes("abc");
  decoder.push(chunk);
  chunk.fill(0x7a);
  assert.deepEqual(summary(decoder.push(bytes("\n"))), ["line:abc"]);
});

Deno.test("LineDecoder never throws on binary garbage and resynchronises after it", () => {
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  for (let round = 0; round < 50; round++) {
    const decoder = new LineDecoder(256);
    const garbage = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    const newlines = garbage.filter((b) => b === 0x0a).length;
    let results = 0;
    for (let offset = 0; offset < garbage.length;) {
      const size = 1 + Math.floor(random() * 300);
      results += decoder.push(garbage.subarray(offset, offset + size)).length;
      offset += size;
    }
    // One result per newline, plus at most one early report for an over-long tail.
    assert.ok(results >= newlines && results <= newlines + 1, `round ${round}`);
    const after = decoder.push(bytes('\n{"ok":true}\n'));
    assert.deepEqual(after.at(-1), { ok: true, line: '{"ok":true}' }, `round ${round}`);
  }
});

Deno.test("LineDecoder passes NUL and other control bytes through inside a line", () => {
  const decoder = new LineDecoder();
  const input = concat(bytes("a"), new Uint8Array([0x00, 0x01, 0x1b]), bytes("b\n"));
  assert.deepEqual(summary(decoder.push(input)), ["line:a\u0000\u0001\u001bb"]);
});

Deno.test("LineDecoder refuses a limit that is not positive", () => {
  for (const limit of [0, -1, Number.NaN]) {
    assert.throws(() => new LineDecoder(limit), RangeError);
  }
});
