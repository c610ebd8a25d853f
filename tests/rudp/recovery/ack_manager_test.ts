import assert from "node:assert/strict";
import {
  ACK_ELICITING_THRESHOLD,
  AckManager,
  MAX_ACK_DELAY_MS,
  QUICK_ACK_PACKETS,
  QUICK_ACK_THRESHOLD,
} from "../../../lib/rudp/recovery/ack_manager.ts";

Deno.test("AckManager delays the ACK of a single packet by the max ack delay", () => {
  const acks = new AckManager();
  acks.onPacket(0, 0, true);
  assert.equal(acks.ackDueNow(0), false);
  assert.equal(acks.deadline, MAX_ACK_DELAY_MS);
  assert.equal(acks.ackDueNow(MAX_ACK_DELAY_MS), true);
});

/** An AckManager past its quick start: QUICK_ACK_PACKETS received and acknowledged. */
function pastQuickStart(): { acks: AckManager; next: number } {
  const acks = new AckManager();
  for (let n = 0; n < QUICK_ACK_PACKETS; n++) acks.onPacket(0, n, true);
  acks.onAckSent();
  return { acks, next: QUICK_ACK_PACKETS };
}

Deno.test("AckManager acknowledges in order packets every ACK_ELICITING_THRESHOLD at once", () => {
  const { acks, next } = pastQuickStart();
  for (let n = 0; n < ACK_ELICITING_THRESHOLD - 1; n++) acks.onPacket(0, next + n, true);
  assert.equal(acks.ackDueNow(0), false);
  acks.onPacket(0, next + ACK_ELICITING_THRESHOLD - 1, true);
  assert.equal(acks.ackDueNow(0), true);
  acks.onAckSent();
  assert.equal(acks.ackDueNow(0), false);
});

Deno.test("AckManager acknowledges every QUICK_ACK_THRESHOLD of the first QUICK_ACK_PACKETS", () => {
  // The sender's initial window is smaller than ACK_ELICITING_THRESHOLD: its first flight must
  // not wait out the ACK delay.
  const acks = new AckManager();
  let acked = 0;
  for (let n = 0; n < QUICK_ACK_PACKETS; n++) {
    acks.onPacket(0, n, true);
    if (acks.ackDueNow(0)) acks.onAckSent(), acked++;
  }
  assert.equal(acked, QUICK_ACK_PACKETS / QUICK_ACK_THRESHOLD);
  acks.onPacket(0, QUICK_ACK_PACKETS, true);
  assert.equal(acks.ackDueNow(0), false, "past the quick start");
});

Deno.test("AckManager acknowledges at once when a gap appears, with ranges for the SACK", () => {
  const acks = new AckManager();
  acks.onPacket(0, 0, true);
  acks.onAckSent();
  acks.onPacket(1, 3, true);
  assert.equal(acks.ackDueNow(1), true);
  const frame = acks.buildFrame(5)!;
  assert.deepEqual(frame.ranges, [{ first: 3, last: 3 }, { first: 0, last: 0 }]);
  assert.equal(frame.ackDelayMicros, 4000);
});

Deno.test("AckManager reports duplicates and does not count ack-only packets towards an ACK", () => {
  const acks = new AckManager();
  assert.equal(acks.onPacket(0, 0, false), true);
  assert.equal(acks.onPacket(0, 1, false), true);
  assert.equal(acks.ackDueNow(100), false);
  assert.equal(acks.onPacket(0, 1, false), false);
});

Deno.test("AckManager has nothing to piggyback after only packets that ask for no ACK", () => {
  const acks = new AckManager();
  acks.onPacket(0, 0, false);
  acks.onPacket(0, 1, false);
  assert.equal(acks.hasPending, false);
  acks.onPacket(0, 2, true);
  assert.equal(acks.hasPending, true);
  // The ACK that goes reports every packet received, those that asked for none included.
  assert.deepEqual(acks.buildFrame(0)!.ranges, [{ first: 0, last: 2 }]);
});
