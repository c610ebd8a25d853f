import assert from "node:assert/strict";
import {
  MAX_BURST_BYTES,
  Pacer,
  PACING_BURST_INTERVAL_MS,
} from "../../../lib/rudp/recovery/pacer.ts";
import { RECEIVER_BUFFER_BYTES } from "../../../lib/rudp/connection/transport_options.ts";

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
  const rate = 100_000; // 100 MB/s: 10 ms of credit would be 1 MB, capped at the burst cap
  let sent = 0;
  while (pacer.canSend(1000, 1200, rate, 1200)) {
    pacer.onSend(1000, 1200, rate, 1200);
    sent += 1200;
  }
  const cap = pacer.burstCap(1200);
  assert.ok(cap <= MAX_BURST_BYTES);
  assert.ok(sent <= cap && sent > cap - 1200, `${sent}`);
});

Deno.test("Pacer deadlines are always in the future when tokens are short", () => {
  const pacer = new Pacer();
  pacer.onSend(66.45, 1200, 1e9, 1200);
  pacer.onSend(66.45, 200_000, 1e9, 1200);
  assert.ok(pacer.nextSendTime(66.45, 1200, 1e9, 1200) > 66.45);
});

Deno.test("Pacer caps a burst at what half the receiver's kernel buffer holds", () => {
  assert.equal(MAX_BURST_BYTES, RECEIVER_BUFFER_BYTES / 2);
  const pacer = new Pacer();
  // Linux charges 8 KiB datagrams 16,640 B each and 32 KiB ones about 35.4 KB.
  assert.equal(pacer.capacity(1e6, 8192), 6 * 8192);
  assert.equal(pacer.capacity(1e6, 32768), 3 * 32768);
  // Never less than one datagram, even when that is more than half the buffer.
  assert.equal(pacer.capacity(1e6, 65_507), 65_507);
  assert.equal(new Pacer({ maxBurstBytes: 10_000 }).capacity(1e6, 1200), 10_000);
});

Deno.test("Pacer woken late sends what it is owed since the last send, up to the cap", () => {
  const pacer = new Pacer();
  const rate = 20_000; // 20 MB/s: 2 ms late is 40,000 B owed
  const drain = (now: number) => {
    let sent = 0;
    while (pacer.canSend(now, 8192, rate, 8192)) {
      pacer.onSend(now, 8192, rate, 8192);
      sent += 8192;
    }
    return sent;
  };
  assert.equal(drain(0), 6 * 8192); // the bucket starts full
  assert.equal(drain(2), 4 * 8192); // 40,000 B owed: four datagrams, 7,232 B kept
  assert.equal(drain(2 + PACING_BURST_INTERVAL_MS * 10), 6 * 8192); // owed 4 MB: capped
});
