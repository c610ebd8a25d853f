/**
 * Packet assembly: decides what the next datagram of a connection holds. Priorities: the
 * handshake, then a path MTU probe (a packet of its own), then ACKs and flow-control limits, then
 * probes, then file data as far as the congestion window and the pacer allow. Probes bypass
 * both, as RFC 9002 asks; probe-timeout probes are at most the base size, so that they pass
 * a path that stopped carrying larger datagrams (see `mtu_discovery.ts`).
 *
 * @module
 */
import { type ConnectionState, datagramBytesOf } from "./_state.ts";
import { CONNECTION_ID_BYTES, type Frame, isAckEliciting } from "../wire/frame.ts";
import { finalDataFrameOverhead, frameSize } from "../wire/frame_codec.ts";
import { type ClientHandshake, MIN_INITIAL_DATAGRAM_BYTES } from "./handshake.ts";
import { clientHandshakeOf, serverHandshakeOf } from "./connection_config.ts";
import type { Retransmittable } from "../recovery/loss_detection.ts";
import { PMTU_BASE_BYTES } from "../recovery/mtu_discovery.ts";
import {
  CHECKSUM_BYTES,
  type EncodeOptions,
  encodePacket,
  headerSize,
  MAX_FRAMES_PER_PACKET,
  type PacketType,
} from "../wire/packet.ts";

/** Smallest data chunk worth a frame when topping up a packet, in bytes. */
export const MIN_DATA_CHUNK_BYTES = 64;

/** A datagram ready to leave, with what recovery must remember about it. */
export interface Assembly {
  bytes: Uint8Array;
  number: number;
  ackEliciting: boolean;
  content: Retransmittable;
  /** A path MTU probe: a ping padded to the size tried, which loss recovery does not track. */
  mtuProbe?: true;
}

const ZERO_CID = new Uint8Array(CONNECTION_ID_BYTES);

/**
 * Builds the next datagram for `conn` at `now`, or returns null when nothing is due. With
 * `into`, the datagram is encoded into the start of that buffer (see `encodePacket`).
 */
export function assemblePacket(
  conn: ConnectionState,
  now: number,
  into?: Uint8Array,
): Assembly | null {
  if (conn.closing.phase === "closing" || conn.closing.phase === "draining") {
    return closePacket(conn, into);
  }
  const hs = clientHandshakeOf(conn.config);
  if (hs !== null && hs.state === "hello") return helloPacket(conn, hs, into);
  return shortPacket(conn, now, into);
}

function helloPacket(
  conn: ConnectionState,
  hs: ClientHandshake,
  into?: Uint8Array,
): Assembly | null {
  if (!hs.helloPending && conn.probesPending === 0) return null;
  const { transferId, token, localCid, direction, size, startOffset } = conn.config;
  const frames: Frame[] = [{
    type: "hello",
    transferId,
    token,
    sourceCid: localCid,
    direction,
    size,
    startOffset,
    maxDatagramBytes: conn.config.maxDatagramBytes,
    receiveBufferBytes: conn.config.receiveBufferBytes,
  }];
  if (conn.recv !== null) frames.push({ type: "max_data", maximum: conn.recv.maxData });
  hs.helloPending = false;
  conn.probesPending = Math.max(0, conn.probesPending - 1);
  const content = { data: [], hello: true, confirm: false };
  return finish(conn, "initial", ZERO_CID, frames, content, {
    padTo: MIN_INITIAL_DATAGRAM_BYTES,
    into,
  });
}

function closePacket(conn: ConnectionState, into?: Uint8Array): Assembly | null {
  const closing = conn.closing;
  if (!closing.sendPending || closing.frame === null) return null;
  closing.sendPending = false;
  if (conn.remoteCid === null) return null; // Never challenged: the server has no state to close.
  const frames: Frame[] = [];
  const hs = clientHandshakeOf(conn.config);
  if (hs !== null && hs.state === "confirming") {
    frames.push({ type: "confirm", nonce: hs.nonce! });
  }
  frames.push(closing.frame);
  if (!withinAllowance(conn, frames)) return null;
  const content = { data: [], hello: false, confirm: false };
  return finish(conn, "short", conn.remoteCid, frames, content, { into });
}

function shortPacket(conn: ConnectionState, now: number, into?: Uint8Array): Assembly | null {
  const server = serverHandshakeOf(conn.config);
  const client = clientHandshakeOf(conn.config);
  const probe = conn.probesPending > 0;
  const dataDue = dataAllowed(conn, now, probe);
  const due = dataDue || probe || conn.acks.ackDueNow(now) || server?.challengePending === true ||
    client?.confirmPending === true || conn.recv?.windowUpdateDue === true;
  if (conn.remoteCid === null) return null;
  const mtuProbe = mtuProbeSize(conn);
  if (mtuProbe !== null) {
    const content = { data: [], hello: false, confirm: false };
    return {
      ...finish(conn, "short", conn.remoteCid, [{ type: "ping" }], content, {
        padTo: mtuProbe,
        into,
      }),
      mtuProbe: true,
    };
  }
  if (!due) return null;
  const frames: Frame[] = [];
  const content: Retransmittable = { data: [], hello: false, confirm: false };
  const wantAck = conn.acks.hasPending || conn.acks.ackDueNow(now);
  const ack = wantAck ? conn.acks.buildFrame(now) : null;
  if (ack !== null) frames.push(ack);
  if (server?.challengePending) {
    frames.push({
      type: "challenge",
      sourceCid: conn.config.localCid,
      nonce: server.nonce,
      maxDatagramBytes: conn.config.maxDatagramBytes,
      receiveBufferBytes: conn.config.receiveBufferBytes,
    });
  }
  if (client?.state === "confirming") {
    frames.push({ type: "confirm", nonce: client.nonce! });
    content.confirm = true;
  }
  if (conn.recv !== null) frames.push({ type: "max_data", maximum: conn.recv.maxData });
  if (!withinAllowance(conn, frames)) return null;
  if (dataDue) fillData(conn, frames, content, probe);
  if (probe && !frames.some(isAckEliciting)) frames.push({ type: "ping" });
  if (frames.length === 0) {
    conn.acks.onAckSent(); // A due ACK with nothing received to acknowledge: nothing to say.
    return null;
  }
  // Commit: everything below runs only for a packet that will leave.
  if (ack !== null) conn.acks.onAckSent();
  if (server?.challengePending) {
    server.challengePending = false;
    server.challengeSentAt = now;
  }
  if (client) client.confirmPending = false;
  if (conn.recv !== null) conn.recv.onAdvertised(conn.recv.maxData);
  if (probe) conn.probesPending--;
  return finish(conn, "short", conn.remoteCid, frames, content, { into });
}

