import assert from "node:assert/strict";
import type { CongestionController } from "../../lib/rudp/congestion.ts";
import { Recovery } from "../../lib/rudp/recovery.ts";

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
