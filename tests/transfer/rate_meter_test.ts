import assert from "node:assert/strict";
import { RateMeter } from "../../lib/transfer/rate_meter.ts";

Deno.test("RateMeter has no rate before time has passed since the first record", () => {
  const meter = new RateMeter();
  assert.ok(Number.isNaN(meter.bytesPerSecond(0)));
  meter.record(0, 0);
  assert.ok(Number.isNaN(meter.bytesPerSecond(0)));
});

Deno.test("RateMeter measures bytes over the time since the first record", () => {
  const meter = new RateMeter();
  meter.record(1_000, 999_999); // the start: bytes reported here were done before it
  meter.record(2_000, 4096);
  assert.equal(meter.bytesPerSecond(2_000), 4096);
  assert.equal(meter.bytesPerSecond(3_000), 2048);
});

Deno.test("RateMeter averages a steady flow over its window", () => {
  const meter = new RateMeter({ windowMs: 5_000 });
  meter.record(0, 0);
  for (let t = 100; t <= 10_000; t += 100) meter.record(t, 1000);
  assert.equal(meter.bytesPerSecond(10_000), 10_000);
});

Deno.test("RateMeter follows a change of speed within one window", () => {
  const meter = new RateMeter({ windowMs: 2_000 });
  meter.record(0, 0);
  for (let t = 100; t <= 5_000; t += 100) meter.record(t, 100);
  for (let t = 5_100; t <= 10_000; t += 100) meter.record(t, 1000);
  assert.equal(meter.bytesPerSecond(10_000), 10_000);
});

Deno.test("RateMeter decays to zero when the transfer stalls", () => {
  const meter = new RateMeter({ windowMs: 2_000 });
  meter.record(0, 0);
  meter.record(1_000, 5000);
  assert.equal(meter.bytesPerSecond(2_000), 2500);
  assert.equal(meter.bytesPerSecond(3_500), 0);
});

Deno.test("RateMeter treats time running backwards as no time passing", () => {
  const meter = new RateMeter();
  meter.record(1_000, 0);
  meter.record(2_000, 1000);
  meter.record(1_500, 1000);
  assert.equal(meter.bytesPerSecond(1_000), 2000);
});

Deno.test("RateMeter rejects negative bytes, non-finite times and a bad window", () => {
  const meter = new RateMeter();
  assert.throws(() => meter.record(0, -1), RangeError);
  assert.throws(() => meter.record(Number.NaN, 1), RangeError);
  assert.throws(() => new RateMeter({ windowMs: 0 }), RangeError);
});
