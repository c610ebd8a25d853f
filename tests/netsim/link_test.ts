import assert from "node:assert/strict";
import { SimLink, type SimNode } from "../../lib/netsim/link.ts";

/** A node that echoes every datagram back once and counts what it got. */
function echo(address: string, log: string[]): SimNode {
  const out: { to: string; bytes: Uint8Array }[] = [];
  return {
    address,
    handleDatagram: (now, bytes, from) => {
      log.push(`${now}:${address}<${from}:${bytes[0]}`);
      if (bytes[0]! < 3) out.push({ to: from, bytes: new Uint8Array([bytes[0]! + 1]) });
    },
    handleTimeout: () => {},
    pollTransmit: () => out.shift() ?? null,
    pollTimeout: () => null,
  };
}

Deno.test("SimLink jumps virtual time to each delivery and runs to completion", () => {
  const log: string[] = [];
  const link = new SimLink({ seed: 1, path: () => ({ delayMs: 10 }) });
  link.add(echo("a", log));
  link.add(echo("b", log));
  link.inject(0, "a", "b", new Uint8Array([0]));
  link.run(() => log.length === 4);
  assert.deepEqual(log, ["0:b<a:0", "10:a<b:1", "20:b<a:2", "30:a<b:3"]);
  assert.equal(link.now, 30);
});

Deno.test("SimLink throws naming the seed when nothing is left to happen", () => {
  const link = new SimLink({ seed: 77 });
  link.add(echo("a", []));
  assert.throws(() => link.run(() => false), /seed 77/);
});

Deno.test("SimLink rounds timer wake-ups up to its granularity", () => {
  let fired = -1;
  const link = new SimLink({ seed: 1, wakeGranularityMs: 2 });
  link.add({
    address: "a",
    handleDatagram: () => {},
    handleTimeout: (now) => {
      fired = now;
    },
    pollTransmit: () => null,
    pollTimeout: () => (fired < 0 ? 0.3 : null),
  });
  link.run(() => fired >= 0);
  assert.equal(fired, 2);
});
