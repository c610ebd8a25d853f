/**
 * Downloads through a UdpRelay that loses, duplicates, reorders and corrupts datagrams, with
 * 2 ms of delay each way: each must end with the server's SHA-256. Seeds are fixed; what the
 * relay did is checked too, so a test cannot pass on a clean path by accident.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { sha256File } from "../../lib/files/file_hash.ts";
import type { ImpairmentOptions } from "../../lib/netsim/impairment.ts";
import type { UdpRelayStats } from "../../tools/relay/udp_relay.ts";
import { Harness, writeRandomFile } from "./_harness.ts";

const MIB = 1024 * 1024;

/** Downloads a file of `size` bytes through `path` (both ways); returns the relay's counters. */
async function downloadThrough(
  path: ImpairmentOptions,
  size: number,
  seed: number,
): Promise<UdpRelayStats> {
  const harness = await Harness.start({ relay: { toServer: path, toClient: path, seed } });
  try {
    const expected = await writeRandomFile(join(harness.folder, "data.bin"), size, seed);
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("data.bin");
    const state = await alice.transfers.wait(id).catch((error) => {
      throw new Error(`Download failed (seed ${seed}): ${error.message}`);
    });
    assert.equal(state, "done");
    assert.equal(await sha256File(join(alice.downloads, "data.bin")), expected, `seed ${seed}`);
    return harness.relay!.stats();
  } finally {
    await harness.close();
  }
}

Deno.test("download through 1% loss and 2 ms delay ends with the right SHA-256", async () => {
  const stats = await downloadThrough({ delayMs: 2, loss: 0.01 }, 4 * MIB, 101);
  assert.ok(stats.toClient.impairment.lost > 0, "the relay lost datagrams");
});

Deno.test("download through 10% loss and 2 ms delay ends with the right SHA-256", async () => {
  const stats = await downloadThrough({ delayMs: 2, loss: 0.1 }, 4 * MIB, 102);
  assert.ok(stats.toClient.impairment.lost > 20, "the relay lost datagrams");
  assert.ok(stats.toServer.impairment.lost > 0, "acknowledgements were lost too");
});

Deno.test("download through 30% loss and 2 ms delay still completes correctly", async () => {
  const stats = await downloadThrough({ delayMs: 2, loss: 0.3 }, 2 * MIB, 103);
  assert.ok(stats.toClient.impairment.lost > 50, "the relay lost datagrams");
});

Deno.test("download through duplication and reordering ends with the right SHA-256", async () => {
  const stats = await downloadThrough(
    {
      delayMs: 2,
      jitterMs: 2,
      duplicate: 0.05,
      reorder: 0.05,
      reorderDelayMs: 4,
    },
    4 * MIB,
    104,
  );
  assert.ok(stats.toClient.impairment.duplicated > 10, "the relay duplicated datagrams");
  assert.ok(stats.toClient.impairment.reordered > 10, "the relay reordered datagrams");
});

Deno.test("download through corruption ends with the right SHA-256", async () => {
  const stats = await downloadThrough({ delayMs: 2, corrupt: 0.05 }, 4 * MIB, 105);
  assert.ok(stats.toClient.impairment.corrupted > 10, "the relay corrupted datagrams");
  assert.ok(stats.toServer.impairment.corrupted > 0, "acknowledgements were corrupted too");
});

Deno.test("download through a 10 Mbit/s bottleneck with bursts of loss ends correct", async () => {
  const stats = await downloadThrough(
    {
      delayMs: 2,
      rateBytesPerSecond: 1_250_000,
      burst: { enter: 0.01, exit: 0.3 },
    },
    MIB,
    106,
  );
  const lost = stats.toClient.impairment.lost + stats.toClient.impairment.queueDrops;
  assert.ok(lost > 0, "the path dropped datagrams");
});

Deno.test("download through 10% loss and 10 ms delay, resending ranges of earlier file blocks, ends correct", async () => {
  // With a 20 ms round trip, lost ranges lie in earlier 1 MiB blocks of the server's file reader
  // than the new bytes sent beside them in the same datagram.
  const stats = await downloadThrough({ delayMs: 10, loss: 0.1 }, 16 * MIB, 107);
  assert.ok(stats.toClient.impairment.lost > 100, "the relay lost datagrams");
});
