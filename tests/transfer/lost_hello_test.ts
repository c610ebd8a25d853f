/**
 * A transfer's first timers come from the chat session's round trip: a lost handshake datagram is
 * resent within a few milliseconds on a fast path, not after the 0.8 s that a 250 ms RTT guess
 * gives.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Harness, writeRandomFile } from "./_harness.ts";

Deno.test("a download whose first hello is lost sends the next one within a few chat round trips", async () => {
  const hellos: number[] = [];
  const harness = await Harness.start({
    relay: {
      toServer: {},
      toClient: {},
      seed: 1,
      tap: (direction) => {
        if (direction === "toServer" && hellos.length < 2) hellos.push(performance.now());
      },
      drop: (direction) => direction === "toServer" && hellos.length === 1,
    },
  });
  try {
    await writeRandomFile(join(harness.folder, "data.bin"), 100_000, 7);
    const alice = await harness.connect("alice");
    assert.equal(await alice.transfers.wait(alice.transfers.download("data.bin")), "done");
    assert.equal(harness.relay!.stats().chosenDrops, 1);
    const resentAfterMs = hellos[1]! - hellos[0]!;
    // The default guess would wait some 775 ms; loopback round trips are well under 10 ms.
    assert.ok(
      resentAfterMs < 300,
      `the hello was resent only after ${resentAfterMs.toFixed(0)} ms`,
    );
  } finally {
    await harness.close();
  }
});
