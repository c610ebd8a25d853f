import assert from "node:assert/strict";
import { MAX_TEXT_CHARS } from "../../lib/chat/limits.ts";
import { graphemeBoundaries } from "../../lib/text/graphemes.ts";
import { splitText } from "../../lib/text/split_text.ts";
import { Prng } from "../../lib/netsim/prng.ts";

/** Checks what every split must hold, and returns the pieces. */
function checked(text: string, max: number): string[] {
  const pieces = splitText(text, max);
  assert.equal(pieces.join(""), text, "nothing lost, nothing added");
  const bounds = new Set(graphemeBoundaries(text));
  let offset = 0;
  for (const piece of pieces) {
    assert.ok(piece.length >= 1 && piece.length <= max, `piece of ${piece.length} units`);
    offset += piece.length;
    if (offset < text.length) assert.ok(bounds.has(offset), `cut at ${offset} splits a cluster`);
  }
  return pieces;
}

Deno.test("splitText leaves text that fits whole, exactly at the limit too", () => {
  assert.deepEqual(splitText("hello", 5), ["hello"]);
  assert.deepEqual(splitText("x".repeat(MAX_TEXT_CHARS), MAX_TEXT_CHARS).length, 1);
  assert.deepEqual(splitText("", 10), []);
  assert.deepEqual(checked("x".repeat(MAX_TEXT_CHARS + 1), MAX_TEXT_CHARS).map((p) => p.length), [
    MAX_TEXT_CHARS,
    1,
  ]);
});

Deno.test("splitText breaks after the last space that fits", () => {
  assert.deepEqual(checked("the quick brown fox", 12), ["the quick ", "brown fox"]);
  assert.deepEqual(checked("one\ntwo three", 9), ["one\ntwo ", "three"]);
});

Deno.test("splitText cuts text without spaces at the last cluster boundary that fits", () => {
  assert.deepEqual(checked("abcdefghij", 4), ["abcd", "efgh", "ij"]);
  const cjk = "日本語のテキストは空白なしで続きます";
  assert.deepEqual(checked(cjk, 5).map((p) => p.length), [5, 5, 5, 3]);
});

Deno.test("splitText never tears an emoji sequence, a flag or an accented letter", () => {
  const family = "👨‍👩‍👧"; // 8 units
  assert.deepEqual(checked(family.repeat(3), 10), [family, family, family]);
  assert.deepEqual(checked("ab" + family, 9), ["ab", family]);
  const flags = "🇫🇷🇯🇵🇧🇷"; // 4 units each
  assert.deepEqual(checked(flags, 6), ["🇫🇷", "🇯🇵", "🇧🇷"]);
  assert.deepEqual(checked("e\u0301".repeat(5), 3), [
    "e\u0301",
    "e\u0301",
    "e\u0301",
    "e\u0301",
    "e\u0301",
  ]);
  assert.deepEqual(checked("😀😀😀", 3), ["😀", "😀", "😀"], "no lone surrogate");
});

Deno.test("splitText cuts a cluster longer than a piece between code points only", () => {
  const zalgo = "a" + "\u0301".repeat(20);
  const pieces = splitText(zalgo, 8);
  assert.equal(pieces.join(""), zalgo);
  assert.ok(pieces.every((p) => p.length <= 8));
  const astral = "x" + "\u{E0100}".repeat(10); // variation selectors beyond the BMP
  for (const piece of splitText(astral, 5)) {
    assert.ok(piece.length <= 5);
    assert.ok(!/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(piece), "no pair cut in two");
  }
});

Deno.test("splitText keeps every cut on a cluster boundary for random text", () => {
  const pool = ["a", "b", " ", "\n", "é", "e\u0301", "日", "😀", "👨‍👩‍👧", "🇫🇷", "👍🏽", "1️⃣", "ﷺ"];
  const prng = new Prng(8);
  for (let round = 0; round < 300; round++) {
    let text = "";
    const clusters = Math.floor(prng.next() * 80);
    for (let i = 0; i < clusters; i++) text += pool[Math.floor(prng.next() * pool.length)];
    checked(text, 8 + Math.floor(prng.next() * 24));
  }
});

Deno.test("splitText refuses a limit too small to hold a code point", () => {
  assert.throws(() => splitText("abc", 1), RangeError);
  assert.throws(() => splitText("abc", 2.5), RangeError);
});
