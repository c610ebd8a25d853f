import assert from "node:assert/strict";
import { countNewlines, LineScanner } from "../../../bench/chat/line_scanner.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (line: Uint8Array) => new TextDecoder().decode(line);

function splitAll(scanner: LineScanner, ...chunks: string[]): string[] {
  const lines: string[] = [];
  for (const chunk of chunks) scanner.split(bytes(chunk), (line) => lines.push(text(line)));
  return lines;
}

Deno.test("countNewlines counts every line end and nothing else", () => {
  assert.deepEqual(countNewlines(bytes("")), 0);
  assert.deepEqual(countNewlines(bytes("no end")), 0);
  assert.deepEqual(countNewlines(bytes("a\nb\n\nc")), 3);
});

Deno.test("LineScanner.split joins a line cut across reads", () => {
  assert.deepEqual(splitAll(new LineScanner(), "ab", "c\nde", "f", "\n"), ["abc", "def"]);
});

Deno.test("LineScanner.split hands out empty lines and returns how many it completed", () => {
  const scanner = new LineScanner();
  const lines: string[] = [];
  const n = scanner.split(bytes("\n\nx\n"), (line) => lines.push(text(line)));
  assert.deepEqual(n, 3);
  assert.deepEqual(lines, ["", "", "x"]);
});

Deno.test("LineScanner.count counts lines whatever the chunking", () => {
  const scanner = new LineScanner();
  assert.deepEqual(scanner.count(bytes("a\nb")) + scanner.count(bytes("c\n\n")), 3);
});

Deno.test("LineScanner.split skips a line begun while counting instead of truncating it", () => {
  const scanner = new LineScanner();
  scanner.count(bytes("one\ntw"));
  assert.deepEqual(splitAll(scanner, "o\nthree\n"), ["three"]);
});

Deno.test("LineScanner.split starts cleanly after counting ended on a line end", () => {
  const scanner = new LineScanner();
  scanner.count(bytes("one\n"));
  assert.deepEqual(splitAll(scanner, "two\n"), ["two"]);
});

Deno.test("LineScanner.count drops a partial line held by split, counting its end once", () => {
  const scanner = new LineScanner();
  assert.deepEqual(splitAll(scanner, "par"), []);
  assert.deepEqual(scanner.count(bytes("tial\nnext\n")), 2);
  assert.deepEqual(splitAll(scanner, "fresh\n"), ["fresh"]);
});
