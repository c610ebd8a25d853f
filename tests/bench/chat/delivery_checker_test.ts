import assert from "node:assert/strict";
import {
  DeliveryChecker,
  diffCounts,
  MAX_REMEMBERED_GAPS,
  sumCounts,
} from "../../../bench/chat/delivery_checker.ts";

const clean = { delivered: 0, gaps: 0, duplicates: 0, reordered: 0, malformed: 0 };

function feed(checker: DeliveryChecker, sender: string, seqs: number[]): void {
  for (const seq of seqs) checker.accept(sender, seq, 0, 1);
}

Deno.test("DeliveryChecker counts nothing wrong when every message arrives once, in order", () => {
  const checker = new DeliveryChecker();
  feed(checker, "c0", [1, 2, 3, 4]);
  feed(checker, "c1", [1, 2]);
  assert.deepEqual(checker.counts(), { ...clean, delivered: 6 });
});

Deno.test("DeliveryChecker counts a gap for each message skipped over", () => {
  const checker = new DeliveryChecker();
  feed(checker, "c0", [1, 2, 5, 6]);
  assert.deepEqual(checker.counts(), { ...clean, delivered: 4, gaps: 2 });
});

Deno.test("DeliveryChecker counts a message that arrives again as a duplicate, not a delivery", () => {
  const checker = new DeliveryChecker();
  feed(checker, "c0", [1, 2, 2, 3, 1]);
  assert.deepEqual(checker.counts(), { ...clean, delivered: 3, duplicates: 2 });
  assert.equal(checker.accept("c0", 3, 0, 1), false);
});

Deno.test("DeliveryChecker counts a late arrival as reordered and fills its gap", () => {
  const checker = new DeliveryChecker();
  feed(checker, "c0", [1, 3, 2, 4]);
  assert.deepEqual(checker.counts(), { ...clean, delivered: 4, reordered: 1 });
  // The same late message once more is a duplicate.
  feed(checker, "c0", [2]);
  assert.deepEqual(checker.counts(), { ...clean, delivered: 4, reordered: 1, duplicates: 1 });
});

Deno.test("DeliveryChecker keeps each sender's numbers apart", () => {
  const checker = new DeliveryChecker();
  feed(checker, "c0", [1, 2]);
  feed(checker, "c1", [1, 2]);
  assert.deepEqual(checker.counts(), { ...clean, delivered: 4 });
});

Deno.test("DeliveryChecker takes a sender's first number as where it started", () => {
  const checker = new DeliveryChecker();
  feed(checker, "c0", [41, 42]);
  assert.deepEqual(checker.counts(), { ...clean, delivered: 2 });
});

Deno.test("DeliveryChecker bounds the gaps it remembers when a number jumps far ahead", () => {
  const checker = new DeliveryChecker();
  feed(checker, "c0", [1, Number.MAX_SAFE_INTEGER]);
  assert.equal(checker.counts().gaps, Number.MAX_SAFE_INTEGER - 2);
  // A message inside the remembered range is still recognised as late.
  feed(checker, "c0", [2, MAX_REMEMBERED_GAPS + 5]);
  assert.equal(checker.counts().reordered, 1);
  assert.equal(checker.counts().duplicates, 1);
});

Deno.test("DeliveryChecker keeps the recipient's highest and total latency", () => {
  const checker = new DeliveryChecker();
  checker.accept("c0", 1, 100, 150);
  checker.accept("c0", 2, 100, 400);
  checker.accept("c0", 2, 100, 9000);
  assert.equal(checker.maxLatencyUs, 300);
  assert.equal(checker.latencySumUs, 350);
});

Deno.test("sumCounts and diffCounts add and subtract field by field", () => {
  const a = { delivered: 5, gaps: 1, duplicates: 2, reordered: 3, malformed: 4 };
  const b = { delivered: 1, gaps: 1, duplicates: 1, reordered: 1, malformed: 1 };
  assert.deepEqual(sumCounts([a, b]), {
    delivered: 6,
    gaps: 2,
    duplicates: 3,
    reordered: 4,
    malformed: 5,
  });
  assert.deepEqual(diffCounts(a, b), {
    delivered: 4,
    gaps: 0,
    duplicates: 1,
    reordered: 2,
    malformed: 3,
  });
});
