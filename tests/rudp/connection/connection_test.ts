import assert from "node:assert/strict";
import { CLIENT, runTransfer, SERVER, type TransferSetup, withSeed } from "../_transfer.ts";
import { decodeWire } from "../_keys.ts";

const MIB = 1024 * 1024;
const PATH_10MS = { delayMs: 10 };

/** Runs a transfer and checks the hash; returns the result for further checks. */
function transferOk(setup: TransferSetup) {
  return withSeed(setup.seed, () => {
    const r = runTransfer(setup);
    assert.equal(r.receivedHash, r.expectedHash, "received bytes differ from the file");
    assert.ok(r.clientEvents.some((e) => e.kind === "completed"), "client never completed");
    assert.ok(r.serverEvents.some((e) => e.kind === "completed"), "server never completed");
    assert.ok(!r.clientEvents.some((e) => e.kind === "failed"), "client failed");
    assert.ok(!r.serverEvents.some((e) => e.kind === "failed"), "server failed");
    assert.equal(r.endpoint.stats().connections, 0, "server kept connection state");
    return r;
  });
}

/** Retransmitted bytes may exceed the expected share of a loss rate by a small margin only. */
function assertRetransmitsBounded(retransmitted: number, size: number, loss: number): void {
  const expected = size * loss / (1 - loss);
  assert.ok(
    retransmitted <= expected * 1.35 + 0.01 * size,
    `retransmitted ${retransmitted} bytes, expected about ${Math.round(expected)}`,
  );
}

for (const loss of [0.01, 0.1, 0.3]) {
  Deno.test(`connection delivers the file intact at ${loss * 100}% random loss with bounded retransmissions`, () => {
    for (const seed of [1, 2]) {
      const path = { delayMs: 10, loss };
      const r = transferOk({ seed, size: 2 * MIB, toClient: path, toServer: path });
      withSeed(seed, () => {
        assert.ok(r.senderStats.packetsLost > 0, "the lossy path lost nothing");
        assertRetransmitsBounded(r.senderStats.retransmittedBytes, 2 * MIB, loss);
      });
    }
  });
}

Deno.test("connection delivers intact from a source that reuses one buffer, through loss", () => {
  // Retransmissions put chunks read at different times into one packet: the sender must not
  // hold a view of the source's buffer across the next read.
  for (const seed of [3, 4]) {
    const path = { delayMs: 5, loss: 0.1 };
    transferOk({ seed, size: 2 * MIB, toClient: path, toServer: path, reusingSource: true });
  }
});

Deno.test("connection survives burst loss (Gilbert-Elliott) with bounded retransmissions", () => {
  const path = { delayMs: 10, burst: { enter: 0.01, exit: 0.25 } };
  const r = transferOk({ seed: 3, size: 2 * MIB, toClient: path, toServer: path });
  const lost = r.link.path(SERVER, CLIENT).stats.lost;
  assert.ok(lost > 10, `expected bursts of loss, got ${lost}`);
  assert.ok(r.senderStats.retransmittedBytes <= lost * 1200 * 1.5 + 0.01 * 2 * MIB);
});

Deno.test("connection drops duplicated datagrams as replays and delivers each byte once", () => {
  const path = { delayMs: 10, duplicate: 0.2 };
  const r = transferOk({ seed: 4, size: 1 * MIB, toClient: path, toServer: path });
  assert.ok(r.client.stats().dropped.REPLAYED > 0, "the client saw no duplicate");
  assert.ok(r.endpoint.stats().dropped.REPLAYED > 0, "the server saw no duplicate");
  assert.equal(r.senderStats.retransmittedBytes, 0);
});

Deno.test("connection tolerates reordering with few spurious retransmissions", () => {
  const path = { delayMs: 10, reorder: 0.1, reorderDelayMs: 3 };
  const r = transferOk({ seed: 5, size: 1 * MIB, toClient: path, toServer: path });
  assert.ok(r.link.path(SERVER, CLIENT).stats.reordered > 0);
  assert.ok(r.senderStats.retransmittedBytes <= 0.15 * MIB, `${r.senderStats.retransmittedBytes}`);
});

Deno.test("connection drops corrupted datagrams unopened and never delivers their bytes", () => {
  const path = { delayMs: 10, corrupt: 0.1 };
  const r = transferOk({ seed: 6, size: 1 * MIB, toClient: path, toServer: path });
  // A flipped bit in the sealed part or the header fails the tag: the CRC inside never decides.
  assert.ok(r.client.stats().dropped.UNAUTHENTICATED > 0, "client dropped no corrupted datagram");
  assert.ok(r.endpoint.stats().dropped.UNAUTHENTICATED > 0, "server dropped no corrupted one");
  assertRetransmitsBounded(r.senderStats.retransmittedBytes, MIB, 0.1);
});