function dataAllowed(conn: ConnectionState, now: number, probe: boolean): boolean {
  const send = conn.send;
  if (send === null || !conn.established || conn.completed) return false;
  if (!send.hasPending) {
    conn.recovery.rate.markAppLimited(conn.recovery.loss.bytesInFlight);
    return false;
  }
  return probe || conn.recovery.sendGate(now, datagramBytesOf(conn)) === "ok";
}

/** The size of the path MTU probe due now, or null. */
function mtuProbeSize(conn: ConnectionState): number | null {
  if (conn.mtu === null || !conn.established || conn.completed) return null;
  // Until its confirm is acknowledged, a client's packets must carry it, which a probe does not.
  const hs = clientHandshakeOf(conn.config);
  if (hs !== null && hs.state !== "confirmed") return null;
  return conn.mtu.probeSize();
}

function fillData(
  conn: ConnectionState,
  frames: Frame[],
  content: Retransmittable,
  probe: boolean,
): void {
  const send = conn.send!;
  const size = probe ? Math.min(datagramBytesOf(conn), PMTU_BASE_BYTES) : datagramBytesOf(conn);
  let room = size - shortHeaderOf(conn) - shortTrailerOf(conn) - overheadOf(conn);
  for (const frame of frames) room -= frameSize(frame);
  let previous: (Frame & { type: "data" }) | null = null;
  // Keep one frame spare for the probe's ping, though a packet with data never needs it.
  while (room >= MIN_DATA_CHUNK_BYTES && frames.length < MAX_FRAMES_PER_PACKET - 1) {
    // A source may hand out views of one reused buffer (ChunkSource allows it): keep the
    // previous chunk's bytes before the next read can overwrite them.
    if (previous !== null) previous.bytes = previous.bytes.slice();
    // Sized as the packet's last frame, which goes without its length; if another follows, the
    // length is counted below, and a room that cannot hold it ends the loop: this one is last.
    const chunk = send.nextChunk(room - finalDataFrameOverhead(send.end));
    if (chunk === null) break;
    const frame: Frame & { type: "data" } = {
      type: "data",
      offset: chunk.offset,
      bytes: chunk.bytes,
    };
    previous = frame;
    frames.push(frame);
    room -= frameSize(frame);
    content.data.push({ offset: chunk.offset, length: chunk.bytes.length });
    conn.stats.dataBytesSent += chunk.bytes.length;
  }
}

function withinAllowance(conn: ConnectionState, frames: Frame[]): boolean {
  const hs = serverHandshakeOf(conn.config);
  if (hs === null || hs.validated) return true;
  let size = shortHeaderOf(conn) + shortTrailerOf(conn) + overheadOf(conn);
  for (const frame of frames) size += frameSize(frame);
  if (size <= hs.sendAllowance()) return true;
  conn.stats.amplificationBlocked++;
  return false;
}

function finish(
  conn: ConnectionState,
  type: PacketType,
  dcid: Uint8Array,
  frames: Frame[],
  content: Retransmittable,
  options: EncodeOptions,
): Assembly {
  const number = conn.nextPacketNumber++;
  const protection = conn.config.protection;
  // Sizes here are of datagrams on the wire: the packet is encoded smaller by what sealing adds.
  const padTo = options.padTo === undefined ? {} : { padTo: options.padTo - overheadOf(conn) };
  const checksum = protection.checksums(type);
  const packet = encodePacket({ type, dcid, number, frames }, { ...options, ...padTo, checksum });
  const bytes = protection.protect(packet, type, number, {
    into: options.into,
    dcidBytes: dcid.length,
  });
  return { bytes, number, ackEliciting: frames.some(isAckEliciting), content };
}

/** Bytes of the next short packet's header, to the peer's connection id (none to a client). */
function shortHeaderOf(conn: ConnectionState): number {
  return headerSize(conn.nextPacketNumber, conn.remoteCid?.length ?? CONNECTION_ID_BYTES);
}

/** Bytes of the CRC a short packet ends with: none when sealed (the tag covers it). */
function shortTrailerOf(conn: ConnectionState): number {
  return conn.config.protection.checksums("short") ? CHECKSUM_BYTES : 0;
}

/** Bytes sealing adds to each datagram. */
function overheadOf(conn: ConnectionState): number {
  return conn.config.protection.overheadBytes;
}
