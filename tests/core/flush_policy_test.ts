import assert from "node:assert/strict";
import { FlushPolicy } from "../../lib/core/flush_policy.ts";

Deno.test("FlushPolicy has no deadline while nothing is pending", () => {
  const policy = new FlushPolicy();
  assert.deepEqual(policy.deadline(), null);
  assert.deepEqual(policy.due(1e9), false);
});

Deno.test("FlushPolicy makes a write due when the oldest pending item is maxAgeMs old", () => {
  const policy = new FlushPolicy({ maxAgeMs: 1000, maxItems: 100 });
  policy.add(500);
  policy.add(900);
  assert.deepEqual(policy.deadline(), 1500);
  assert.deepEqual(policy.due(1499), false);
  assert.deepEqual(policy.due(1500), true);
});

Deno.test("FlushPolicy makes a write due at once when maxItems are pending", () => {
  const policy = new FlushPolicy({ maxAgeMs: 1000, maxItems: 3 });
  policy.add(0);
  policy.add(1);
  assert.deepEqual(policy.due(2), false);
  policy.add(2);
  assert.deepEqual(policy.deadline(), 2);
  assert.deepEqual(policy.due(2), true);
});

Deno.test("FlushPolicy starts a new age window after a write", () => {
  const policy = new FlushPolicy({ maxAgeMs: 1000, maxItems: 3 });
  policy.add(0);
  policy.written(1000, 1);
  assert.deepEqual(policy.deadline(), null);
  policy.add(1200);
  assert.deepEqual(policy.deadline(), 2200);
});

Deno.test("FlushPolicy makes a backlog left after a partial write due at once", () => {
  const policy = new FlushPolicy({ maxAgeMs: 1000, maxItems: 2 });
  for (let i = 0; i < 5; i++) policy.add(i);
  policy.written(10, 2);
  assert.deepEqual(policy.pending, 3);
  assert.deepEqual(policy.due(10), true);
});

Deno.test("FlushPolicy waits a doubling, capped time between attempts while writes fail", () => {
  const policy = new FlushPolicy({ maxAgeMs: 100, minRetryMs: 1000, maxRetryMs: 3000 });
  policy.add(0);
  policy.failed(100);
  assert.deepEqual(policy.deadline(), 1100);
  policy.failed(1100);
  assert.deepEqual(policy.deadline(), 3100);
  policy.failed(3100);
  assert.deepEqual(policy.deadline(), 6100);
  policy.written(6100, 1);
  assert.deepEqual(policy.failures, 0);
  policy.add(6200);
  assert.deepEqual(policy.deadline(), 6300);
});

Deno.test("FlushPolicy counts dropped items out of the pending ones", () => {
  const policy = new FlushPolicy({ maxItems: 3 });
  for (let i = 0; i < 3; i++) policy.add(i);
  policy.dropped(2);
  assert.deepEqual(policy.pending, 1);
  assert.throws(() => policy.dropped(2), RangeError);
});

Deno.test("FlushPolicy runs retention at once, then at most every pruneIntervalMs", () => {
  const policy = new FlushPolicy({ pruneIntervalMs: 60_000 });
  assert.deepEqual(policy.pruneDue(5), true);
  policy.pruned(5);
  assert.deepEqual(policy.pruneDue(60_004), false);
  assert.deepEqual(policy.pruneDue(60_005), true);
});

Deno.test("FlushPolicy refuses limits that are not positive", () => {
  assert.throws(() => new FlushPolicy({ maxAgeMs: 0 }), RangeError);
  assert.throws(() => new FlushPolicy({ maxItems: Number.NaN }), RangeError);
});
