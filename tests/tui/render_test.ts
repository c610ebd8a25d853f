import assert from "node:assert/strict";
import {
  clearArea,
  fitStatus,
  MAX_STATUS_LINES,
  renderAbove,
  renderInput,
} from "../../lib/tui/render.ts";
import { visibleWidth } from "../../lib/tui/style.ts";
import { Screen } from "./_screen.ts";

function show(output: string, width: number): Screen {
  const screen = new Screen(width);
  screen.write(output);
  return screen;
}

Deno.test("renderInput draws prompt and buffer and places the cursor in the buffer", () => {
  const out = renderInput({ buffer: "hello", cursor: 2 }, { prompt: "> ", width: 80 });
  assert.equal(out, "\r\x1b[2K> hello\r\x1b[4C");
  const screen = show(out, 80);
  assert.deepEqual(screen.lines(), ["> hello"]);
  assert.equal(screen.col, 4);
});

Deno.test("renderInput ignores the prompt's colour codes when placing the cursor", () => {
  const prompt = "\x1b[1m\x1b[36malice\x1b[39m\x1b[22m> ";
  const screen = show(renderInput({ buffer: "hi", cursor: 2 }, { prompt, width: 80 }), 80);
  assert.deepEqual(screen.lines(), ["alice> hi"]);
  assert.equal(screen.col, 9);
});

Deno.test("renderInput leaves the cursor after the prompt on an empty line", () => {
  const out = renderInput({ buffer: "", cursor: 0 }, { prompt: "", width: 80 });
  assert.equal(out, "\r\x1b[2K\r");
});

