import assert from "node:assert/strict";
import { charWidth } from "../../lib/tui/char_width.ts";

Deno.test("charWidth gives 0 for controls, 2 for wide characters, 1 otherwise", () => {
  assert.equal(charWidth(0x07), 0);
  assert.equal(charWidth(0x41), 1);
  assert.equal(charWidth(0x4e2d), 2);
  assert.equal(charWidth(0xff21), 2);
  assert.equal(charWidth(0x0301), 0);
});

Deno.test("charWidth counts emoji and supplementary ideographs as two columns", () => {
  assert.equal(charWidth("😀".codePointAt(0) ?? 0), 2);
  assert.equal(charWidth(0x20000), 2);
  assert.equal(charWidth(0xac00), 2);
});

Deno.test("charWidth counts zero-width joiners and variation selectors as nothing", () => {
  assert.equal(charWidth(0x200d), 0);
  assert.equal(charWidth(0xfe0f), 0);
  assert.equal(charWidth(0xe9), 1);
});
