import assert from "node:assert/strict";
import { type Key, KeyDecoder, MAX_SEQUENCE_CHARS } from "../../lib/tui/keys.ts";

const encoder = new TextEncoder();

function decode(...chunks: (string | number[])[]): Key[] {
  const decoder = new KeyDecoder();
  return chunks.flatMap((chunk) =>
    decoder.push(typeof chunk === "string" ? encoder.encode(chunk) : new Uint8Array(chunk))
  );
}

Deno.test("KeyDecoder joins a run of printable characters into one text key", () => {
  assert.deepEqual(decode("hello world"), [{ kind: "text", text: "hello world" }]);
});

Deno.test("KeyDecoder reassembles a UTF-8 character split across two pushes", () => {
  const bytes = encoder.encode("é€😀");
  const decoder = new KeyDecoder();
  const keys = [
    ...decoder.push(bytes.subarray(0, 1)),
    ...decoder.push(bytes.subarray(1, 4)),
    ...decoder.push(bytes.subarray(4, 7)),
    ...decoder.push(bytes.subarray(7)),
  ];
  assert.equal(keys.map((k) => (k.kind === "text" ? k.text : "")).join(""), "é€😀");
  assert.ok(keys.every((k) => k.kind === "text"));
});

Deno.test("KeyDecoder keeps a lone ESC pending and completes an arrow split across reads", () => {
  const decoder = new KeyDecoder();
  assert.deepEqual(decoder.push(encoder.encode("ab\x1b")), [{ kind: "text", text: "ab" }]);
  assert.equal(decoder.pending, true);
  assert.deepEqual(decoder.push(encoder.encode("[A")), [{ kind: "up" }]);
  assert.equal(decoder.pending, false);
});

Deno.test("KeyDecoder completes a CSI sequence split after its parameters", () => {
  assert.deepEqual(decode("\x1b[", "3", "~x"), [{ kind: "delete" }, { kind: "text", text: "x" }]);
});

Deno.test("KeyDecoder flush turns a pending lone ESC into the Escape key", () => {
  const decoder = new KeyDecoder();
  assert.deepEqual(decoder.push(encoder.encode("\x1b")), []);
  assert.deepEqual(decoder.flush(), [{ kind: "escape" }]);
  assert.equal(decoder.pending, false);
  assert.deepEqual(decoder.flush(), []);
});

Deno.test("KeyDecoder flush drops a partial sequence instead of inventing a key", () => {
  const decoder = new KeyDecoder();
  decoder.push(encoder.encode("\x1b[1;"));
  assert.equal(decoder.pending, true);
  assert.deepEqual(decoder.flush(), []);
  assert.deepEqual(decoder.push(encoder.encode("A")), [{ kind: "text", text: "A" }]);
});

Deno.test("KeyDecoder reads CR, LF and CRLF each as one Enter, even across reads", () => {
  const enter = { kind: "enter" };
  assert.deepEqual(decode("a\rb"), [{ kind: "text", text: "a" }, enter, {
    kind: "text",
    text: "b",
  }]);
  assert.deepEqual(decode("\n"), [enter]);
  assert.deepEqual(decode("\r\n"), [enter]);
  assert.deepEqual(decode("\r", "\n"), [enter]);
  assert.deepEqual(decode("\r\r"), [enter, enter]);
  assert.deepEqual(decode("\n\n"), [enter, enter]);
});

Deno.test("KeyDecoder reads 0x7f and 0x08 as Backspace and 0x09 as Tab", () => {
  assert.deepEqual(decode([0x7f, 0x08, 0x09]), [
    { kind: "backspace" },
    { kind: "backspace" },
    { kind: "tab" },
  ]);
});

Deno.test("KeyDecoder knows the arrow, Home, End and Delete variants of common terminals", () => {
  const cases: [string, Key][] = [
    ["\x1b[A", { kind: "up" }],
    ["\x1b[B", { kind: "down" }],
    ["\x1b[C", { kind: "right" }],
    ["\x1b[D", { kind: "left" }],
    ["\x1bOA", { kind: "up" }],
    ["\x1bOD", { kind: "left" }],
    ["\x1b[H", { kind: "home" }],
    ["\x1b[1~", { kind: "home" }],
    ["\x1b[7~", { kind: "home" }],
    ["\x1bOH", { kind: "home" }],
    ["\x1b[F", { kind: "end" }],
    ["\x1b[4~", { kind: "end" }],
    ["\x1b[8~", { kind: "end" }],
    ["\x1bOF", { kind: "end" }],
    ["\x1b[3~", { kind: "delete" }],
    ["\x1b[1;5D", { kind: "word-left" }],
    ["\x1b[1;5C", { kind: "word-right" }],
    ["\x1b[1;3D", { kind: "word-left" }],
    ["\x1bb", { kind: "word-left" }],
    ["\x1bf", { kind: "word-right" }],
    ["\x1bd", { kind: "word-delete" }],
    ["\x1b\x7f", { kind: "word-backspace" }],
  ];
  for (const [input, key] of cases) {
    assert.deepEqual(decode(input), [key], JSON.stringify(input));
  }
});

