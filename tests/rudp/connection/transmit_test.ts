import assert from "node:assert/strict";
import { assemblePacket } from "../../../lib/rudp/connection/_transmit.ts";
import { newConnectionState } from "../../../lib/rudp/connection/_state.ts";
import { ServerHandshake } from "../../../lib/rudp/connection/handshake.ts";
import { decodePacket, MAX_FRAMES_PER_PACKET } from "../../../lib/rudp/wire/packet.ts";
import { PacketProtection } from "../../../lib/rudp/seal/mod.ts";

Deno.test("packet assembly never puts more than MAX_FRAMES_PER_PACKET frames in one datagram", () => {
  const nonce = new Uint8Array(16).fill(3);
  const handshake = new ServerHandshake(nonce);
  const state = newConnectionState({
    role: "server",
    direction: "download",
    transferId: 1,
    size: 10_000_000,
    startOffset: 0,
    source: { read: (_offset, length) => new Uint8Array(length) },
    localCid: new Uint8Array(8).fill(1),
    remoteCid: new Uint8Array(8).fill(2),
    handshake,
    token: new Uint8Array(16),
    maxDatagramBytes: 65_507,
    receiveBufferBytes: 212_992,
    transport: { maxDatagramBytes: 65_507 },
    // Unsealed, so that the test can decode what it assembles.
    protection: PacketProtection.unsealed("server"),
  });
  state.established = true;
  assert.ok(handshake.onConfirm(nonce)); // the client's address is validated
  state.send!.maxData = 10_000_000;
  // A thousand one-byte holes to resend: room for far more than 64 frames in 65,507 bytes.
  for (let i = 0; i < 1000; i++) state.send!.onLost(i * 100, 1);
  let datagrams = 0;
  for (
    let a = assemblePacket(state, 0);
    a !== null && datagrams < 20;
    a = assemblePacket(state, 0)
  ) {
    const decoded = decodePacket(a.bytes);
    assert.ok(decoded.ok, decoded.ok ? "" : decoded.code);
    assert.ok(decoded.packet.frames.length <= MAX_FRAMES_PER_PACKET);
    datagrams++;
  }
  assert.ok(datagrams > 0);
});
