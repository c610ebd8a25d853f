/**
 * Transport tuning shared by `ServerEndpoint` and `ClientConnection`, with its defaults and
 * checks.
 *
 * @module
 */
import type { Direction } from "../wire/frame.ts";
import type { PacerOptions } from "../recovery/pacer.ts";
import type { CongestionFactory } from "../recovery/recovery.ts";
import type { ChaChaPoly } from "../seal/chacha_poly.ts";

/** Default and smallest datagram size, in bytes (QUIC's minimum, safe on any path). */
export const DEFAULT_DATAGRAM_BYTES = 1200;
/** Largest datagram size: the UDP payload limit over IPv4, in bytes. */
export const MAX_DATAGRAM_BYTES = 65_507;
/**
 * The default Linux UDP receive buffer (`net.core.rmem_default`), in bytes: what a peer that
 * does not know its own is taken to have. It holds 12 datagrams of 8 KiB or 16 KiB, 6 of 32
 * KiB, 3 of 65,507 B (the kernel charges each its allocation, not its payload), and whatever
 * overflows it is dropped without a trace. Each end announces what its socket really holds in
 * the handshake (`receiveBufferBytes`), and the sender keeps bursts and standing queues within
 * half of that ({@linkcode halfBufferDatagrams}).
 */
export const RECEIVER_BUFFER_BYTES = 212_992;
/** Smallest receive buffer a peer's announcement is taken for, bytes: two 1,472-byte datagrams. */
export const MIN_RECEIVE_BUFFER_BYTES = 4_608;
/** Largest receive buffer a peer's announcement is taken for, bytes. */
export const MAX_RECEIVE_BUFFER_BYTES = 64 * 1024 * 1024;
/**
 * Most of a peer's receive buffer the sender lets a window run ahead of the path into, bytes:
 * enough for ~3 ms of a receiver's stall at 300 MB/s, and no more, so that a large buffer
 * does not become a large standing queue on a slow path.
 */
export const MAX_RECEIVER_ALLOWANCE_BYTES = 1024 * 1024;

/** Largest payload Linux still charges a power-of-two allocation for, in bytes. */
const POW2_CHARGED_DATAGRAM_BYTES = 16_000;
/** What Linux adds to a queued datagram's payload before rounding up: headers, `skb_shared_info`. */
const ALLOCATION_OVERHEAD_BYTES = 384;
/** Linux's `sk_buff` bookkeeping, charged beside each queued datagram's allocation, in bytes. */
const SKB_BYTES = 256;

/**
 * Bytes a queued datagram of `datagramBytes` takes from a Linux receive buffer (measured on
 * loopback, MTU 1500 and 65,536 alike, by filling an unread socket): its payload plus headers
 * and bookkeeping rounded up to a power of two, plus the `sk_buff`, up to 16,000 B; about 8%
 * over the payload above. So 1,200- and 1,472-byte datagrams take 2,304 B each (92 fit), 8 KiB
 * ones 16,640 B (12 fit).
 */
export function receiveBufferCharge(datagramBytes: number): number {
  if (datagramBytes > POW2_CHARGED_DATAGRAM_BYTES) return Math.ceil(datagramBytes * 1.08);
  return 2 ** Math.ceil(Math.log2(datagramBytes + ALLOCATION_OVERHEAD_BYTES)) + SKB_BYTES;
}

/**
 * Datagrams of `datagramBytes` that half of a receive buffer of `bufferBytes` holds, at most
 * {@linkcode MAX_RECEIVER_ALLOWANCE_BYTES} (at least 1).
 */
export function halfBufferDatagrams(
  datagramBytes: number,
  bufferBytes: number = RECEIVER_BUFFER_BYTES,
): number {
  // Asked for the same sizes on every packet: keep the last answer.
  const last = lastHalfBuffer;
  if (datagramBytes !== last.bytes || bufferBytes !== last.buffer) {
    const room = Math.min(bufferBytes / 2, MAX_RECEIVER_ALLOWANCE_BYTES);
    const fit = Math.floor(room / receiveBufferCharge(datagramBytes));
    lastHalfBuffer = { bytes: datagramBytes, buffer: bufferBytes, datagrams: Math.max(1, fit) };
  }
  return lastHalfBuffer.datagrams;
}
let lastHalfBuffer = { bytes: NaN, buffer: NaN, datagrams: 1 };

/** A peer's announced receive buffer as the sender takes it: within the bounds above. */
export function peerReceiveBuffer(announced: number): number {
  return Math.min(Math.max(announced, MIN_RECEIVE_BUFFER_BYTES), MAX_RECEIVE_BUFFER_BYTES);
}

