import assert from "node:assert/strict";
import { RangeSet } from "../../lib/rudp/range_set.ts";

function ranges(set: RangeSet): [number, number][] {
  return set.descending(1000).reverse().map((r) => [r.start, r.end]);
}

Deno.test("RangeSet merges overlapping and touching ranges in any insertion order", () => {
  const set = new RangeSet();
  set.add(10, 20);
  set.add(30, 40);
  set.add(0, 5);
  assert.deepEqual(ranges(set), [[0, 5], [10, 20], [30, 40]]);
  set.add(20, 30);
  assert.deepEqual(ranges(set), [[0, 5], [10, 40]]);
  set.add(3, 12);
  assert.deepEqual(ranges(set), [[0, 40]]);
  assert.ok(set.has(39) && !set.has(40));
  assert.ok(set.covers(0, 40) && !set.covers(0, 41));
});

Deno.test("RangeSet removes, splits and reports gaps", () => {
  const set = new RangeSet();
  set.add(0, 100);
  set.remove(10, 20);
  set.remove(50, 150);
  assert.deepEqual(ranges(set), [[0, 10], [20, 50]]);
  assert.deepEqual(set.gaps(5, 60), [{ start: 10, end: 20 }, { start: 50, end: 60 }]);
  assert.deepEqual(set.gaps(60, 70), [{ start: 60, end: 70 }]);
  assert.deepEqual(set.gaps(25, 30), []);
});

Deno.test("RangeSet keeps at most the requested number of highest ranges", () => {
  const set = new RangeSet();
  for (let i = 0; i < 10; i++) set.add(i * 10, i * 10 + 1);
  set.truncateBottom(3);
  assert.deepEqual(ranges(set), [[70, 71], [80, 81], [90, 91]]);
  assert.throws(() => set.add(5, 4), RangeError);
});