Deno.test("renderInput scrolls a long line so the cursor at its end stays visible", () => {
  const buffer = Array.from({ length: 100 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
  const screen = show(renderInput({ buffer, cursor: 100 }, { prompt: "> ", width: 20 }), 20);
  const [line = ""] = screen.lines();
  assert.equal(screen.lines().length, 1, "never wraps");
  assert.ok(line.length <= 19);
  assert.ok(buffer.endsWith(line.slice(2)), `shows the end of the buffer: ${line}`);
  assert.equal(screen.col, line.length, "cursor right after the last character");
});

Deno.test("renderInput shows the start of a long line when the cursor is there", () => {
  const buffer = "0123456789".repeat(5);
  const screen = show(renderInput({ buffer, cursor: 0 }, { prompt: "> ", width: 20 }), 20);
  assert.deepEqual(screen.lines(), ["> 01234567890123456"]);
  assert.equal(screen.col, 2);
});

Deno.test("renderInput keeps a cursor in the middle of a long line on screen", () => {
  const buffer = "0123456789".repeat(5);
  for (let cursor = 0; cursor <= buffer.length; cursor++) {
    const screen = show(renderInput({ buffer, cursor }, { prompt: "> ", width: 20 }), 20);
    const [line = ""] = screen.lines();
    assert.ok(screen.col >= 2 && screen.col <= 19, `cursor ${cursor} at column ${screen.col}`);
    const under = line[screen.col];
    if (cursor < buffer.length) assert.equal(under, buffer[cursor], `cursor ${cursor}`);
  }
});

Deno.test("renderInput counts wide characters as two columns and never overflows", () => {
  const buffer = "日本語のテキスト".repeat(4);
  const out = renderInput({ buffer, cursor: 10 }, { prompt: "> ", width: 20 });
  const drawn = out.slice(out.indexOf("> "), out.lastIndexOf("\r"));
  assert.ok(visibleWidth(drawn) <= 19, `drawn ${visibleWidth(drawn)} columns`);
  assert.ok(out.endsWith("C"));
  const column = Number(out.slice(out.lastIndexOf("\x1b[") + 2, -1));
  assert.ok(column >= 2 && column <= 18, `cursor column ${column}`);
});

Deno.test("renderInput shows control characters in the buffer as '?'", () => {
  const screen = show(renderInput({ buffer: "a\x1bb", cursor: 3 }, { prompt: "", width: 80 }), 80);
  assert.deepEqual(screen.lines(), ["a?b"]);
});

Deno.test("renderInput shows bidi controls and zero-width characters as '?', emoji intact", () => {
  const buffer = "a\u202eb\u200bc \u{1f468}\u200d\u{1f469}";
  const out = renderInput({ buffer, cursor: 0 }, { prompt: "", width: 80 });
  assert.ok(!out.includes("\u202e") && !out.includes("\u200b"), JSON.stringify(out));
  assert.ok(out.includes("a?b?c \u{1f468}\u200d\u{1f469}"), JSON.stringify(out));
});

Deno.test("renderInput cuts a prompt too wide for the terminal", () => {
  const prompt = "a-very-long-prompt-that-does-not-fit> ";
  const screen = show(renderInput({ buffer: "hi", cursor: 2 }, { prompt, width: 20 }), 20);
  assert.equal(screen.lines().length, 1);
  assert.ok((screen.lines()[0] ?? "").endsWith("hi"));
  assert.ok(screen.col <= 19);
});

Deno.test("renderInput rejects a zero width and an out-of-range cursor", () => {
  assert.throws(() => renderInput({ buffer: "", cursor: 0 }, { prompt: "", width: 0 }), RangeError);
  assert.throws(
    () => renderInput({ buffer: "a", cursor: 2 }, { prompt: "", width: 9 }),
    RangeError,
  );
});

Deno.test("renderAbove prints lines above the status area and redraws the same input", () => {
  const view = { buffer: "typing", cursor: 3 };
  const input = renderInput(view, { prompt: "> ", width: 40 });
  const screen = new Screen(40);
  screen.write(renderAbove([], ["[1] notes.txt 10%"], input, { erase: 0 }));
  assert.deepEqual(screen.lines(), ["[1] notes.txt 10%", "> typing"]);
  const out = renderAbove(["bob: hi", "carol: hey"], ["[1] notes.txt 20%"], input, { erase: 1 });
  screen.write(out);
  assert.deepEqual(screen.lines(), ["bob: hi", "carol: hey", "[1] notes.txt 20%", "> typing"]);
  assert.ok(out.endsWith(input), "ends with the input line redrawn");
  assert.equal(screen.row, 3);
  assert.equal(screen.col, 5);
});

Deno.test("renderAbove erases as many status lines as were on screen", () => {
  const input = renderInput({ buffer: "", cursor: 0 }, { prompt: "> ", width: 40 });
  const screen = new Screen(40);
  screen.write(renderAbove(["first"], ["s1", "s2", "s3"], input, { erase: 0 }));
  screen.write(renderAbove(["second"], ["only"], input, { erase: 3 }));
  assert.deepEqual(screen.lines(), ["first", "second", "only", ">"]);
  screen.write(renderAbove([], [], input, { erase: 1 }));
  assert.deepEqual(screen.lines(), ["first", "second", ">"]);
});

Deno.test("renderAbove splits printed lines on line breaks", () => {
  const screen = new Screen(40);
  screen.write(renderAbove(["a\nb"], [], "", { erase: 0 }));
  assert.deepEqual(screen.lines(), ["a", "b"]);
});

Deno.test("clearArea moves up over the status lines and erases to the end of the screen", () => {
  assert.equal(clearArea(0), "\r\x1b[J");
  assert.equal(clearArea(2), "\r\x1b[2A\x1b[J");
});

Deno.test("fitStatus cuts lines short of the width so none wraps", () => {
  const lines = fitStatus(["x".repeat(50), "\x1b[32m" + "y".repeat(50) + "\x1b[39m"], {
    width: 20,
  });
  assert.deepEqual(lines.map(visibleWidth), [19, 19]);
  assert.ok(lines[0]?.endsWith("x…"), "a cut line says it was cut");
  assert.ok(lines[1]?.endsWith("\x1b[0m…"), "a cut coloured line is reset before the mark");
  assert.deepEqual(fitStatus(["z".repeat(19)], { width: 20 }), ["z".repeat(19)], "one that fits");
});

Deno.test("fitStatus splits embedded line breaks and summarises lines past the limit", () => {
  assert.deepEqual(fitStatus(["a\nb", "c"]), ["a", "b", "c"]);
  const many = Array.from({ length: MAX_STATUS_LINES + 3 }, (_, i) => `t${i}`);
  const fitted = fitStatus(many);
  assert.equal(fitted.length, MAX_STATUS_LINES);
  assert.equal(fitted[MAX_STATUS_LINES - 1], "... and 4 more");
  assert.deepEqual(fitStatus(["a", "b", "c"], { maxLines: 2 }), ["a", "... and 2 more"]);
});

Deno.test("renderInput gives each grapheme cluster its width and the cursor its column", () => {
  const buffer = "👨‍👩‍👧 日本 e\u0301!";
  const screen = show(
    renderInput({ buffer, cursor: buffer.length }, { prompt: "> ", width: 40 }),
    40,
  );
  assert.deepEqual(screen.lines(), ["> 👨‍👩‍👧 日本 e\u0301!"]);
  assert.equal(screen.col, 2 + 2 + 1 + 4 + 1 + 1 + 1, "family 2, CJK 2 each, é 1");
  const afterFamily = "👨‍👩‍👧".length;
  const mid = show(renderInput({ buffer, cursor: afterFamily }, { prompt: "> ", width: 40 }), 40);
  assert.equal(mid.col, 4);
});

Deno.test("renderInput scrolls a line of wide characters without splitting one", () => {
  const buffer = "日本語".repeat(20);
  const drawn = renderInput({ buffer, cursor: buffer.length }, { prompt: "> ", width: 21 });
  const screen = show(drawn, 21);
  assert.ok(visibleWidth(screen.lines()[0] ?? "") <= 20);
  assert.match(screen.lines()[0] ?? "", /^> [日本語]+$/);
  assert.equal(screen.col, visibleWidth(screen.lines()[0] ?? ""));
});

Deno.test("renderInput shows a pasted line break as a mark, never as a new line", () => {
  const screen = show(
    renderInput({ buffer: "one\ntwo", cursor: 7 }, { prompt: "> ", width: 40 }),
    40,
  );
  assert.deepEqual(screen.lines(), ["> one↵two"]);
});
