/**
 * DeliverySchedule (tools/relay/delivery_schedule.ts), the relay's time-ordered queue.
 */
import assert from "node:assert/strict";
import { DeliverySchedule } from "../../../tools/relay/delivery_schedule.ts";

Deno.test("DeliverySchedule hands out items in time order, equal times in insertion order", () => {
  const schedule = new DeliverySchedule<string>();
  for (const [at, item] of [[30, "c"], [10, "a1"], [20, "b"], [10, "a2"], [25, "x"]] as const) {
    schedule.add(at, item);
  }
  assert.equal(schedule.size, 5);
  assert.equal(schedule.next, 10);
  const taken: string[] = [];
  schedule.takeDue(20, (item) => taken.push(item));
  assert.deepEqual(taken, ["a1", "a2", "b"]);
  assert.equal(schedule.next, 25);
  schedule.add(22, "late");
  schedule.takeDue(100, (item) => taken.push(item));
  assert.deepEqual(taken, ["a1", "a2", "b", "late", "x", "c"]);
  assert.equal(schedule.size, 0);
  assert.equal(schedule.next, undefined);
});

Deno.test("DeliverySchedule keeps order across many items taken a few at a time", () => {
  const schedule = new DeliverySchedule<number>();
  const taken: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    schedule.add(i + (i % 7) * 0.1, i); // mostly growing times, a little jitter
    if (i % 3 === 0) schedule.takeDue(i - 5, (item) => taken.push(item));
  }
  schedule.takeDue(Infinity, (item) => taken.push(item));
  assert.equal(taken.length, 10_000);
  const times = taken.map((i) => i + (i % 7) * 0.1);
  assert.ok(times.every((t, k) => k === 0 || t >= times[k - 1]!), "times never go back");
});

Deno.test("DeliverySchedule clear drops every item", () => {
  const schedule = new DeliverySchedule<number>();
  schedule.add(1, 1);
  schedule.add(2, 2);
  schedule.clear();
  assert.equal(schedule.size, 0);
  let called = false;
  schedule.takeDue(10, () => called = true);
  assert.equal(called, false);
});
