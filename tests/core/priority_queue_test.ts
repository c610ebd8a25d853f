import assert from "node:assert/strict";
import { PriorityQueue, type QueueSlot } from "../../lib/core/priority_queue.ts";
import { Prng } from "../../lib/netsim/prng.ts";

Deno.test("PriorityQueue agrees with a sorted list after random pushes, re-keys, removals and pops", () => {
  for (let seed = 1; seed <= 20; seed++) {
    const prng = new Prng(seed);
    const queue = new PriorityQueue<number>();
    // The naive model: every live slot with its key and push order, scanned for the minimum.
    const model: { slot: QueueSlot<number>; key: number; order: number }[] = [];
    let order = 0;
    const smallest = () =>
      model.reduce<typeof model[0] | null>(
        (min, e) =>
          min === null || e.key < min.key || (e.key === min.key && e.order < min.order) ? e : min,
        null,
      );
    for (let step = 0; step < 2_000; step++) {
      const choice = prng.next();
      const key = Math.floor(prng.next() * 50); // few distinct keys: ties are common
      if (choice < 0.4 || model.length === 0) {
        model.push({ slot: queue.push(step, key), key, order: order++ });
      } else if (choice < 0.65) {
        const e = model[Math.floor(prng.next() * model.length)]!;
        queue.update(e.slot, key);
        e.key = key;
        e.order = order++;
      } else if (choice < 0.8) {
        const i = Math.floor(prng.next() * model.length);
        queue.remove(model[i]!.slot);
        model.splice(i, 1);
      } else {
        const min = smallest()!;
        assert.equal(queue.pop(), min.slot.value, `seed ${seed} step ${step}`);
        model.splice(model.indexOf(min), 1);
      }
      assert.equal(queue.size, model.length);
      assert.equal(queue.peek()?.key ?? null, smallest()?.key ?? null, `seed ${seed} step ${step}`);
    }
  }
});

Deno.test("PriorityQueue gives equal keys back in the order they were pushed", () => {
  const queue = new PriorityQueue<string>();
  for (const name of ["a", "b", "c", "d", "e"]) queue.push(name, 1);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => queue.pop()), ["a", "b", "c", "d", "e"]);
  assert.equal(queue.pop(), null);
});

Deno.test("PriorityQueue refuses a slot it does not hold, or no longer holds", () => {
  const queue = new PriorityQueue<number>();
  const other = new PriorityQueue<number>();
  const slot = queue.push(1, 1);
  assert.throws(() => other.update(slot, 2), TypeError);
  assert.equal(queue.has(slot), true);
  queue.remove(slot);
  assert.equal(queue.has(slot), false);
  assert.throws(() => queue.remove(slot), TypeError);
  assert.throws(() => queue.push(2, NaN), RangeError);
});
