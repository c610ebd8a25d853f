import assert from "node:assert/strict";
import { BbrController, INITIAL_WINDOW_FLOOR_BYTES } from "../../../lib/rudp/recovery/bbr.ts";
import {
  halfBufferDatagrams,
  MAX_RECEIVER_ALLOWANCE_BYTES,
  RECEIVER_BUFFER_BYTES,
} from "../../../lib/rudp/connection/transport_options.ts";
import type { AckSample } from "../../../lib/rudp/recovery/congestion.ts";
import { NewRenoController } from "../../../lib/rudp/recovery/new_reno.ts";

const MSS = 1200;

function ack(over: Partial<AckSample>): AckSample {
  return {
    ackedBytes: MSS,
    largestAckedSentTime: 0,
    rate: null,
    minRttMs: 20,
    smoothedRttMs: 20,
    latestRttMs: 20,
    bytesInFlight: 0,
    ...over,
  };
}

Deno.test("NewReno grows by acked bytes in slow start and halves once per round on loss", () => {
  const cc = new NewRenoController(MSS);
  cc.onAck(10, ack({ largestAckedSentTime: 5 }));
  assert.equal(cc.congestionWindow(), 11 * MSS);
  cc.onLoss(20, { lostBytes: MSS, largestLostSentTime: 15, bytesInFlight: 0 });
  assert.equal(cc.congestionWindow(), 5.5 * MSS);
  // A second loss of a packet sent before recovery started does not reduce again.
  cc.onLoss(21, { lostBytes: MSS, largestLostSentTime: 16, bytesInFlight: 0 });
  assert.equal(cc.congestionWindow(), 5.5 * MSS);
  // Congestion avoidance: one MSS per window of acked bytes.
  for (let i = 0; i < 6; i++) cc.onAck(40 + i, ack({ largestAckedSentTime: 30 + i }));
  assert.equal(cc.congestionWindow(), 6.5 * MSS);
});

Deno.test("NewReno never shrinks below its minimum window", () => {
  const cc = new NewRenoController(MSS);
  for (let i = 0; i < 10; i++) {
    cc.onLoss(i * 100, { lostBytes: MSS, largestLostSentTime: i * 100, bytesInFlight: 0 });
  }
  assert.equal(cc.congestionWindow(), 4 * MSS);
});

const deliveredSoFar = new WeakMap<BbrController, number>();

/** Feeds `rounds` round trips of rate samples, continuing the controller's delivered count. */
function feed(cc: BbrController, rounds: number, bytesPerMs: (round: number) => number, rtt = 20) {
  let delivered = deliveredSoFar.get(cc) ?? 0;
  for (let r = 0; r < rounds; r++) {
    const bw = bytesPerMs(r);
    const rate = {
      bytesPerMs: bw,
      delivered: bw * rtt,
      intervalMs: rtt,
      priorDelivered: delivered,
      appLimited: false,
    };
    delivered += bw * rtt;
    cc.onAck(
      r * rtt,
      ack({ ackedBytes: bw * rtt, rate, latestRttMs: rtt, minRttMs: rtt, bytesInFlight: bw * rtt }),
    );
  }
  deliveredSoFar.set(cc, delivered);
}

/** What half the default receive buffer holds of 1,200-byte datagrams. */
const ALLOWANCE = halfBufferDatagrams(MSS) * MSS;

Deno.test("BBR leaves startup when bandwidth stops growing and caps the window at the BDP plus half the receiver's buffer", () => {
  const cc = new BbrController(MSS);
  feed(cc, 6, (r) => 100 * 2 ** r); // growing
  assert.equal(cc.state, "startup");
  feed(cc, 8, () => 3200);
  assert.equal(cc.state, "probe_bw");
  assert.equal(cc.bandwidth, 3200);
  const bdp = 3200 * 20;
  assert.ok(cc.congestionWindow() <= bdp + ALLOWANCE + 1, `${cc.congestionWindow()}`);
  assert.ok(cc.pacingRate(20) >= 0.75 * 3200 && cc.pacingRate(20) <= 1.25 * 3200);
});

Deno.test("BBR's window covers half the receiver's buffer however small the BDP", () => {
  const cc = new BbrController(MSS);
  // A fast path: 100 MB/s with a 20 µs minimum RTT is a BDP of two datagrams.
  feed(cc, 30, () => 100_000, 0.02);
  assert.ok(cc.congestionWindow() >= ALLOWANCE, `${cc.congestionWindow()} < ${ALLOWANCE}`);
});

Deno.test("BBR does not shrink its window on random loss without a queue", () => {
  const cc = new BbrController(MSS);
  feed(cc, 14, () => 3200);
  const before = cc.congestionWindow();
  cc.onLoss(400, { lostBytes: 10 * MSS, largestLostSentTime: 390, bytesInFlight: 0 });
  assert.equal(cc.congestionWindow(), before);
});

Deno.test("BBR ends startup on loss seen with a standing queue", () => {
  const cc = new BbrController(MSS);
  feed(cc, 3, (r) => 100 * 2 ** r);
  cc.onAck(100, ack({ latestRttMs: 40 }));
  cc.onLoss(101, { lostBytes: MSS, largestLostSentTime: 90, bytesInFlight: 0 });
  assert.equal(cc.state, "drain");
});

