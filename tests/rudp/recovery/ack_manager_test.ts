import assert from "node:assert/strict";
import {
  ACK_ELICITING_THRESHOLD,
  AckManager,
  MAX_ACK_DELAY_MS,
  MAX_ACK_RANGES,
  MAX_ACK_RANGES_AFTER_BURST,
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

/** An AckManager that received packets 0..count-1 but every `gapEvery`-th, at time 0. */
function withGaps(count: number, gapEvery: number, acks = new AckManager()): AckManager {
  for (let n = 0; n < count; n++) if (n % gapEvery !== gapEvery - 1) acks.onPacket(0, n, true);
  return acks;
}

Deno.test("AckManager reports every gap of a burst answered by one ACK, up to MAX_ACK_RANGES_AFTER_BURST", () => {
  // A burst of 128 packets with every tenth lost, handed over before anything is sent: 13 ranges.
  const acks = withGaps(128, 10);
  const frame = acks.buildFrame(0)!;
  assert.equal(frame.ranges.length, 13);
  assert.deepEqual(frame.ranges.at(-1), { first: 0, last: 8 });
  acks.onAckSent();
  // Never more than the cap, however many gaps.
  const many = withGaps(1000, 2);
  assert.equal(many.buildFrame(0)!.ranges.length, MAX_ACK_RANGES_AFTER_BURST);
});

Deno.test("AckManager's ACKs carry the newest MAX_ACK_RANGES and what is newer than the ACK before the last", () => {
  const acks = withGaps(128, 10);
  acks.buildFrame(0);
  acks.onAckSent(); // reported up to 127
  for (let n = 128; n < 144; n++) if (n !== 130) acks.onPacket(1, n, true);
  acks.onAckSent(); // reported up to 143; the ACK before it reported up to 127
  for (let n = 144; n < 160; n++) acks.onPacket(2, n, true);
  // Every range newer than 127 (144-159 joined to 131-143, and 128-129), at least the 8 newest.
  const ranges = acks.buildFrame(2)!.ranges;
  assert.equal(ranges.length, MAX_ACK_RANGES);
  assert.deepEqual(ranges.slice(0, 2), [{ first: 131, last: 159 }, { first: 120, last: 129 }]);
});