Deno.test("connection finishes when the receiver's final acknowledgements are lost", () => {
  let clientDone = false;
  let dropped = 0;
  const r = transferOk({
    seed: 7,
    size: 200_000,
    toClient: PATH_10MS,
    toServer: PATH_10MS,
    before: ({ client }) => {
      const poll = client.pollEvent.bind(client);
      client.pollEvent = () => {
        const e = poll();
        if (e?.kind === "completed") clientDone = true;
        return e;
      };
    },
    // Everything the client sends right after it has all the bytes: its last ACKs.
    filter: (_now, from) => {
      if (from !== CLIENT || !clientDone || dropped >= 3) return true;
      dropped++;
      return false;
    },
  });
  assert.equal(dropped, 3);
  assert.ok(r.senderStats.ptoCount > 0, "the sender never probed for the lost ACK");
});

Deno.test("connection closes cleanly when the receiver's close answer is lost", () => {
  let droppedClose = 0;
  transferOk({
    seed: 8,
    size: 100_000,
    toClient: PATH_10MS,
    toServer: PATH_10MS,
    filter: (_now, from, _to, bytes) => {
      const d = decodeWire(bytes);
      if (from !== CLIENT || !d.ok || !d.packet.frames.some((f) => f.type === "close")) return true;
      if (droppedClose >= 2) return true;
      droppedClose++;
      return false;
    },
  });
  assert.equal(droppedClose, 2);
});

Deno.test("connection resumes from a start offset and delivers only the rest", () => {
  const r = transferOk({
    seed: 9,
    size: 1_000_003,
    startOffset: 400_001,
    toClient: PATH_10MS,
    toServer: PATH_10MS,
  });
  assert.ok(r.senderStats.dataBytesSent >= 600_002 && r.senderStats.dataBytesSent < 700_000);
});

Deno.test("connection transfers an empty file", () => {
  const r = transferOk({ seed: 10, size: 0, toClient: PATH_10MS, toServer: PATH_10MS });
  assert.equal(r.senderStats.dataBytesSent, 0);
});

Deno.test("connection uploads from client to server through loss", () => {
  const path = { delayMs: 10, loss: 0.05 };
  const r = transferOk({
    seed: 11,
    size: 2 * MIB,
    direction: "upload",
    toClient: path,
    toServer: path,
  });
  assert.ok(r.client.stats().dataBytesSent >= 2 * MIB);
  assertRetransmitsBounded(r.senderStats.retransmittedBytes, 2 * MIB, 0.05);
});

Deno.test("connection lets a slow sink hold the sender back through flow control", () => {
  const windowBytes = 64 * 1024;
  const sinkBytesPerMs = 200; // 200 KB/s
  let maxAhead = 0;
  let consumed = 0;
  const r = transferOk({
    seed: 12,
    size: 1 * MIB,
    toClient: PATH_10MS,
    toServer: PATH_10MS,
    transport: { receiveWindowBytes: windowBytes },
    sinkBytesPerMs,
    before: ({ client }) => {
      const poll = client.pollEvent.bind(client);
      client.pollEvent = () => {
        const e = poll();
        if (e?.kind === "data") consumed = e.offset + e.bytes.length;
        return e;
      };
    },
    onSend: (_now, from, _to, bytes) => {
      const d = decodeWire(bytes);
      if (from !== SERVER || !d.ok) return;
      for (const f of d.packet.frames) {
        if (f.type === "data") maxAhead = Math.max(maxAhead, f.offset + f.bytes.length - consumed);
      }
    },
  });
  // The sink may start with up to 64 KiB of budget; everything else goes at its rate.
  const minTime = (MIB - 64 * 1024) / sinkBytesPerMs;
  assert.ok(r.timeMs >= minTime, `finished in ${r.timeMs} ms, faster than the sink`);
  // The sender never ran further ahead of what was written than the window (plus one datagram
  // the sink holds while "writing" it).
  assert.ok(maxAhead <= windowBytes + 2 * 1200, `sender ran ${maxAhead} bytes ahead`);
});

Deno.test("connection moves several hundred MiB over a clean path with large datagrams", () => {
  const size = 300 * MIB;
  const started = performance.now();
  const r = transferOk({
    seed: 13,
    size,
    toClient: { delayMs: 1 },
    toServer: { delayMs: 1 },
    transport: { maxDatagramBytes: 65_000, receiveWindowBytes: 32 * MIB },
  });
  assert.equal(r.senderStats.retransmittedBytes, 0);
  assert.ok(performance.now() - started < 30_000);
});
