import assert from "node:assert/strict";
import { graphemeBoundaries } from "../../lib/text/graphemes.ts";
import { splitUtf8 } from "../../lib/irc/split_utf8.ts";
import { utf8Length } from "../../lib/irc/utf8_length.ts";
import { Prng } from "../../lib/netsim/prng.ts";

/** Checks what every split must hold, and returns the pieces. */
function checked(text: string, max: number): string[] {
  const pieces = splitUtf8(text, max);
  assert.equal(pieces.join(""), text, "nothing lost, nothing added");
  for (const piece of pieces) {
    assert.ok(utf8Length(piece) >= 1 && utf8Length(piece) <= max, `${utf8Length(piece)} bytes`);
    assert.equal(new TextEncoder().encode(piece).length, utf8Length(piece));
  }
  return pieces;
}

Deno.test("utf8Length counts the bytes TextEncoder writes", () => {
  for (const text of ["", "abc", "é", "€", "😀", "a\u0301", "\ud800x", "x\udc00"]) {
    assert.equal(utf8Length(text), new TextEncoder().encode(text).length, JSON.stringify(text));
  }
});

Deno.test("splitUtf8 leaves text that fits whole, and empty text is no piece", () => {
  assert.deepEqual(splitUtf8("hello", 5), ["hello"]);
  assert.deepEqual(splitUtf8("", 10), []);
});

Deno.test("splitUtf8 counts bytes, not characters", () => {
  assert.deepEqual(checked("éééé", 4), ["éé", "éé"]);
  assert.deepEqual(checked("😀😀😀", 8), ["😀😀", "😀"]);
});

Deno.test("splitUtf8 breaks after the last space that fits", () => {
  assert.deepEqual(checked("the quick brown fox", 12), ["the quick ", "brown fox"]);
});

Deno.test("splitUtf8 never cuts a grapheme cluster when one fits", () => {
  const family = "👨‍👩‍👧"; // 18 bytes
  const text = `ab${family}cd${family}`;
  const pieces = checked(text, 20);
  const bounds = new Set(graphemeBoundaries(text));
  let offset = 0;
  for (const piece of pieces.slice(0, -1)) {
    offset += piece.length;
    assert.ok(bounds.has(offset), `cut at ${offset} tears a cluster`);
  }
  assert.deepEqual(checked("e\u0301".repeat(3), 4), ["e\u0301", "e\u0301", "e\u0301"]);
});

Deno.test("splitUtf8 cuts a cluster larger than the budget between code points", () => {
  const zalgo = "a" + "\u0301".repeat(20); // 41 bytes in one cluster
  const pieces = checked(zalgo, 10);
  assert.ok(pieces.length >= 5);
  for (const piece of pieces) assert.equal(piece.includes("\ufffd"), false);
});

Deno.test("splitUtf8 refuses a budget too small for one code point", () => {
  assert.throws(() => splitUtf8("abc", 3), RangeError);
});

Deno.test("splitUtf8 cuts random mixed text only at cluster boundaries, filling each piece", () => {
  const prng = new Prng(3);
  const parts = ["a", "é", "e\u0301", " ", "😀", "👨‍👩‍👧", "🇫🇷", "日", "\n", "ß"];
  for (let round = 0; round < 300; round++) {
    let text = "";
    for (let n = Math.floor(prng.next() * 200); n > 0; n--) {
      text += parts[Math.floor(prng.next() * parts.length)];
    }
    const max = 20 + Math.floor(prng.next() * 60);
    const pieces = checked(text, max);
    const bounds = new Set(graphemeBoundaries(text));
    let offset = 0;
    for (const [i, piece] of pieces.entries()) {
      offset += piece.length;
      assert.ok(bounds.has(offset), `seed 3 round ${round}: cut at ${offset} tears a cluster`);
      // A piece ends at white space, or the next cluster would not have fitted.
      const next = pieces[i + 1];
      if (next !== undefined && !/\s$/.test(piece)) {
        const cluster = [...new Intl.Segmenter().segment(next)][0]!.segment;
        assert.ok(utf8Length(piece + cluster) > max, `round ${round}: piece ${i} not filled`);
      }
    }
  }
});
