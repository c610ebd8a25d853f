import assert from "node:assert/strict";
import type { CongestionController } from "../../../lib/rudp/recovery/congestion.ts";
import { Recovery } from "../../../lib/rudp/recovery/recovery.ts";

const DATAGRAM = 32768;

/** A controller with an unbounded window and a crawling pacing rate (1 byte per ms). */
function crawling(): CongestionController {
  return {
    name: "crawling",
    onPacketSent() {},
    onAck() {},
    onLoss() {},
    congestionWindow: () => 1e12,
    pacingRate: () => 1,
  };
}

function send(recovery: Recovery, number: number): void {
  recovery.onSent(0, number, DATAGRAM, true, { data: [], hello: false, confirm: false });
}

Deno.test("Recovery lets a window within one burst leave unpaced, then paces", () => {
  const recovery = new Recovery(DATAGRAM, { congestion: crawling });
  // Half a 212,992 B receive buffer holds three 32 KiB datagrams: those need no pacing.
  for (let n = 0; n < 3; n++) {
    assert.equal(recovery.sendGate(0, DATAGRAM), "ok", `datagram ${n}`);
    send(recovery, n);
  }
  // The unpaced ones took no tokens: the full bucket (one datagram at this rate) is left.
  assert.equal(recovery.sendGate(0, DATAGRAM), "ok");
  send(recovery, 3);
  assert.equal(recovery.sendGate(0, DATAGRAM), "pacing");
  assert.equal(recovery.nextSendTime(0, DATAGRAM), DATAGRAM); // 1 byte per ms
});

Deno.test("Recovery takes a new datagram size with packets in flight, for window and pacer alike", () => {
  const sizes: number[] = [];
  const recovery = new Recovery(1200, {
    congestion: () => ({ ...crawling(), setDatagramBytes: (bytes) => sizes.push(bytes) }),
  });
  recovery.onSent(0, 0, 1200, true, { data: [], hello: false, confirm: false });
  recovery.setDatagramBytes(DATAGRAM);
  assert.deepEqual(sizes, [DATAGRAM], "the controller was told");
  assert.equal(recovery.datagramBytes, DATAGRAM);
  assert.equal(recovery.loss.bytesInFlight, 1200, "a packet in flight keeps its own size");
  // Bursts are now counted in 32 KiB datagrams: two more fit unpaced beside the 1,200 B one.
  for (let n = 1; n < 3; n++) {
    assert.equal(recovery.sendGate(0, DATAGRAM), "ok", `datagram ${n}`);
    send(recovery, n);
  }
  recovery.onAck(1, { type: "ack", ackDelayMicros: 0, ranges: [{ first: 0, last: 2 }] });
  assert.equal(recovery.loss.bytesInFlight, 0);
});
