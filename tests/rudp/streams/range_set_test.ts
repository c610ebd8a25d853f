import assert from "node:assert/strict";
import { Prng } from "../../../lib/netsim/prng.ts";
import { RangeSet } from "../../../lib/rudp/streams/range_set.ts";

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

/** The obvious model: a boolean per value in a small universe. */
class NaiveSet {
  readonly bits: boolean[];
  constructor(size: number) {
    this.bits = new Array(size).fill(false);
  }
  set(start: number, end: number, value: boolean): void {
    for (let i = start; i < end; i++) this.bits[i] = value;
  }
  ranges(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.bits.length; i++) {
      if (!this.bits[i]) continue;
      const start = i;
      while (this.bits[i]) i++;
      out.push([start, i]);
    }
    return out;
  }
  gaps(start: number, end: number): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    for (let i = start; i < end; i++) {
      if (this.bits[i]) continue;
      const s = i;
      while (i < end && !this.bits[i]) i++;
      out.push({ start: s, end: i });
    }
    return out;
  }
}

Deno.test("RangeSet agrees with a naive model over thousands of random operations", () => {
  const universe = 300;
  for (let seed = 1; seed <= 20; seed++) {
    const prng = new Prng(seed);
    const set = new RangeSet();
    const model = new NaiveSet(universe + 64);
    for (let op = 0; op < 400; op++) {
      const start = prng.int(universe);
      const end = start + prng.int(prng.next() < 0.7 ? 4 : 60);
      const kind = prng.int(10);
      const where = `seed ${seed}, op ${op}`;
      if (kind < 5) {
        set.add(start, end);
        model.set(start, end, true);
      } else if (kind < 8) {
        set.remove(start, end);
        model.set(start, end, false);
      } else if (kind === 8) {
        assert.deepEqual(set.gaps(start, end), model.gaps(start, end), where);
      } else {
        const max = prng.int(8);
        set.truncateBottom(max);
        const kept = model.ranges().slice(-max || model.ranges().length);
        model.set(0, universe + 64, false);
        if (max > 0) { for (const [s, e] of kept) model.set(s, e, true); }
      }
      const expected = model.ranges();
      assert.deepEqual(ranges(set), expected, where);
      assert.equal(set.count, expected.length, where);
      assert.equal(set.isEmpty, expected.length === 0, where);
      const probe = prng.int(universe);
      assert.equal(set.has(probe), model.bits[probe], `${where}: has(${probe})`);
      assert.equal(
        set.covers(start, end),
        model.gaps(start, end).length === 0,
        `${where}: covers(${start}, ${end})`,
      );
      assert.deepEqual(
        set.first(),
        expected.length ? { start: expected[0]![0], end: expected[0]![1] } : undefined,
      );
      assert.deepEqual(
        set.last(),
        expected.length ? { start: expected.at(-1)![0], end: expected.at(-1)![1] } : undefined,
      );
    }
  }
});

Deno.test("RangeSet takes 100,000 descending inserts, touching or not, in well under a second", () => {
  for (const stride of [1, 2]) {
    const set = new RangeSet();
    const started = performance.now();
    for (let i = 100_000; i > 0; i--) set.add(i * stride, i * stride + 1);
    for (let i = 1; i <= 100_000; i++) assert.ok(set.has(i * stride));
    const elapsed = performance.now() - started;
    assert.equal(set.count, stride === 1 ? 1 : 100_000);
    assert.ok(elapsed < 1000, `stride ${stride}: ${elapsed.toFixed(0)} ms`);
  }
});

Deno.test("RangeSet removes a prefix of 100,000 ranges and truncates its bottom quickly", () => {
  const set = new RangeSet();
  for (let i = 0; i < 100_000; i++) set.add(2 * i, 2 * i + 1);
  const started = performance.now();
  set.remove(0, 100_000);
  assert.equal(set.count, 50_000);
  set.truncateBottom(10);
  assert.deepEqual(set.first(), { start: 199_980, end: 199_981 });
  assert.ok(performance.now() - started < 1000);
});
