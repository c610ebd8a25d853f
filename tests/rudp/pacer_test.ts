import assert from "node:assert/strict";
import { MAX_BURST_BYTES, Pacer } from "../../lib/rudp/pacer.ts";

Deno.test("Pacer releases a bounded burst then waits for tokens at the pacing rate", () => {
  const pacer = new Pacer();
  const rate = 12; // bytes per ms: a 2 ms burst is 24 bytes, so capacity is one 1200 B datagram
  assert.ok(pacer.canSend(0, 1200, rate, 1200));
  pacer.onSend(0, 1200, rate, 1200);
  assert.ok(!pacer.canSend(0, 1200, rate, 1200));
  assert.equal(pacer.nextSendTime(0, 1200, rate, 1200), 100);
  assert.ok(pacer.canSend(100, 1200, rate, 1200));
});

Deno.test("Pacer polled late sends one bounded burst, not the whole backlog", () => {
  const pacer = new Pacer();
  const rate = 100_000; // 100 MB/s: a 2 ms burst would be 200 KB, capped at MAX_BURST_BYTES
  let sent = 0;
  while (pacer.canSend(1000, 1200, rate, 1200)) {
    pacer.onSend(1000, 1200, rate, 1200);
    sent += 1200;
  }
  assert.ok(sent <= MAX_BURST_BYTES && sent > MAX_BURST_BYTES - 1200, `${sent}`);
});

Deno.test("Pacer deadlines are always in the future when tokens are short", () => {
  const pacer = new Pacer();
  pacer.onSend(66.45, 1200, 1e9, 1200);
  pacer.onSend(66.45, 200_000, 1e9, 1200);
  assert.ok(pacer.nextSendTime(66.45, 1200, 1e9, 1200) > 66.45);
});