Deno.test("KeyDecoder reports control letters as ctrl keys", () => {
  const letters = ["a", "e", "u", "k", "w", "l", "c", "d"];
  const bytes = letters.map((l) => l.charCodeAt(0) - 0x60);
  assert.deepEqual(decode(bytes), letters.map((letter) => ({ kind: "ctrl", letter })));
});

Deno.test("KeyDecoder ignores unknown sequences and keeps the text around them", () => {
  const keys = decode("a\x1b[15~b\x1b[Zc\x1b[[Ad\x1b[199~e\x1bxf\x1bO5g");
  assert.deepEqual(keys, [{ kind: "text", text: "abcdefg" }]);
});

Deno.test("KeyDecoder drops a sequence cut short by a control byte and reads that byte", () => {
  assert.deepEqual(decode("\x1b[1\r"), [{ kind: "enter" }]);
});

Deno.test("KeyDecoder reads ESC ESC as Escape followed by what the second ESC starts", () => {
  assert.deepEqual(decode("\x1b\x1b[A"), [{ kind: "escape" }, { kind: "up" }]);
});

Deno.test("KeyDecoder never lets text carry control characters", () => {
  const keys = decode([0x00, 0x61, 0x1c, 0x1f, 0xc2, 0x9b, 0x62]);
  assert.deepEqual(keys, [{ kind: "text", text: "ab" }]);
});

Deno.test("KeyDecoder drops an unterminated sequence longer than the limit", () => {
  const decoder = new KeyDecoder();
  decoder.push(encoder.encode("\x1b[" + "1;".repeat(MAX_SEQUENCE_CHARS)));
  assert.equal(decoder.pending, false);
  assert.deepEqual(decoder.push(encoder.encode("x")), [{ kind: "text", text: "x" }]);
});

Deno.test("KeyDecoder survives random bytes without throwing or growing", () => {
  // A fixed-seed xorshift generator keeps the run reproducible.
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) & 0xff;
  };
  const decoder = new KeyDecoder();
  for (let round = 0; round < 2000; round++) {
    const chunk = Uint8Array.from({ length: 1 + (next() & 15) }, () => {
      const b = next();
      return b < 64 ? 0x1b : b; // plenty of ESCs to exercise the sequence parser
    });
    for (const key of decoder.push(chunk)) {
      assert.equal(typeof key.kind, "string");
      if (key.kind === "text") assert.ok(isPrintable(key.text), `round ${round}: ${key.text}`);
    }
  }
  decoder.flush();
  assert.equal(decoder.pending, false);
});

function isPrintable(text: string): boolean {
  return Array.from(text).every((ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0);
  });
}

Deno.test("KeyDecoder turns a bracketed paste into paste keys that keep line breaks and tabs", () => {
  const keys = decode("a\x1b[200~one\r\ntwo\tx\x1b[Ay\x07\x1b[201~b\r");
  assert.deepEqual(keys, [
    { kind: "text", text: "a" },
    { kind: "paste", text: "one\r\ntwo\tx[Ay" },
    { kind: "text", text: "b" },
    { kind: "enter" },
  ]);
});

Deno.test("KeyDecoder reads a paste whose end marker is split across reads", () => {
  const decoder = new KeyDecoder();
  const push = (s: string) => decoder.push(encoder.encode(s));
  const keys = [...push("\x1b[200~line 1\nli"), ...push("ne 2\x1b[2")];
  assert.equal(decoder.pending, false, "inside a paste nothing waits for the Escape timeout");
  assert.deepEqual(decoder.flush(), []);
  keys.push(...push("01~\r"));
  const pasted = keys.filter((k) => k.kind === "paste").map((k) => k.kind === "paste" && k.text);
  assert.equal(pasted.join(""), "line 1\nline 2");
  assert.deepEqual(keys[keys.length - 1], { kind: "enter" });
});

Deno.test("KeyDecoder reads Alt with a digit from 1 to 9 as alt-digit, and Alt-0 as nothing", () => {
  const decoder = new KeyDecoder();
  assert.deepEqual(decoder.push(new TextEncoder().encode("\x1b1\x1b9")), [
    { kind: "alt-digit", digit: 1 },
    { kind: "alt-digit", digit: 9 },
  ]);
  assert.deepEqual(decoder.push(new TextEncoder().encode("\x1b0")), []);
});