Deno.test("BBR starts large datagrams with RFC 9002's initial window, not ten of them", () => {
  assert.equal(new BbrController(MSS).congestionWindow(), 10 * MSS);
  assert.equal(new BbrController(4096).congestionWindow(), INITIAL_WINDOW_FLOOR_BYTES);
  assert.equal(new BbrController(32768).congestionWindow(), 2 * 32768);
});

Deno.test("BBR keeps the window's excess over the BDP within half the receiver's buffer", () => {
  // Loopback: 400 MB/s and 0.1 ms, a BDP of 40 KB; ten 32 KiB datagrams would overflow.
  const mss = 32768;
  const cc = new BbrController(mss);
  const bw = 400_000;
  let delivered = 0;
  for (let r = 0; r < 40; r++) {
    const rate = {
      bytesPerMs: bw,
      delivered: 4 * mss,
      intervalMs: 0.1,
      priorDelivered: delivered,
      appLimited: false,
    };
    delivered += 4 * mss;
    cc.onAck(
      r * 0.1,
      ack({ ackedBytes: 4 * mss, rate, latestRttMs: 0.1, minRttMs: 0.1, smoothedRttMs: 0.1 }),
    );
    const bdp = bw * 0.1;
    assert.ok(cc.congestionWindow() <= bdp + RECEIVER_BUFFER_BYTES / 2, `round ${r}`);
  }
  assert.ok(cc.congestionWindow() >= 2 * mss);
});

Deno.test("BBR's smallest window of 65,507 B datagrams is two of them, not four", () => {
  const cc = new BbrController(65_507);
  feed(cc, 14, () => 1); // a BDP of 20 bytes
  assert.ok(cc.congestionWindow() >= 2 * 65_507, `${cc.congestionWindow()}`);
  assert.ok(cc.congestionWindow() <= 2 * 65_507 + 20, `${cc.congestionWindow()}`);
});

Deno.test("BBR takes a new datagram size mid-flight: the window stays, at least its new minimum", () => {
  const cc = new BbrController(MSS);
  assert.equal(cc.congestionWindow(), 10 * MSS);
  // 12,000 B could not hold one 32 KiB datagram: with nothing in flight no ACK would grow it.
  cc.setDatagramBytes(32768);
  assert.equal(cc.congestionWindow(), 3 * 32768, "three fit in half the receiver's buffer");
  // From then on the terms counted in datagrams use the new size (a BDP of 20 bytes here).
  feed(cc, 14, () => 1);
  assert.ok(cc.congestionWindow() >= 3 * 32768, `${cc.congestionWindow()}`);
  // Down again (a black hole): the window is bytes, and is not cut by the change itself.
  const before = cc.congestionWindow();
  cc.setDatagramBytes(MSS);
  assert.equal(cc.congestionWindow(), before);
  feed(cc, 14, () => 1);
  assert.ok(cc.congestionWindow() <= ALLOWANCE + 20, `${cc.congestionWindow()}`);
  assert.throws(() => cc.setDatagramBytes(0), RangeError);
});

Deno.test("NewReno takes a new datagram size mid-flight, never below four of them", () => {
  const cc = new NewRenoController(MSS);
  cc.setDatagramBytes(8972);
  assert.equal(cc.congestionWindow(), 4 * 8972);
  cc.onLoss(20, { lostBytes: MSS, largestLostSentTime: 15, bytesInFlight: 0 });
  assert.equal(cc.congestionWindow(), 4 * 8972, "the minimum is four of the new size");
});

Deno.test("BBR's window runs ahead of a small BDP by half the buffer the receiver announced, up to its cap", () => {
  // The fast path above, with a receiver that announced 2 MiB: the allowance is 1 MiB's worth.
  const big = new BbrController(MSS);
  big.setReceiverBuffer(2 * 1024 * 1024);
  feed(big, 400, () => 100_000, 0.02); // the window grows by what each round acknowledges
  const bigAllowance = halfBufferDatagrams(MSS, 2 * 1024 * 1024) * MSS;
  assert.ok(bigAllowance > 8 * ALLOWANCE, `${bigAllowance} vs ${ALLOWANCE}`);
  assert.ok(big.congestionWindow() >= bigAllowance, `${big.congestionWindow()} < ${bigAllowance}`);
  assert.ok(big.congestionWindow() <= 100_000 * 0.02 + bigAllowance + 1);
  // However large the announcement, what runs ahead stays within MAX_RECEIVER_ALLOWANCE_BYTES.
  const huge = new BbrController(MSS);
  huge.setReceiverBuffer(64 * 1024 * 1024);
  feed(huge, 1000, () => 100_000, 0.02);
  assert.ok(huge.congestionWindow() <= 100_000 * 0.02 + MAX_RECEIVER_ALLOWANCE_BYTES + 1);
});

Deno.test("BBR keeps to a receiver buffer smaller than the default", () => {
  const small = new BbrController(MSS);
  small.setReceiverBuffer(16 * 1024); // 7 datagrams of 1,200 B fit (2,304 B each), 3 in half
  feed(small, 30, () => 100_000, 0.02);
  assert.ok(
    small.congestionWindow() <= 100_000 * 0.02 + 3 * MSS + 1,
    `${small.congestionWindow()}`,
  );
});
