import assert from "node:assert/strict";
import { crc32 } from "../../../lib/rudp/wire/crc32.ts";
import { type Frame, FRAME_TYPE } from "../../../lib/rudp/wire/frame.ts";
import {
  decodePacket,
  encodePacket,
  MAX_FRAMES_PER_PACKET,
  type Packet,
  readHeader,
} from "../../../lib/rudp/wire/packet.ts";
import { Prng } from "../../../lib/netsim/prng.ts";

const CID = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

const ALL_FRAMES: Frame[] = [
  { type: "ping" },
  {
    type: "ack",
    ackDelayMicros: 1234,
    ranges: [{ first: 90, last: 100 }, { first: 50, last: 60 }, { first: 0, last: 0 }],
  },
  { type: "data", offset: 2 ** 40 + 3, bytes: new Uint8Array([9, 8, 7]) },
  { type: "max_data", maximum: Number.MAX_SAFE_INTEGER },
  {
    type: "hello",
    transferId: 77,
    token: new Uint8Array(16).fill(0xab),
    sourceCid: CID,
    direction: "upload",
    size: 5_000_000_000,
    startOffset: 12,
    maxDatagramBytes: 1400,
    receiveBufferBytes: 2_097_152,
  },
  {
    type: "challenge",
    sourceCid: CID,
    nonce: new Uint8Array(16).fill(0x5a),
    maxDatagramBytes: 65_000,
    receiveBufferBytes: 212_992,
  },
  { type: "confirm", nonce: new Uint8Array(16).fill(0x5a) },
  { type: "close", code: 1, reason: "stopped by user é" },
];

Deno.test("encodePacket and decodePacket round-trip every frame type with 64-bit offsets", () => {
  const packet: Packet = { type: "short", dcid: CID, number: 2 ** 33 + 1, frames: ALL_FRAMES };
  const decoded = decodePacket(encodePacket(packet));
  assert.ok(decoded.ok);
  assert.equal(decoded.packet.type, "short");
  assert.deepEqual(decoded.packet.dcid, CID);
  assert.equal(decoded.packet.number, 2 ** 33 + 1);
  assert.deepEqual(decoded.packet.frames, ALL_FRAMES);
});

Deno.test("encodePacket pads to the requested size and padding decodes to no frames", () => {
  const bytes = encodePacket({
    type: "initial",
    dcid: new Uint8Array(8),
    number: 0,
    frames: [{ type: "ping" }],
  }, { padTo: 1200 });
  assert.equal(bytes.length, 1200);
  const decoded = decodePacket(bytes);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.packet.frames, [{ type: "ping" }]);
});

Deno.test("encodePacket into a used buffer gives the same bytes as a fresh one, padding zeroed", () => {
  const packet: Packet = { type: "short", dcid: CID, number: 7, frames: ALL_FRAMES };
  const fresh = encodePacket(packet, { padTo: 1400 });
  const buffer = new Uint8Array(2000).fill(0xee); // what an earlier, larger datagram left
  const reused = encodePacket(packet, { padTo: 1400, into: buffer });
  assert.equal(reused.buffer, buffer.buffer);
  assert.equal(reused.byteOffset, 0);
  assert.deepEqual(reused, fresh);
  assert.ok(decodePacket(reused).ok);
});

Deno.test("encodePacket refuses a buffer too small for the datagram", () => {
  const packet: Packet = { type: "short", dcid: CID, number: 7, frames: [{ type: "ping" }] };
  assert.throws(
    () => encodePacket(packet, { padTo: 1200, into: new Uint8Array(1199) }),
    RangeError,
  );
});

Deno.test("decodePacket reports BAD_CHECKSUM for any single flipped bit", () => {
  const bytes = encodePacket({ type: "short", dcid: CID, number: 5, frames: ALL_FRAMES });
  for (let bit = 0; bit < bytes.length * 8; bit += 7) {
    const copy = bytes.slice();
    copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
    const decoded = decodePacket(copy);
    assert.ok(!decoded.ok && decoded.code === "BAD_CHECKSUM", `bit ${bit} was not caught`);
  }
});

