import assert from "node:assert/strict";
import { utf8Length } from "../../lib/irc/utf8_length.ts";

const utf8 = new TextEncoder();

Deno.test("utf8Length counts the bytes the encoder writes, short text and long", () => {
  const samples = ["", "ann", "né😀", "a\ud800b", "\udc00", "x".repeat(4096), "é".repeat(4097)];
  samples.push("😀".repeat(3000) + "a", "ascii ".repeat(2000) + "\ud83d");
  for (const text of samples) {
    assert.equal(utf8Length(text), utf8.encode(text).length, text.slice(0, 20));
  }
});
