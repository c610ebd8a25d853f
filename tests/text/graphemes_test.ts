import assert from "node:assert/strict";
import {
  boundaryAtOrAfter,
  clusterFinder,
  graphemeBoundaries,
  graphemes,
  nextBoundary,
  previousBoundary,
} from "../../lib/text/graphemes.ts";

Deno.test("graphemes keeps emoji sequences, flags and accented letters whole", () => {
  assert.deepEqual(graphemes("e\u0301👨‍👩‍👧🇫🇷!"), ["e\u0301", "👨‍👩‍👧", "🇫🇷", "!"]);
  assert.deepEqual(graphemes("ab"), ["a", "b"]);
  assert.deepEqual(graphemes(""), []);
});

Deno.test("graphemeBoundaries lists every cluster start and the end, in UTF-16 units", () => {
  assert.deepEqual(graphemeBoundaries("a🇫🇷b"), [0, 1, 5, 6]);
  assert.deepEqual(graphemeBoundaries(""), [0]);
  assert.deepEqual(graphemeBoundaries("ab"), [0, 1, 2]);
});

Deno.test("previousBoundary and nextBoundary step over whole clusters", () => {
  const text = "a👨‍👩‍👧b";
  assert.equal(nextBoundary(text, 1), 9);
  assert.equal(previousBoundary(text, 9), 1);
  assert.equal(previousBoundary(text, 0), 0);
  assert.equal(nextBoundary(text, text.length), text.length);
  assert.equal(boundaryAtOrAfter(text, 3), 9);
  assert.equal(boundaryAtOrAfter(text, 1), 1);
});

Deno.test("clusterFinder finds the cluster holding any offset", () => {
  const find = clusterFinder("a🇫🇷🇯🇵e\u0301");
  assert.deepEqual(find(0), { start: 0, end: 1 });
  assert.deepEqual(find(2), { start: 1, end: 5 });
  assert.deepEqual(find(7), { start: 5, end: 9 }, "flags pair up from the start, not the offset");
  assert.deepEqual(find(10), { start: 9, end: 11 });
  assert.deepEqual(clusterFinder("abc")(1), { start: 1, end: 2 });
});