Deno.test("decodePacket reports UNSUPPORTED_VERSION and MALFORMED_PACKET with stable codes", () => {
  const bytes = encodePacket({ type: "short", dcid: CID, number: 5, frames: [{ type: "ping" }] });
  const v2 = bytes.slice();
  v2[0] = 2;
  const fixed = encodePacket({ type: "short", dcid: CID, number: 5, frames: [{ type: "ping" }] });
  // Fix the checksum over the altered version so only the version is wrong.
  new DataView(v2.buffer).setUint32(v2.length - 4, crc32(v2.subarray(0, v2.length - 4)));
  const r1 = decodePacket(v2);
  assert.ok(!r1.ok && r1.code === "UNSUPPORTED_VERSION");
  const r2 = decodePacket(fixed.subarray(0, 5));
  assert.ok(!r2.ok && r2.code === "MALFORMED_PACKET");
  const unknownFrame = fixed.slice();
  unknownFrame[11] = 0x7f; // the frame byte after a 1-byte packet number
  new DataView(unknownFrame.buffer).setUint32(
    unknownFrame.length - 4,
    crc32(unknownFrame.subarray(0, unknownFrame.length - 4)),
  );
  const r3 = decodePacket(unknownFrame);
  assert.ok(!r3.ok && r3.code === "MALFORMED_PACKET");
});

Deno.test("decodePacket never throws on thousands of random or mutated datagrams", () => {
  const prng = new Prng(99);
  const valid = encodePacket({ type: "short", dcid: CID, number: 5, frames: ALL_FRAMES });
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    let bytes: Uint8Array;
    if (i % 2 === 0) {
      bytes = new Uint8Array(prng.int(1500));
      prng.fill(bytes);
    } else {
      // Mutate a valid packet and fix its checksum, so the frame parser sees the garbage.
      bytes = valid.slice(0, 14 + prng.int(valid.length - 14));
      for (let k = 0; k < 3; k++) bytes[10 + prng.int(bytes.length - 14)] = prng.int(256);
      if (bytes.length >= 4) {
        new DataView(bytes.buffer).setUint32(
          bytes.length - 4,
          crc32(bytes.subarray(0, bytes.length - 4)),
        );
      }
    }
    const result = decodePacket(bytes);
    if (result.ok) accepted++;
    else {assert.ok(
        ["MALFORMED_PACKET", "BAD_CHECKSUM", "UNSUPPORTED_VERSION", "TOO_MANY_FRAMES"].includes(
          result.code,
        ),
      );}
  }
  assert.ok(accepted < 5000);
});

Deno.test("encodePacket throws RangeError on a programmer mistake", () => {
  assert.throws(
    () => encodePacket({ type: "short", dcid: new Uint8Array(4), number: 0, frames: [] }),
    RangeError,
  );
  assert.throws(
    () =>
      encodePacket({
        type: "short",
        dcid: CID,
        number: 0,
        frames: [{ type: "confirm", nonce: new Uint8Array(3) }],
      }),
    RangeError,
  );
});

Deno.test("decodePacket takes MAX_FRAMES_PER_PACKET frames and refuses one more as TOO_MANY_FRAMES", () => {
  const pings = (n: number): Frame[] => Array.from({ length: n }, () => ({ type: "ping" }));
  const most = decodePacket(
    encodePacket({ type: "short", dcid: CID, number: 1, frames: pings(MAX_FRAMES_PER_PACKET) }),
  );
  assert.ok(most.ok && most.packet.frames.length === MAX_FRAMES_PER_PACKET);
  // Padding between frames is not a frame.
  const padded = encodePacket({ type: "short", dcid: CID, number: 1, frames: pings(1) }, {
    padTo: 1200,
  });
  assert.ok(decodePacket(padded).ok);
  const many = encodePacket({ type: "short", dcid: CID, number: 1, frames: pings(9000) });
  const refused = decodePacket(many);
  assert.ok(!refused.ok && refused.code === "TOO_MANY_FRAMES", JSON.stringify(refused));
});

