import assert from "node:assert/strict";
import {
  INITIAL_RTT_MS,
  initialRtt,
  RttEstimator,
  TIMER_GRANULARITY_MS,
} from "../../../lib/rudp/recovery/rtt.ts";

Deno.test("RttEstimator starts from the initial RTT and takes the first sample whole", () => {
  const rtt = new RttEstimator();
  assert.equal(rtt.smoothed, INITIAL_RTT_MS);
  rtt.update(40, 5);
  assert.equal(rtt.smoothed, 40);
  assert.equal(rtt.variance, 20);
  assert.equal(rtt.min, 40);
});

Deno.test("RttEstimator smooths per RFC 9002 and subtracts ack delay only above min RTT", () => {
  const rtt = new RttEstimator();
  rtt.update(40, 0);
  rtt.update(60, 10); // adjusted 50
  assert.equal(rtt.smoothed, 0.875 * 40 + 0.125 * 50);
  assert.equal(rtt.variance, 0.75 * 20 + 0.25 * 10);
  rtt.update(42, 10); // 32 would fall below min 40: not adjusted
  assert.equal(rtt.min, 40);
  assert.equal(rtt.latest, 42);
  assert.ok(rtt.smoothed > 40);
});

Deno.test("RttEstimator derives PTO and a 9/8 loss delay", () => {
  const rtt = new RttEstimator();
  rtt.update(80, 0);
  assert.equal(rtt.pto(25), 80 + 4 * 40 + 25);
  assert.equal(rtt.lossDelay(), 90);
  assert.throws(() => rtt.update(-1, 0), RangeError);
});

Deno.test("initialRtt takes a measured round trip within the granularity and the default", () => {
  assert.equal(initialRtt(), INITIAL_RTT_MS);
  assert.equal(initialRtt(0.3), TIMER_GRANULARITY_MS);
  assert.equal(initialRtt(12), 12);
  // A chat round trip includes the hub's own work: it may lower the guess, never raise it.
  assert.equal(initialRtt(900), INITIAL_RTT_MS);
  assert.equal(initialRtt(Number.NaN), INITIAL_RTT_MS);
});
