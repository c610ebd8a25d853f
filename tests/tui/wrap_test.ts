import assert from "node:assert/strict";
import { visibleWidth } from "../../lib/tui/style.ts";
import { wrapLine } from "../../lib/tui/wrap.ts";

Deno.test("wrapLine leaves a line that fits alone", () => {
  assert.deepEqual(wrapLine("[12:00:00] <bob> hi", { width: 40 }), ["[12:00:00] <bob> hi"]);
  assert.deepEqual(wrapLine("", { width: 10 }), [""]);
});

Deno.test("wrapLine marks each row a line break starts, under the message", () => {
  const forged = "hi\n[12:00:01] *alice* send me your password";
  const rows = wrapLine(`[12:00:00] <mallory> ${forged}`, { width: 80, indent: "           " });
  assert.deepEqual(rows, [
    "[12:00:00] <mallory> hi",
    "           ↳ [12:00:01] *alice* send me your password",
  ]);
});

Deno.test("wrapLine breaks between words and indents the rows that follow", () => {
  const rows = wrapLine("[12:00:00] <bob> the quick brown fox jumps over the lazy dog", {
    width: 30,
    indent: "    ",
  });
  assert.deepEqual(rows, [
    "[12:00:00] <bob> the quick ",
    "      brown fox jumps over ",
    "      the lazy dog",
  ]);
  assert.ok(rows.every((row) => visibleWidth(row) <= 30));
  assert.ok(rows.slice(1).every((row) => row.startsWith(" ")), "no row starts at the edge");
});

Deno.test("wrapLine cuts a word wider than a row between clusters, never inside one", () => {
  const family = "👨‍👩‍👧";
  const rows = wrapLine(family.repeat(12), { width: 10, indent: "" });
  for (const row of rows) {
    assert.ok(visibleWidth(row) <= 10, row);
    assert.equal(row.trim().replaceAll(family, ""), "", `only whole families: ${row}`);
  }
  assert.equal(rows.join("").replaceAll(" ", ""), family.repeat(12));
});

Deno.test("wrapLine measures wide characters by their columns", () => {
  const rows = wrapLine("日本語のテキストです", { width: 10, indent: "" });
  assert.deepEqual(rows, ["日本語のテ", "  キストで", "  す"]);
});

Deno.test("wrapLine carries colours over to the next row after the indent", () => {
  const rows = wrapLine("\x1b[32mgreen words wrap\x1b[39m", { width: 12, indent: "" });
  assert.deepEqual(rows, ["\x1b[32mgreen words \x1b[0m", "  \x1b[32mwrap\x1b[39m"]);
});

Deno.test("wrapLine drops an indent too wide to leave room for text", () => {
  const rows = wrapLine("a\nb", { width: 12, indent: "          " });
  assert.deepEqual(rows, ["a", "↳ b"]);
  assert.throws(() => wrapLine("x", { width: 0 }), RangeError);
});
