/**
 * NewReno as in RFC 9002 §7: slow start, congestion avoidance, and at most one window
 * reduction per round trip (losses of packets sent before the current recovery period began
 * do not reduce the window again).
 *
 * @module
 */
import {
  type AckSample,
  type CongestionController,
  INITIAL_WINDOW_DATAGRAMS,
  type LossSample,
  MIN_WINDOW_DATAGRAMS,
} from "./congestion.ts";

/** Window multiplier on a congestion event. */
export const NEW_RENO_LOSS_REDUCTION = 0.5;
/** Pacing rate as a multiple of cwnd / smoothed RTT (RFC 9002 §7.7 suggests 1.25). */
export const NEW_RENO_PACING_GAIN = 1.25;

/**
 * The classic loss-based controller. It halves its window on every loss round, so random
 * loss throttles it hard; {@linkcode BbrController} is the default for that reason.
 *
 * @example
 * ```ts
 * const cc = new NewRenoController(1200);
 * cc.congestionWindow(); // 12000
 * ```
 */
export class NewRenoController implements CongestionController {
  readonly name = "newreno";
  #cwnd: number;
  #ssthresh = Infinity;
  #recoveryStart = -Infinity;
  #avoidanceCredit = 0;
  #datagramBytes: number;

  /** Creates a controller for datagrams of `datagramBytes`. */
  constructor(datagramBytes: number) {
    if (!(datagramBytes > 0)) {
      throw new RangeError("Cannot create NewReno: datagram size must be positive");
    }
    this.#datagramBytes = datagramBytes;
    this.#cwnd = INITIAL_WINDOW_DATAGRAMS * datagramBytes;
  }

  /** Slow-start threshold in bytes (Infinity until the first loss). */
  get ssthresh(): number {
    return this.#ssthresh;
  }

  onPacketSent(_now: number, _bytes: number, _bytesInFlight: number): void {}

  onAck(_now: number, sample: AckSample): void {
    // Packets sent during recovery do not grow the window.
    if (sample.largestAckedSentTime <= this.#recoveryStart) return;
    if (this.#cwnd < this.#ssthresh) {
      this.#cwnd += sample.ackedBytes;
      return;
    }
    this.#avoidanceCredit += sample.ackedBytes;
    if (this.#avoidanceCredit >= this.#cwnd) {
      this.#avoidanceCredit -= this.#cwnd;
      this.#cwnd += this.#datagramBytes;
    }
  }

  onLoss(now: number, sample: LossSample): void {
    if (sample.largestLostSentTime <= this.#recoveryStart) return;
    this.#recoveryStart = now;
    this.#ssthresh = Math.max(
      this.#cwnd * NEW_RENO_LOSS_REDUCTION,
      MIN_WINDOW_DATAGRAMS * this.#datagramBytes,
    );
    this.#cwnd = this.#ssthresh;
    this.#avoidanceCredit = 0;
  }

  congestionWindow(): number {
    return this.#cwnd;
  }

  setDatagramBytes(bytes: number): void {
    if (!(bytes > 0)) throw new RangeError("Cannot use datagram size: must be positive");
    this.#datagramBytes = bytes;
    this.#cwnd = Math.max(this.#cwnd, MIN_WINDOW_DATAGRAMS * bytes);
  }

  pacingRate(smoothedRttMs: number): number {
    return NEW_RENO_PACING_GAIN * this.#cwnd / Math.max(smoothedRttMs, 0.001);
  }
}
