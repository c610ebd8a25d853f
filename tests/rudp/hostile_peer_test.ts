// Attacks by a peer that holds a valid grant (or speaks from a transfer's address): each one
// reproduces a reported way to crash, freeze or grow the server, and checks that only the
// attacker's own transfer ends while the others go on.
import assert from "node:assert/strict";
import type { Frame } from "../../lib/rudp/wire/frame.ts";
import {
  OUT_OF_ORDER_PIECE_BYTES,
  RECEIVE_WINDOW_BYTES,
} from "../../lib/rudp/streams/recv_stream.ts";
import { MAX_VARINT } from "../../lib/rudp/wire/varint.ts";
import { MAX_QUEUED_EVENTS } from "../../lib/rudp/connection/event_queue.ts";
import { MAX_PACKET_NUMBER } from "../../lib/rudp/wire/packet.ts";
import { helloPacketFor, Pair, type PairOptions, SERVER_ADDRESS, shortPacketFor } from "./_pair.ts";
import { decodeWire, protectedDatagram } from "./_keys.ts";

const BIG = 20_000_000;

function failureOf(pair: Pair, transferId: number): string | undefined {
  const failed = pair.eventsOf(transferId).find((e) => e.kind === "failed");
  return failed?.kind === "failed" ? failed.code : undefined;
}

/** Two big downloads, both past the handshake and not yet complete. */
function establishedPair(
  transfers: PairOptions["transfers"] = [
    { direction: "download", size: BIG },
    { direction: "download", size: BIG },
  ],
  transport: PairOptions["transport"] = {},
): Pair {
  const pair = new Pair({ transfers, transport });
  pair.pump(4); // hello, challenge, confirm, first data: no further
  for (const c of pair.clients) {
    assert.ok(c.events.some((e) => e.kind === "established"), "handshake did not finish");
    assert.ok(!c.events.some((e) => e.kind === "completed"), "finished before the attack");
  }
  return pair;
}

function assertOthersComplete(pair: Pair, attacked: number): void {
  const others = pair.clients.filter((c) => c.transferId !== attacked).map((c) => c.transferId);
  pair.runUntil(() => others.every((id) => pair.completed(id)));
  for (const id of others) {
    assert.ok(pair.completed(id), `transfer ${id} did not complete`);
    assert.equal(failureOf(pair, id), undefined);
  }
}

Deno.test("server closes a transfer whose valid hello is numbered 2^53-1 and serves the others", () => {
  const pair = new Pair({
    transfers: [{ direction: "download", size: BIG }, { direction: "download", size: BIG }],
  });
  const attacker = pair.clients[0]!;
  pair.endpoint.handleDatagram(0, helloPacketFor(attacker, MAX_VARINT), attacker.address);
  pair.drainEvents();
  assert.equal(failureOf(pair, 1), "PROTOCOL_VIOLATION");
  assertOthersComplete(pair, 1);
});

Deno.test("server closes a transfer sent a short packet numbered 2^53-1 after the handshake", () => {
  const pair = establishedPair();
  const attacker = pair.clients[0]!;
  const packet = shortPacketFor(attacker, MAX_VARINT, [{ type: "ping" }]);
  pair.endpoint.handleDatagram(pair.now, packet, attacker.address);
  pair.drainEvents();
  assert.equal(failureOf(pair, 1), "PROTOCOL_VIOLATION");
  pair.pump();
  const told = attacker.events.find((e) => e.kind === "failed");
  assert.ok(told?.kind === "failed" && told.code === "PROTOCOL_VIOLATION" && told.remote);
  assertOthersComplete(pair, 1);
});

Deno.test("client closes its transfer when a server packet is numbered 2^53-1", () => {
  const pair = establishedPair();
  const victim = pair.clients[0]!;
  const packet = protectedDatagram({
    type: "short",
    dcid: victim.clientCid!,
    number: MAX_VARINT,
    frames: [{ type: "ping" }],
  }, { role: "server" });
  victim.connection.handleDatagram(pair.now, packet, SERVER_ADDRESS);
  pair.drainEvents();
  const failed = victim.events.find((e) => e.kind === "failed");
  assert.ok(failed?.kind === "failed" && failed.code === "PROTOCOL_VIOLATION" && !failed.remote);
  assertOthersComplete(pair, 1);
});

Deno.test("server closes a transfer whose peer acknowledges a packet never sent", () => {
  const pair = establishedPair();
  const attacker = pair.clients[0]!;
  const ack: Frame = { type: "ack", ackDelayMicros: 0, ranges: [{ first: 0, last: 1e12 }] };
  pair.endpoint.handleDatagram(pair.now, shortPacketFor(attacker, 1e6, [ack]), attacker.address);
  pair.drainEvents();
  assert.equal(failureOf(pair, 1), "PROTOCOL_VIOLATION");
  assertOthersComplete(pair, 1);
});

