import assert from "node:assert/strict";
import { runTransfer, SERVER } from "./_transfer.ts";
import { SEAL_TAG_BYTES } from "../../lib/rudp/seal/mod.ts";

/** Bytes of the IPv4 and UDP headers around each datagram on the wire. */
const IP_UDP_HEADER_BYTES = 28;
const MIB = 1024 * 1024;

Deno.test("at 5% random loss both ways the wire carries at most 1.10 × the file: resends, headers, tags and under 0.6% of ACKs", () => {
  const size = 8 * MIB;
  let wire = 0;
  let datagrams = 0;
  let fromClient = 0;
  const path = { delayMs: 0.05, loss: 0.05 };
  const r = runTransfer({
    seed: 1,
    size,
    toClient: { ...path, rateBytesPerSecond: 120e6 },
    toServer: path,
    transport: { maxDatagramBytes: 1472 },
    interfaceDatagramBytes: { server: () => 1472, client: 1472 },
    wakeGranularityMs: 0.01,
    onSend: (_now, from, _to, bytes) => {
      wire += bytes.length + IP_UDP_HEADER_BYTES;
      datagrams++;
      if (from !== SERVER) fromClient += bytes.length + IP_UDP_HEADER_BYTES;
    },
  });
  assert.equal(r.receivedHash, r.expectedHash);
  // Resending 5% costs 1 / 0.95 at best, IP, UDP and our headers 2.7% (no CRC inside the seal,
  // no length on a packet's last data frame, no connection id to the client) and the seal's
  // tags 1.1%; what is left is the
  // receiver's ACKs, one per 16 packets. The resends depend on the draw, so they are checked on
  // their own: no more than the lost packets held, and everything but them and the tags is at
  // most 1.05 × the file (32 ACK ranges instead of 8 add 0.9%).
  const resent = r.senderStats.retransmittedBytes;
  assert.ok(resent <= 1.05 * r.senderStats.packetsLost * 1472, `${resent} B resent`);
  const tags = datagrams * SEAL_TAG_BYTES;
  const rest = (wire - tags - resent) / size;
  assert.ok(rest <= 1.05, `headers and ACKs: ${rest.toFixed(4)} × the file`);
  assert.ok(wire / size <= 1.1, `wire ${(wire / size).toFixed(4)} × the file, tags included`);
  // An ACK every 8 packets was 0.86%.
  assert.ok(fromClient / size < 0.006, `ACKs ${(100 * fromClient / size).toFixed(2)}% of the file`);
});
