import assert from "node:assert/strict";
import { DeliveryRate } from "../../../lib/rudp/recovery/delivery_rate.ts";

Deno.test("DeliveryRate measures delivered bytes over the longer of send and ack intervals", () => {
  const rate = new DeliveryRate();
  const snaps = [0, 1, 2, 3].map((i) => rate.onSend(i, i * 1000));
  for (let i = 0; i < 4; i++) rate.onAcked(20 + i, snaps[i]!, i, 1000);
  const sample = rate.takeSample(20)!;
  assert.equal(sample.delivered, 4000);
  assert.equal(sample.intervalMs, 23);
  assert.equal(rate.takeSample(20), null, "a sample is taken once");
});

Deno.test("DeliveryRate discards samples shorter than the min RTT and marks app-limited ones", () => {
  const rate = new DeliveryRate();
  rate.markAppLimited(0);
  const snap = rate.onSend(0, 0);
  assert.equal(snap.appLimited, true);
  rate.onAcked(5, snap, 0, 1000);
  assert.equal(rate.takeSample(20), null);
});
