/**
 * The two halves of the opening handshake.
 *
 * 1. The client sends `hello` (transfer id, token, its connection id) in an initial packet
 *    padded to {@linkcode MIN_INITIAL_DATAGRAM_BYTES}, again on each probe timeout until answered.
 * 2. The server checks the token and answers `challenge` (its connection id and a random nonce),
 *    once per hello received: it never sends unprompted before the address is proven, and it
 *    sends at most {@linkcode AMPLIFICATION_FACTOR} times the bytes it received from it.
 * 3. The client echoes the nonce in a `confirm` frame, which it puts in every packet until one
 *    of them is acknowledged. The first confirm the server sees proves the client's address.
 *
 * @module
 */
import type { ChallengeFrame } from "../wire/frame.ts";
import type { Retransmittable } from "../recovery/loss_detection.ts";

/** Smallest datagram holding a client hello: it buys the server room for its answer. */
export const MIN_INITIAL_DATAGRAM_BYTES = 1200;
/**
 * Longest wait between two handshake probes (hellos, confirms), ms: the handshake's probe
 * timeouts back off to this and no further. A hello is one datagram, and a server whose queue
 * overflows under load may drop several in a row: with plain doubling, 30 s held only 5 to 7.
 */
export const MAX_HANDSHAKE_PROBE_INTERVAL_MS = 1_000;
/** Until the address is proven the server sends at most this times what it received. */
export const AMPLIFICATION_FACTOR = 3;

/**
 * Client side: hello until challenged, then confirm until a confirm is acknowledged.
 *
 * @example
 * ```ts
 * const hs = new ClientHandshake();
 * hs.state; // "hello"
 * ```
 */
export class ClientHandshake {
  /** `hello`: awaiting the challenge; `confirming`: echoing it; `confirmed`: done. */
  state: "hello" | "confirming" | "confirmed" = "hello";
  /** A hello must be (re)sent. */
  helloPending = true;
  /** A packet carrying the confirm must be sent even if nothing else is. */
  confirmPending = false;
  /** The server's connection id, once challenged. */
  serverCid: Uint8Array | null = null;
  /** The nonce to echo, once challenged. */
  nonce: Uint8Array | null = null;
  /** The server's datagram limit, once challenged. */
  peerMaxDatagramBytes = MIN_INITIAL_DATAGRAM_BYTES;

  /** Accepts the first challenge; returns false for repeats (answers to retransmitted hellos). */
  onChallenge(frame: ChallengeFrame): boolean {
    if (this.state !== "hello") return false;
    this.state = "confirming";
    this.serverCid = frame.sourceCid.slice();
    this.nonce = frame.nonce.slice();
    this.peerMaxDatagramBytes = frame.maxDatagramBytes;
    this.confirmPending = true;
    this.helloPending = false;
    return true;
  }

  /** A packet we sent was acknowledged. */
  onAcked(content: Retransmittable): void {
    if (content.confirm && this.state === "confirming") this.state = "confirmed";
  }

  /** A packet we sent was declared lost. */
  onLost(content: Retransmittable): void {
    if (content.hello && this.state === "hello") this.helloPending = true;
    if (content.confirm && this.state === "confirming") this.confirmPending = true;
  }

  /** A probe timeout fired: resend whatever the handshake is waiting on. */
  onProbeTimeout(): void {
    if (this.state === "hello") this.helloPending = true;
    if (this.state === "confirming") this.confirmPending = true;
  }
}

/**
 * Server side: challenge per hello, address validation, and the anti-amplification budget.
 *
 * @example
 * ```ts
 * const hs = new ServerHandshake(new Uint8Array(16));
 * hs.onReceived(1200);
 * hs.sendAllowance(); // 3600
 * ```
 */
export class ServerHandshake {
  /** Whether the client's address is proven. */
  validated = false;
  /** A challenge is owed (one per hello received). */
  challengePending = true;
  /** Bytes received from the client before validation. */
  receivedBeforeValidation = 0;
  /** Bytes sent to the client before validation. */
  sentBeforeValidation = 0;
  /** When the latest challenge left, ms: its confirm times the server's first round trip. */
  challengeSentAt: number | null = null;

  /** Creates the server half with the nonce the client must echo. */
  constructor(readonly nonce: Uint8Array) {}

  /** A datagram of `bytes` arrived from the client's address. */
  onReceived(bytes: number): void {
    if (!this.validated) this.receivedBeforeValidation += bytes;
  }

  /** A datagram of `bytes` was sent to the client. */
  onSent(bytes: number): void {
    if (!this.validated) this.sentBeforeValidation += bytes;
  }

  /** Another hello arrived (ours was lost, or theirs was duplicated): owe another challenge. */
  onHello(): void {
    if (!this.validated) this.challengePending = true;
  }

  /** Checks an echoed nonce; returns true when it validates the address. */
  onConfirm(nonce: Uint8Array): boolean {
    if (this.validated) return false;
    if (!bytesEqual(nonce, this.nonce)) return false;
    this.validated = true;
    this.challengePending = false;
    return true;
  }

  /** Bytes the server may still send before validation (Infinity after). */
  sendAllowance(): number {
    if (this.validated) return Infinity;
    return AMPLIFICATION_FACTOR * this.receivedBeforeValidation - this.sentBeforeValidation;
  }
}

/** Compares two byte strings in time independent of where they differ. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