Deno.test("encodePacket without a checksum ends at its last frame and decodes only without one", () => {
  const packet: Packet = { type: "short", dcid: CID, number: 70_000, frames: ALL_FRAMES };
  const bare = encodePacket(packet, { checksum: false });
  assert.equal(bare.length, encodePacket(packet).length - 4);
  const decoded = decodePacket(bare, { checksum: false });
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.packet.frames, ALL_FRAMES);
  // Read as if it had one, its last 4 bytes are taken for a CRC, which they are not.
  assert.equal(decodePacket(bare).ok, false);
});

Deno.test("encodePacket writes a last data frame without its length, and with it when padding follows", () => {
  const data: Frame = { type: "data", offset: 70_000, bytes: new Uint8Array(1000).fill(5) };
  const packet: Packet = { type: "short", dcid: CID, number: 3, frames: [{ type: "ping" }, data] };
  // header 11, ping 1, data type 1 + offset 4 + bytes 1000, CRC 4: the length's 2 bytes left out.
  const bare = encodePacket(packet);
  assert.equal(bare.length, 11 + 1 + 1 + 4 + 1000 + 4);
  assert.equal(bare[12], FRAME_TYPE.final_data);
  const padded = encodePacket(packet, { padTo: 1100 });
  assert.equal(padded[12], FRAME_TYPE.data, "padding after it: the frame keeps its length");
  for (const bytes of [bare, padded]) {
    const decoded = decodePacket(bytes);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.packet.frames, [{ type: "ping" }, data]);
  }
});

Deno.test("decodePacket reads a final_data frame to the end, so nothing after it is a frame", () => {
  // A hostile packet with a final_data frame first: the ping bytes after it are data.
  const body = [1, 2, ...CID, 7, FRAME_TYPE.final_data, 9, FRAME_TYPE.ping, FRAME_TYPE.ping];
  const decoded = decodePacket(Uint8Array.from(body), { checksum: false });
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.packet.frames, [
    { type: "data", offset: 9, bytes: Uint8Array.of(FRAME_TYPE.ping, FRAME_TYPE.ping) },
  ]);
});

Deno.test("a short packet to a client carries no connection id, read as the receiver knows its own", () => {
  const packet: Packet = {
    type: "short",
    dcid: new Uint8Array(0),
    number: 300,
    frames: [{ type: "ping" }],
  };
  const bytes = encodePacket(packet);
  assert.equal(bytes.length, encodePacket({ ...packet, dcid: CID }).length - 8);
  const header = readHeader(bytes, 0);
  assert.ok(header !== null);
  assert.equal(header.number, 300);
  assert.equal(header.dcid.length, 0);
  const decoded = decodePacket(bytes, { dcidBytes: 0 });
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.packet.frames, [{ type: "ping" }]);
  assert.throws(() => encodePacket({ ...packet, type: "initial" }), RangeError);
});

Deno.test("a hello offers a client connection id of 8 bytes or none, and no other length", () => {
  const hello = ALL_FRAMES.find((f) => f.type === "hello")!;
  for (const sourceCid of [new Uint8Array(0), CID]) {
    const packet: Packet = {
      type: "initial",
      dcid: new Uint8Array(8),
      number: 0,
      frames: [{ ...hello, sourceCid }],
    };
    const decoded = decodePacket(encodePacket(packet));
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.packet.frames, packet.frames);
  }
  const bad: Packet = {
    type: "initial",
    dcid: new Uint8Array(8),
    number: 0,
    frames: [{ ...hello, sourceCid: new Uint8Array(5) }],
  };
  assert.throws(() => encodePacket(bad), RangeError);
  // On the wire, a length byte of 5 makes the frame malformed.
  const bytes = encodePacket({ ...bad, frames: [{ ...hello, sourceCid: CID }] });
  // Header 11, frame type 1, transfer id 77 (2), token 16: then the id's length byte.
  const at = 11 + 1 + 2 + 16;
  assert.equal(bytes[at], 8);
  bytes[at] = 5;
  const view = new DataView(bytes.buffer);
  view.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)));
  assert.equal(decodePacket(bytes).ok, false);
});
