/**
 * The congestion controller interface. Every method takes the current time so controllers stay
 * sans-IO and testable with an explicit clock.
 *
 * @module
 */
import type { RateSample } from "./delivery_rate.ts";

/** What one acknowledgement told us. */
export interface AckSample {
  /** Bytes of in-flight packets this ack newly acknowledged. */
  ackedBytes: number;
  /** Send time of the newest newly-acknowledged packet, in ms. */
  largestAckedSentTime: number;
  /** Delivery-rate sample, or null when this ack gave none. */
  rate: RateSample | null;
  /** Smallest RTT seen, in ms (Infinity before the first sample). */
  minRttMs: number;
  /** Smoothed RTT, in ms. */
  smoothedRttMs: number;
  /** Latest RTT sample, in ms. */
  latestRttMs: number;
  /** Bytes still in flight after this ack. */
  bytesInFlight: number;
}

/** What one round of loss detection declared lost. */
export interface LossSample {
  /** Bytes of in-flight packets declared lost. */
  lostBytes: number;
  /** Send time of the newest packet declared lost, in ms. */
  largestLostSentTime: number;
  /** Bytes still in flight after removing the lost packets. */
  bytesInFlight: number;
}

/** A congestion controller: decides how many bytes may be in flight and how fast to pace. */
export interface CongestionController {
  /** Short name for stats and logs ("bbr", "newreno"). */
  readonly name: string;
  /** A packet of `bytes` counted in flight was sent; `bytesInFlight` includes it. */
  onPacketSent(now: number, bytes: number, bytesInFlight: number): void;
  /** An acknowledgement newly acknowledged in-flight packets. */
  onAck(now: number, sample: AckSample): void;
  /** Loss detection declared in-flight packets lost. */
  onLoss(now: number, sample: LossSample): void;
  /** Bytes that may be in flight now. */
  congestionWindow(): number;
  /** Pacing rate in bytes per ms; `smoothedRttMs` serves controllers without a rate model. */
  pacingRate(smoothedRttMs: number): number;
  /**
   * The datagram size changed (path MTU discovery), possibly with data in flight; controllers
   * with terms counted in datagrams implement it. The window stays, in bytes, but never below
   * the controller's minimum for the new size.
   */
  setDatagramBytes?(bytes: number): void;
  /**
   * The receiver announced what its socket's receive buffer holds, bytes; controllers whose
   * terms keep within such a buffer implement it.
   */
  setReceiverBuffer?(bytes: number): void;
}

/** Initial congestion window in datagrams (RFC 9002 §7.2 uses 10). */
export const INITIAL_WINDOW_DATAGRAMS = 10;
/** Smallest congestion window in datagrams. */
export const MIN_WINDOW_DATAGRAMS = 4;