Deno.test("server drops a packet of 9,000 one-byte data frames without holding a byte", () => {
  // An endpoint that takes the largest datagrams, so that the frame count is what refuses it.
  const pair = establishedPair([{ direction: "upload", size: BIG }, {
    direction: "download",
    size: BIG,
  }], { maxDatagramBytes: 65_507 });
  const attacker = pair.clients[0]!;
  const frames: Frame[] = [];
  for (let i = 0; i < 9000; i++) {
    frames.push({ type: "data", offset: 4_000_000 + 2 * i, bytes: new Uint8Array(1) });
  }
  const packet = shortPacketFor(attacker, 1_000_000, frames);
  const before = pair.endpoint.transferStats(1)!.packetsReceived;
  pair.endpoint.handleDatagram(pair.now, packet, attacker.address);
  assert.equal(pair.endpoint.stats().dropped.TOO_MANY_FRAMES, 1);
  assert.equal(pair.endpoint.transferStats(1)!.packetsReceived, before, "the packet was read");
  assertOthersComplete(pair, 1);
});

Deno.test("server closes an upload that holds too many out-of-order pieces, quickly, at descending offsets", () => {
  const pair = establishedPair([{ direction: "upload", size: BIG }, {
    direction: "download",
    size: BIG,
  }]);
  const attacker = pair.clients[0]!;
  const started = performance.now();
  let offset = 8 * 1024 * 1024 - 2; // inside the default window, going down
  let sent = 0;
  while (failureOf(pair, 1) === undefined && sent < 10_000 && offset > 1_000_000) {
    const frames: Frame[] = [];
    for (let i = 0; i < 60; i++, offset -= 2) {
      frames.push({ type: "data", offset, bytes: new Uint8Array(1) });
    }
    pair.endpoint.handleDatagram(
      pair.now,
      shortPacketFor(attacker, 1_000_000 + sent++, frames),
      attacker.address,
    );
    pair.drainEvents();
  }
  const elapsed = performance.now() - started;
  assert.equal(failureOf(pair, 1), "PROTOCOL_VIOLATION", `still open after ${sent} packets`);
  const maxPieces = RECEIVE_WINDOW_BYTES / OUT_OF_ORDER_PIECE_BYTES;
  assert.ok(sent <= maxPieces / 60 + 2, `closed only after ${sent} packets`);
  assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
  assertOthersComplete(pair, 1);
});

Deno.test("server takes packet number MAX_PACKET_NUMBER and closes on the one above", () => {
  const pair = establishedPair();
  const attacker = pair.clients[0]!;
  const ping: Frame[] = [{ type: "ping" }];
  pair.endpoint.handleDatagram(
    pair.now,
    shortPacketFor(attacker, MAX_PACKET_NUMBER, ping),
    attacker.address,
  );
  pair.drainEvents();
  assert.equal(failureOf(pair, 1), undefined);
  pair.endpoint.handleDatagram(
    pair.now,
    shortPacketFor(attacker, MAX_PACKET_NUMBER + 1, ping),
    attacker.address,
  );
  pair.drainEvents();
  assert.equal(failureOf(pair, 1), "PROTOCOL_VIOLATION");
});

Deno.test("client stops reading packets while MAX_QUEUED_EVENTS events wait unpolled, then reads again", () => {
  const pair = establishedPair();
  const victim = pair.clients[0]!;
  let delivered = 0;
  for (const e of victim.events) if (e.kind === "data") delivered = e.offset + e.bytes.length;
  const forge = (n: number) => {
    const frames: Frame[] = [];
    for (let i = 0; i < 60; i++) {
      frames.push({ type: "data", offset: delivered++, bytes: Uint8Array.of(n) });
    }
    const packet = {
      type: "short",
      dcid: victim.clientCid!,
      number: 1_000_000 + n,
      frames,
    } as const;
    return protectedDatagram(packet, { role: "server" });
  };
  const packets = Math.ceil(MAX_QUEUED_EVENTS / 60) + 20;
  for (let n = 0; n < packets; n++) {
    victim.connection.handleDatagram(pair.now, forge(n), SERVER_ADDRESS);
  }
  const drops = victim.connection.stats().eventBacklogDrops;
  assert.ok(drops >= 19, `${drops} packets dropped`);
  let queued = 0;
  while (victim.connection.pollEvent() !== null) queued++;
  assert.ok(queued <= MAX_QUEUED_EVENTS + 64, `${queued} events queued`);
  victim.connection.handleDatagram(pair.now, forge(packets + 1), SERVER_ADDRESS);
  assert.equal(victim.connection.stats().eventBacklogDrops, drops, "still not reading");
});

Deno.test("server reads a close code it does not know as UNKNOWN_ERROR and answers 0xff", () => {
  const pair = establishedPair();
  const attacker = pair.clients[0]!;
  const close: Frame = { type: "close", code: MAX_VARINT, reason: "bye" };
  pair.endpoint.handleDatagram(
    pair.now,
    shortPacketFor(attacker, 1_000_000, [close]),
    attacker.address,
  );
  pair.drainEvents();
  const failed = pair.eventsOf(1).find((e) => e.kind === "failed");
  assert.ok(failed?.kind === "failed" && failed.code === "UNKNOWN_ERROR" && failed.remote);
  const answers: number[] = [];
  for (
    let out = pair.endpoint.pollTransmit(pair.now);
    out;
    out = pair.endpoint.pollTransmit(pair.now)
  ) {
    const decoded = decodeWire(out.bytes);
    if (!decoded.ok || out.to !== attacker.address) continue;
    for (const f of decoded.packet.frames) if (f.type === "close") answers.push(f.code);
  }
  assert.deepEqual(answers, [0xff]);
});
