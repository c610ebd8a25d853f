// Path MTU discovery end to end, on the simulated link (whose `mtu` is the largest datagram it
// carries: 1,472 bytes stands for a 1,500-byte IPv4 path less its IP and UDP headers).
import assert from "node:assert/strict";
import { NewRenoController } from "../../lib/rudp/recovery/new_reno.ts";
import { PMTU_BASE_BYTES } from "../../lib/rudp/recovery/mtu_discovery.ts";
import { CLIENT, runTransfer, SERVER, type TransferSetup, withSeed } from "./_transfer.ts";
import { decodeWire } from "./_keys.ts";

const MIB = 1024 * 1024;
const LARGE = { maxDatagramBytes: 65_507 };

function transferOk(setup: TransferSetup) {
  return withSeed(setup.seed, () => {
    const r = runTransfer(setup);
    const failed = [...r.clientEvents, ...r.serverEvents].find((e) => e.kind === "failed");
    assert.equal(failed, undefined, "the transfer failed");
    assert.equal(r.receivedHash, r.expectedHash, "received bytes differ from the file");
    return r;
  });
}

/** Whether a datagram is a path MTU probe: nothing but a ping (and padding). */
function isProbe(bytes: Uint8Array): boolean {
  const decoded = decodeWire(bytes);
  return decoded.ok && decoded.packet.frames.every((f) => f.type === "ping");
}

/** Records the largest datagram each side sent, and checks every oversized one was a probe. */
function sizeWatch(fits: number) {
  const largest = { [SERVER]: 0, [CLIENT]: 0 } as Record<string, number>;
  let oversizedData = 0;
  const onSend = (_now: number, from: string, _to: string, bytes: Uint8Array) => {
    largest[from] = Math.max(largest[from]!, bytes.length);
    if (bytes.length > fits && !isProbe(bytes)) oversizedData++;
  };
  return { largest, onSend, oversizedData: () => oversizedData };
}

for (const direction of ["download", "upload"] as const) {
  Deno.test(`path MTU discovery ends the ${direction} at exactly 1,472 bytes on a 1,500-byte path, losing no data`, () => {
    const path = { delayMs: 5, mtu: 1472 };
    const watch = sizeWatch(1472);
    const r = transferOk({
      seed: 1,
      size: 8 * MIB,
      direction,
      toClient: path,
      toServer: path,
      transport: LARGE,
      onSend: watch.onSend,
    });
    const receiver = direction === "download"
      ? r.client.stats()
      : { maxDatagramBytes: r.senderStats.maxDatagramBytes };
    assert.equal(r.senderStats.maxDatagramBytes, 1472);
    assert.equal(receiver.maxDatagramBytes, 1472, "the receiver sees the size in use");
    assert.equal(r.senderStats.retransmittedBytes, 0);
    assert.equal(r.senderStats.packetsLost, 0, "a lost probe is no lost packet");
    assert.ok(r.senderStats.mtuProbesLost > 0, "no probe was too large for the path");
    assert.equal(watch.oversizedData(), 0, "data was sent in a datagram the path cannot carry");
  });
}

Deno.test("a lost path MTU probe neither shrinks the congestion window nor counts as loss", () => {
  // NewReno halves its window on any loss it is told of: probes must never reach it.
  const path = { delayMs: 5, mtu: 1472 };
  let window = 0;
  let shrunk = 0;
  let endpoint: ReturnType<typeof runTransfer>["endpoint"] | null = null;
  const r = transferOk({
    seed: 2,
    size: 4 * MIB,
    toClient: path,
    toServer: path,
    transport: { ...LARGE, congestion: (bytes) => new NewRenoController(bytes) },
    before: (ctx) => endpoint = ctx.endpoint,
    onSend: (_now, from) => {
      const stats = from === SERVER ? endpoint?.transferStats(1) : null;
      if (!stats) return;
      if (stats.congestionWindow < window) shrunk++;
      window = stats.congestionWindow;
    },
  });
  assert.ok(r.senderStats.mtuProbesLost >= 3, `${r.senderStats.mtuProbesLost} probes lost`);
  assert.equal(shrunk, 0, "the congestion window shrank on a clean path");
  assert.equal(r.senderStats.packetsLost, 0);
  assert.equal(r.senderStats.retransmittedBytes, 0, "a probe's loss was resent");
});

