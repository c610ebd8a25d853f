import assert from "node:assert/strict";
import {
  codePointLabel,
  describeUnsafeChar,
  findUnsafeNameChar,
  isHiddenInText,
} from "../../lib/text/hidden_chars.ts";

const BIDI = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2069];
const INVISIBLE = [
  0x200b, // zero-width space
  0x200c, // zero-width non-joiner
  0x200d, // zero-width joiner
  0x2060, // word joiner
  0x2061, // function application
  0x2064, // invisible plus
  0xfeff, // byte-order mark
  0x00ad, // soft hyphen
  0x180e, // Mongolian vowel separator
  0x034f, // combining grapheme joiner
  0x115f, // Hangul choseong filler
  0x3164, // Hangul filler
  0xfe0f, // variation selector 16
  0xe0100, // variation selector 17
  0xe0041, // tag letter A
  0x2800, // braille blank
];

Deno.test("findUnsafeNameChar finds every bidi control", () => {
  for (const cp of BIDI) {
    assert.equal(findUnsafeNameChar(`ab${String.fromCodePoint(cp)}cd`), cp, codePointLabel(cp));
  }
});

Deno.test("findUnsafeNameChar finds zero-width, invisible and ignorable characters", () => {
  for (const cp of INVISIBLE) {
    assert.equal(findUnsafeNameChar(`a${String.fromCodePoint(cp)}`), cp, codePointLabel(cp));
  }
});

Deno.test("findUnsafeNameChar finds private-use, unassigned, separators and odd spaces", () => {
  const cases = [0xe000, 0xf8ff, 0x10fffd, 0x50000, 0xd800, 0x2028, 0x2029, 0x00a0, 0x3000];
  for (const cp of cases) {
    assert.equal(
      findUnsafeNameChar(`x${String.fromCharCode(...utf16(cp))}y`),
      cp,
      codePointLabel(cp),
    );
  }
});

Deno.test("findUnsafeNameChar passes ordinary text in many scripts, with plain spaces", () => {
  for (const name of ["my report.pdf", "résumé", "データ", "Отчёт", "한국어", "❤", "a\u0301"]) {
    assert.equal(findUnsafeNameChar(name), null, name);
  }
});

Deno.test("describeUnsafeChar names the code point and its kind", () => {
  assert.equal(describeUnsafeChar(0x202e), "U+202E, a bidirectional control");
  assert.equal(describeUnsafeChar(0x200b), "U+200B, an invisible character");
  assert.equal(describeUnsafeChar(0x00a0), "U+00A0, a space other than U+0020");
  assert.equal(describeUnsafeChar(0xe000), "U+E000, a private-use or unassigned character");
  assert.equal(describeUnsafeChar(0x1b), "U+001B, a control character");
  assert.equal(codePointLabel(0xe0100), "U+E0100");
});

Deno.test("isHiddenInText flags bidi controls and zero-width characters anywhere", () => {
  for (const cp of [...BIDI, ...INVISIBLE.filter((cp) => cp !== 0x2800)]) {
    assert.ok(isHiddenInText(cp, 0x61, 0x62), codePointLabel(cp));
  }
  assert.ok(isHiddenInText(0x2028, undefined, undefined));
});

Deno.test("isHiddenInText flags format characters that are not default-ignorable", () => {
  // Interlinear annotation marks can hide the text between them in some renderers.
  for (const cp of [0xfff9, 0xfffa, 0xfffb, 0x0600, 0x110bd]) {
    assert.ok(isHiddenInText(cp, 0x61, 0x62), codePointLabel(cp));
  }
});

Deno.test("isHiddenInText keeps the joiners and selectors emoji need, and only those", () => {
  const man = 0x1f468, woman = 0x1f469, skin = 0x1f3fd, heart = 0x2764;
  assert.equal(isHiddenInText(0x200d, man, woman), false); // 👨‍👩
  assert.equal(isHiddenInText(0x200d, skin, woman), false); // 👨🏽‍👩
  assert.equal(isHiddenInText(0x200d, 0xfe0f, 0x1f308), false); // 🏳️‍🌈
  assert.equal(isHiddenInText(0xfe0f, heart, undefined), false); // ❤️
  assert.equal(isHiddenInText(0x200d, 0x61, woman), true);
  assert.equal(isHiddenInText(0x200d, man, 0x61), true);
  assert.equal(isHiddenInText(0x200d, man, undefined), true);
  assert.equal(isHiddenInText(0xfe0f, 0x61, undefined), true);
  assert.equal(isHiddenInText(0xfe0f, undefined, heart), true);
  assert.equal(isHiddenInText(0xfe0f, 0xfe0f, undefined), true);
});

Deno.test("isHiddenInText leaves visible text, private-use glyphs and unassigned code points", () => {
  for (const cp of [0x61, 0xe9, 0x65e5, 0x1f600, 0xe000, 0x50000, 0x2800]) {
    assert.equal(isHiddenInText(cp, undefined, undefined), false, codePointLabel(cp));
  }
});

function utf16(cp: number): number[] {
  // A lone surrogate has no String.fromCodePoint form that survives as one unit.
  if (cp >= 0xd800 && cp < 0xe000) return [cp];
  return String.fromCodePoint(cp).split("").map((unit) => unit.charCodeAt(0));
}
