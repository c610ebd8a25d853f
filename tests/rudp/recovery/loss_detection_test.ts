import assert from "node:assert/strict";
import { LossDetection, type SentPacket } from "../../../lib/rudp/recovery/loss_detection.ts";
import { RttEstimator } from "../../../lib/rudp/recovery/rtt.ts";

function packet(number: number, sentTime: number): SentPacket {
  return {
    number,
    sentTime,
    bytes: 1200,
    ackEliciting: true,
    content: { data: [{ offset: number * 1000, length: 1000 }], hello: false, confirm: false },
    delivery: { delivered: 0, deliveredTime: 0, firstSentTime: 0, appLimited: false },
  };
}

function setup(count: number): LossDetection {
  const loss = new LossDetection(new RttEstimator());
  for (let i = 0; i < count; i++) loss.onSent(packet(i, i));
  return loss;
}

Deno.test("LossDetection declares a packet lost when one 3 numbers later is acknowledged", () => {
  // All five sent at once: at the ACK the oldest is 20 ms old against a time threshold of
  // 9/8 of a 20 ms RTT, so only the packet threshold can declare it lost.
  const loss = new LossDetection(new RttEstimator());
  for (let i = 0; i < 5; i++) loss.onSent(packet(i, 0));
  const r = loss.onAck(20, [{ first: 1, last: 3 }], 0);
  assert.ok(loss.rtt.lossDelay() > 20, "the time threshold has not passed");
  assert.deepEqual(r.acked.map((p) => p.number), [3, 2, 1]);
  assert.deepEqual(r.lost.map((p) => p.number), [0]);
  assert.equal(loss.bytesInFlight, 1200);
  assert.ok(r.rttSampled);
  assert.equal(loss.rtt.latest, 20);
});

Deno.test("LossDetection waits for the time threshold when the ACK is only 2 numbers later", () => {
  const loss = new LossDetection(new RttEstimator());
  for (let i = 0; i < 5; i++) loss.onSent(packet(i, 0));
  const r = loss.onAck(20, [{ first: 1, last: 2 }], 0);
  assert.deepEqual(r.lost, []);
  assert.equal(loss.lossTime, 1.125 * 20);
});

Deno.test("LossDetection declares loss by time threshold (9/8 RTT) and arms the timer first", () => {
  const loss = setup(3);
  const r = loss.onAck(20, [{ first: 2, last: 2 }], 0); // rtt 18, loss delay 20.25
  assert.deepEqual(r.lost, []);
  assert.equal(loss.lossTime, 0 + 1.125 * 18);
  const lost = loss.detectLost(loss.lossTime!);
  assert.deepEqual(lost.map((p) => p.number), [0]);
  assert.equal(loss.lossTime, 1 + 1.125 * 18);
});

Deno.test("sender never retransmits on a duplicate ACK alone", () => {
  const loss = setup(6);
  loss.onAck(20, [{ first: 2, last: 2 }], 0);
  for (let i = 0; i < 10; i++) {
    const again = loss.onAck(20.5, [{ first: 2, last: 2 }], 0);
    assert.deepEqual(again.acked, []);
    assert.deepEqual(again.lost, [], "a duplicate ACK declared a loss");
  }
});

Deno.test("LossDetection backs off the PTO exponentially and resets on a new ACK", () => {
  const loss = setup(2);
  const base = loss.ptoDeadline(25, false)!;
  loss.ptoCount = 1;
  assert.equal(loss.ptoDeadline(25, false)! - 1, 2 * (base - 1));
  loss.ptoCount = 2;
  assert.equal(loss.ptoDeadline(25, false)! - 1, 4 * (base - 1));
  loss.onAck(30, [{ first: 1, last: 1 }], 0);
  assert.equal(loss.ptoCount, 0);
});

Deno.test("LossDetection arms no PTO with nothing in flight unless asked to", () => {
  const loss = setup(1);
  loss.onAck(10, [{ first: 0, last: 0 }], 0);
  assert.equal(loss.ptoDeadline(25, false), null);
  assert.ok(loss.ptoDeadline(25, true)! > 10);
});

Deno.test("LossDetection ignores acknowledgements of packets never sent", () => {
  const loss = setup(2);
  const r = loss.onAck(10, [{ first: 0, last: 1_000_000 }], 0);
  assert.equal(r.acked.length, 2);
  assert.equal(loss.bytesInFlight, 0);
});
