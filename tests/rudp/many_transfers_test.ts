// Many at once: a thousand transfers on one server endpoint, through the in-memory pair.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { TransferEvent } from "../../lib/rudp/connection/events.ts";
import { Pair } from "./_pair.ts";
import { PatternSource } from "./_transfer.ts";

const TRANSFERS = 1_000;

function sha256Of(events: TransferEvent[]): string {
  const hash = createHash("sha256");
  let next = 0;
  for (const e of events) {
    if (e.kind !== "data") continue;
    assert.equal(e.offset, next, "data out of order");
    hash.update(e.bytes);
    next += e.bytes.length;
  }
  return hash.digest("hex");
}

Deno.test("server endpoint runs 1,000 concurrent transfers to the end, every file intact", () => {
  const started = performance.now();
  const pair = new Pair({
    seed: 1000,
    transfers: Array.from({ length: TRANSFERS }, (_, i) => ({
      direction: i % 4 === 3 ? "upload" as const : "download" as const,
      size: 20_000 + (i * 7919) % 30_000,
    })),
  });
  pair.pump(2); // every hello, challenge and confirm: all open at once
  assert.equal(pair.endpoint.stats().connections, TRANSFERS);
  pair.runUntil(() => pair.endpoint.stats().connections === 0, 120_000);
  const source = new PatternSource();
  const expected = new Map<number, string>();
  for (const c of pair.clients) {
    assert.ok(pair.completed(c.transferId), `transfer ${c.transferId} did not complete`);
    const received = c.direction === "download" ? c.events : pair.eventsOf(c.transferId);
    if (!expected.has(c.size)) expected.set(c.size, source.sha256(0, c.size));
    assert.equal(sha256Of(received), expected.get(c.size), `transfer ${c.transferId} corrupt`);
  }
  const stats = pair.endpoint.stats();
  assert.deepEqual(
    [stats.connections, stats.scheduled, stats.readyToSend, stats.withEvents],
    [0, 0, 0, 0],
  );
  assert.equal(pair.endpoint.pollTimeout(), null);
  const seconds = (performance.now() - started) / 1000;
  assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
});
