import assert from "node:assert/strict";
import { deriveTransferKeys, PacketProtection } from "../../../lib/rudp/seal/mod.ts";
import { decodePacket, encodePacket, type Packet } from "../../../lib/rudp/wire/packet.ts";

const KEYS = deriveTransferKeys(new Uint8Array(32).fill(1));
const DCID = new Uint8Array(8).fill(4);
const SECRET = new TextEncoder().encode("the file's bytes, which no one on the path may read");

function dataPacket(number: number): Packet {
  return {
    type: "short",
    dcid: DCID,
    number,
    frames: [{ type: "data", offset: 0, bytes: SECRET }],
  };
}

function seal(number: number): Uint8Array {
  return PacketProtection.sealed(KEYS, "server").protect(
    encodePacket(dataPacket(number)),
    "short",
    number,
  );
}

Deno.test("a sealed packet opens for the peer and decodes to what was sent", () => {
  const client = PacketProtection.sealed(KEYS, "client");
  const opened = client.open(seal(7));
  assert.ok(opened.ok);
  const decoded = decodePacket(opened.bytes);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.packet.frames, dataPacket(7).frames);
});

Deno.test("a packet encoded into a send buffer is sealed in place there, the same as a copy", () => {
  const into = new Uint8Array(1500);
  const packet = encodePacket(dataPacket(9), { into });
  const datagram = PacketProtection.sealed(KEYS, "server").protect(packet, "short", 9, { into });
  assert.equal(datagram.buffer, into.buffer, "sealed into a buffer of its own");
  assert.equal(datagram.byteOffset, 0);
  assert.deepEqual(datagram, seal(9));
  const opened = PacketProtection.sealed(KEYS, "client").open(datagram);
  assert.ok(opened.ok);
});

Deno.test("a sealed packet does not open for its own sender's direction", () => {
  // The server's packets are sealed with the server-to-client key: a reflected copy fails.
  assert.deepEqual(PacketProtection.sealed(KEYS, "server").open(seal(7)), {
    ok: false,
    code: "UNAUTHENTICATED",
  });
});

Deno.test("a sealed packet opens only under its own transfer's key", () => {
  const other = PacketProtection.sealed(deriveTransferKeys(new Uint8Array(32).fill(2)), "client");
  assert.deepEqual(other.open(seal(7)), { ok: false, code: "UNAUTHENTICATED" });
});

Deno.test("a flipped bit anywhere in a sealed datagram keeps it from opening", () => {
  const datagram = seal(300);
  for (let bit = 0; bit < datagram.length * 8; bit++) {
    const copy = datagram.slice();
    copy[bit >> 3]! ^= 1 << (bit & 7);
    // A fresh opener each time, so that no flip is refused as a replay instead.
    const opened = PacketProtection.sealed(KEYS, "client").open(copy);
    assert.equal(opened.ok, false, `bit ${bit} flipped, and it opened`);
  }
});

Deno.test("a sealed datagram opened once is refused when it comes again (REPLAYED)", () => {
  const client = PacketProtection.sealed(KEYS, "client");
  const datagram = seal(12);
  assert.ok(client.open(datagram).ok);
  assert.deepEqual(client.open(datagram), { ok: false, code: "REPLAYED" });
  assert.ok(client.open(seal(11)).ok, "an earlier number, not seen yet, still opens");
});

Deno.test("a forged datagram does not spend its packet number: the real one still opens", () => {
  const client = PacketProtection.sealed(KEYS, "client");
  const real = seal(20);
  const forged = real.slice();
  forged[forged.length - 1]! ^= 0x80;
  assert.deepEqual(client.open(forged), { ok: false, code: "UNAUTHENTICATED" });
  assert.ok(client.open(real).ok);
});

Deno.test("the same bytes sealed under two packet numbers differ (a nonce per packet)", () => {
  const [a, b] = [seal(1), seal(2)];
  const header = 11; // version, type, dcid and a 1-byte packet number
  assert.notDeepEqual(a.subarray(header), b.subarray(header));
});

Deno.test("a sealed datagram carries none of the packet's plaintext", () => {
  const datagram = seal(5);
  const text = new TextDecoder("latin1").decode(datagram);
  assert.equal(text.includes("the file's bytes"), false);
  assert.equal(datagram.length, encodePacket(dataPacket(5)).length + 16);
});

Deno.test("an unsealed protection (benchmarks only) passes packets through untouched", () => {
  const none = PacketProtection.unsealed("client");
  const packet = encodePacket(dataPacket(3));
  assert.equal(none.overheadBytes, 0);
  assert.equal(none.protect(packet, "short", 3), packet);
  assert.deepEqual(none.open(packet), { ok: true, bytes: packet });
});