Deno.test("path MTU discovery falls back when the path MTU drops from 9,000 to 1,500 mid-transfer", () => {
  const size = 32 * MIB;
  let dataSent = 0;
  let dropped = false;
  let link: ReturnType<typeof runTransfer>["link"] | null = null;
  let sizeBefore = 0;
  let endpoint: ReturnType<typeof runTransfer>["endpoint"] | null = null;
  const path = { delayMs: 5, mtu: 8972 };
  const r = transferOk({
    seed: 3,
    size,
    toClient: path,
    toServer: path,
    transport: LARGE,
    maxTimeMs: 120_000,
    before: (ctx) => {
      link = ctx.link;
      endpoint = ctx.endpoint;
    },
    onSend: (_now, from, _to, bytes) => {
      if (from !== SERVER || dropped) return;
      dataSent += bytes.length;
      if (dataSent < size / 3) return;
      sizeBefore = endpoint!.transferStats(1)!.maxDatagramBytes;
      link!.path(SERVER, CLIENT).setMtu(1472);
      link!.path(CLIENT, SERVER).setMtu(1472);
      dropped = true;
    },
  });
  assert.ok(dropped);
  assert.equal(sizeBefore, 8972, "the search had not reached the jumbo size before the drop");
  assert.ok(r.senderStats.mtuBlackHoles >= 1, "no black hole detected");
  assert.ok(r.senderStats.maxDatagramBytes <= 1472, `${r.senderStats.maxDatagramBytes}`);
  assert.equal(r.senderStats.maxDatagramBytes, 1472, "the search after the drop found 1,472");
});

for (const direction of ["download", "upload"] as const) {
  Deno.test(`the ${direction} sender never sends more than the 1,200 bytes its peer advertised`, () => {
    const watch = sizeWatch(PMTU_BASE_BYTES);
    const small = { maxDatagramBytes: PMTU_BASE_BYTES };
    const receiverIsClient = direction === "download";
    const r = transferOk({
      seed: 4,
      size: 2 * MIB,
      direction,
      toClient: { delayMs: 2 },
      toServer: { delayMs: 2 },
      transport: receiverIsClient ? LARGE : small,
      clientTransport: receiverIsClient ? small : LARGE,
      onSend: watch.onSend,
    });
    const sender = receiverIsClient ? SERVER : CLIENT;
    assert.ok(watch.largest[sender]! <= PMTU_BASE_BYTES, `sent ${watch.largest[sender]} bytes`);
    assert.equal(r.senderStats.mtuProbesSent, 0);
  });
}

Deno.test("path MTU discovery never searches past the local interface's MTU", () => {
  const watch = sizeWatch(1452);
  const r = transferOk({
    seed: 5,
    size: 2 * MIB,
    toClient: { delayMs: 2 },
    toServer: { delayMs: 2 },
    transport: LARGE,
    interfaceDatagramBytes: { server: () => 1452 },
    onSend: watch.onSend,
  });
  assert.equal(watch.largest[SERVER], 1452);
  assert.equal(r.senderStats.maxDatagramBytes, 1452);
  assert.equal(r.senderStats.mtuProbesSent, 1, "one probe, at the bound, confirms it");
});

Deno.test("an upload's path MTU search never passes the client's interface MTU", () => {
  const watch = sizeWatch(1452);
  const r = transferOk({
    seed: 6,
    size: 2 * MIB,
    direction: "upload",
    toClient: { delayMs: 2 },
    toServer: { delayMs: 2 },
    transport: LARGE,
    interfaceDatagramBytes: { client: 1452 },
    onSend: watch.onSend,
  });
  assert.equal(watch.largest[CLIENT], 1452);
  assert.equal(r.senderStats.maxDatagramBytes, 1452);
  // Not before the client's confirm is acknowledged: the server drops what lacks it till then.
  assert.equal(r.senderStats.mtuProbesSent, 1);
});
