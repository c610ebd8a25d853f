import assert from "node:assert/strict";
import { graphemeWidth, textWidth } from "../../lib/tui/grapheme_width.ts";

Deno.test("graphemeWidth counts an emoji sequence as one two-column character", () => {
  assert.equal(graphemeWidth("👨‍👩‍👧"), 2, "family: three emoji joined by ZWJ");
  assert.equal(graphemeWidth("❤️"), 2, "heart with the emoji presentation selector");
  assert.equal(graphemeWidth("🇫🇷"), 2, "flag: two regional indicators");
  assert.equal(graphemeWidth("👍🏽"), 2, "skin tone modifier");
  assert.equal(graphemeWidth("1️⃣"), 2, "keycap");
  assert.equal(graphemeWidth("🏴󠁧󠁢󠁳󠁣󠁴󠁿"), 2, "tag sequence");
  assert.equal(graphemeWidth("😀"), 2);
  assert.equal(graphemeWidth("🫨"), 2, "an emoji newer than the width table");
});

Deno.test("graphemeWidth gives text-style symbols one column and wide ones two", () => {
  assert.equal(graphemeWidth("❤"), 1, "heart without selector is text style");
  assert.equal(graphemeWidth("☺"), 1);
  assert.equal(graphemeWidth("⌚"), 2, "watch is emoji style by default");
});

Deno.test("graphemeWidth measures East Asian wide and fullwidth characters as two", () => {
  for (const ch of ["中", "日", "あ", "カ", "한", "각", "Ａ", "。", "𠀀", "\u{31350}"]) {
    assert.equal(graphemeWidth(ch), 2, ch);
  }
  assert.equal(graphemeWidth("\u1100\u1161\u11a8"), 2, "Hangul syllable made of jamo");
  assert.equal(graphemeWidth("ｱ"), 1, "halfwidth katakana");
});

Deno.test("graphemeWidth gives a letter with combining marks one column, controls none", () => {
  assert.equal(graphemeWidth("e\u0301"), 1);
  assert.equal(graphemeWidth("a\u0308\u0323"), 1);
  assert.equal(graphemeWidth("A"), 1);
  assert.equal(graphemeWidth("\x07"), 0);
  assert.equal(graphemeWidth("\x9b"), 0);
  assert.equal(graphemeWidth("\u0301"), 0, "a mark on its own joins the cell before");
  assert.equal(graphemeWidth("\u200b"), 0);
  assert.equal(graphemeWidth("é"), 1);
  assert.equal(graphemeWidth("ß"), 1);
});

Deno.test("textWidth adds up clusters, not code points", () => {
  assert.equal(textWidth("日本 ❤️"), 7);
  assert.equal(textWidth("👨‍👩‍👧👨‍👩‍👧"), 4);
  assert.equal(textWidth("cafe\u0301"), 4);
  assert.equal(textWidth("plain"), 5);
  assert.equal(textWidth(""), 0);
});

Deno.test("textWidth's one-column shortcut agrees with cluster-by-cluster measuring at its edges", () => {
  // Every character the shortcut covers measures one column on its own, cluster by cluster.
  for (const [first, last] of [[0xa0, 0xac], [0xae, 0xff], [0x2190, 0x2199], [0x2500, 0x259f]]) {
    for (let cp = first!; cp <= last!; cp++) {
      assert.equal(graphemeWidth(String.fromCodePoint(cp)), 1, `U+${cp.toString(16)}`);
    }
  }
  assert.equal(textWidth("#1 ↓ big.bin [=====>   ] 61% … ▌"), 32);
  // Just outside it: a soft hyphen, a combining mark, an arrow asking for emoji presentation.
  assert.equal(textWidth("a\u00adb"), 2);
  assert.equal(textWidth("a\u0301"), 1);
  assert.equal(textWidth("\u2194\ufe0f"), 2);
});