/** Default idle timeout: a peer silent this long is given up, in ms. */
export const IDLE_TIMEOUT_MS = 30_000;
/** Default number of consecutive probe timeouts after which the peer is given up. */
export const MAX_PTO_COUNT = 8;
/**
 * Least silence of the peer, ms, before probes that go unanswered give it up
 * (`PEER_UNREACHABLE`): on a path of 1 ms, {@linkcode MAX_PTO_COUNT} doubling probes run out in
 * about 5 s, and a peer whose machine is that busy for that long is slow, not gone. Probing
 * goes on meanwhile, at the longest back-off.
 */
export const MIN_UNREACHABLE_SILENCE_MS = 10_000;

/** Transport tuning; every field has a default. */
export interface TransportOptions {
  /**
   * Largest datagram to send or accept, 1200..65507 bytes, announced to the peer. Default 1200.
   * The data sender's path MTU discovery searches up to the smaller of both sides' limits.
   */
  maxDatagramBytes?: number;
  /** Flow-control window when receiving, bytes. Default `RECEIVE_WINDOW_BYTES` (8 MiB). */
  receiveWindowBytes?: number;
  /**
   * What this end's socket receive buffer holds, bytes, as the kernel reports it (the driver
   * raises it where it can and reads it back): announced to the peer in the handshake, whose
   * sending keeps within half of it. Default {@linkcode RECEIVER_BUFFER_BYTES}.
   */
  receiveBufferBytes?: number;
  /** Silence after which the transfer fails with `IDLE_TIMEOUT`, ms. Default 30,000. */
  idleTimeoutMs?: number;
  /** Probe timeouts in a row after which it fails with `PEER_UNREACHABLE`. Default 8. */
  maxPtoCount?: number;
  /** Congestion controller factory. Default BBR-style (`BbrController`). */
  congestion?: CongestionFactory;
  /** Pacer tuning. Default: credit for 10 ms at the pacing rate, at most 104 KiB. */
  pacer?: PacerOptions;
  /**
   * A round trip to the same host that the driver timed (the chat session's), ms: the RTT
   * assumed until the first sample, which times the resending of a lost handshake datagram
   * (see `initialRtt`). Default: none, `INITIAL_RTT_MS` (250) is assumed.
   */
  initialRttMs?: number;
  /**
   * The ChaCha20-Poly1305 that seals and opens datagrams. Default `node:crypto`'s; a driver
   * that can load a native one (libsodium through FFI) passes it: a quarter of the cost.
   */
  aead?: ChaChaPoly;
  /**
   * For benchmarks only, never a user's choice: send and accept datagrams unsealed, to measure
   * what sealing costs. Both ends must agree. Default false: every datagram sealed.
   */
  unsealedForBenchmark?: boolean;
}

/** Checks `options`, throwing RangeError on a value out of range; returns the datagram size. */
export function checkTransportOptions(options: TransportOptions): number {
  const datagram = options.maxDatagramBytes ?? DEFAULT_DATAGRAM_BYTES;
  if (
    !Number.isInteger(datagram) || datagram < DEFAULT_DATAGRAM_BYTES ||
    datagram > MAX_DATAGRAM_BYTES
  ) {
    throw new RangeError(
      `Cannot use maxDatagramBytes ${datagram}: must be ${DEFAULT_DATAGRAM_BYTES}..${MAX_DATAGRAM_BYTES}`,
    );
  }
  positive("receiveWindowBytes", options.receiveWindowBytes);
  positive("receiveBufferBytes", options.receiveBufferBytes);
  positive("idleTimeoutMs", options.idleTimeoutMs);
  positive("maxPtoCount", options.maxPtoCount);
  positive("initialRttMs", options.initialRttMs);
  return datagram;
}

/** What the chat hub's grant fixes about a transfer: both ends must agree on all of it. */
export interface TransferTerms {
  /** The transfer id the hub granted. */
  transferId: number;
  /** The hub's one-time token, `TOKEN_BYTES` bytes, bound to the client's chat session. */
  token: Uint8Array;
  /**
   * The transfer key, `TRANSFER_KEY_BYTES` (32) random bytes fresh for this transfer, which
   * the hub's grant carries to the client: the datagrams' keys are derived from it.
   */
  key: Uint8Array;
  /** `download`: the server sends; `upload`: the client sends. */
  direction: Direction;
  /** File size in bytes. */
  size: number;
  /** First byte to transfer (resume). Default 0. */
  startOffset?: number;
}

/** Checks the shape of a transfer: sizes are safe integers and the start is within the file. */
export function checkTransferShape(size: number, startOffset: number): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`Cannot use size ${size}: must be a safe non-negative integer`);
  }
  if (!Number.isSafeInteger(startOffset) || startOffset < 0 || startOffset > size) {
    throw new RangeError(`Cannot use startOffset ${startOffset}: must be within 0..${size}`);
  }
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0)) {
    throw new RangeError(`Cannot use ${name} ${value}: must be positive`);
  }
}
