import assert from "node:assert/strict";
import { BUCKET_US, LatencyHistogram, RANGE_US } from "../../../bench/chat/latency_histogram.ts";

Deno.test("LatencyHistogram reports percentiles at bucket resolution, never below the truth", () => {
  const histogram = new LatencyHistogram();
  for (let us = 1; us <= 1000; us++) histogram.record(us * 100);
  assert.deepEqual(histogram.count, 1000);
  assert.deepEqual(histogram.percentileUs(0.5), 50_000 + BUCKET_US);
  assert.deepEqual(histogram.percentileUs(0.99), 99_000 + BUCKET_US);
  assert.deepEqual(histogram.percentileUs(1), 100_000);
  const summary = histogram.summary();
  assert.deepEqual(summary.p50Ms, 50.01);
  assert.deepEqual(summary.maxMs, 100);
});

Deno.test("LatencyHistogram of nothing reports zeros", () => {
  assert.deepEqual(new LatencyHistogram().summary(), {
    count: 0,
    p50Ms: 0,
    p99Ms: 0,
    p999Ms: 0,
    maxMs: 0,
  });
});

Deno.test("LatencyHistogram keeps the true maximum of latencies beyond its range", () => {
  const histogram = new LatencyHistogram();
  histogram.record(RANGE_US * 3);
  assert.deepEqual(histogram.percentileUs(0.5), RANGE_US * 3);
  assert.deepEqual(histogram.summary().maxMs, RANGE_US * 3 / 1000);
});

Deno.test("LatencyHistogram counts negative latencies (clock slips) as zero", () => {
  const histogram = new LatencyHistogram();
  histogram.record(-5);
  assert.deepEqual(histogram.percentileUs(1), 0);
});

Deno.test("LatencyHistogram.percentileUs rejects fractions outside [0, 1]", () => {
  assert.throws(() => new LatencyHistogram().percentileUs(1.5), RangeError);
  assert.throws(() => new LatencyHistogram().percentileUs(Number.NaN), RangeError);
});
