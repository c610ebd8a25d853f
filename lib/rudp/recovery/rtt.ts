/**
 * Round-trip time estimation as in RFC 9002 §5: latest sample, minimum, smoothed average and
 * variation, with the peer's reported ack delay subtracted when that keeps the sample above
 * the minimum.
 *
 * @module
 */

/** RTT assumed before the first sample, in ms (RFC 9002 suggests 333; we serve LANs too). */
export const INITIAL_RTT_MS = 250;
/** Timer granularity: the smallest loss delay and PTO variance term, in ms. */
export const TIMER_GRANULARITY_MS = 1;

/**
 * The RTT to assume before the first sample, ms: `measuredMs`, a round trip to the same host
 * timed some other way, within granularity..{@linkcode INITIAL_RTT_MS} (it may include the
 * peer's work, so it never raises the default); the default without one.
 */
export function initialRtt(measuredMs?: number): number {
  if (measuredMs === undefined || !(measuredMs > 0)) return INITIAL_RTT_MS;
  return Math.min(INITIAL_RTT_MS, Math.max(TIMER_GRANULARITY_MS, measuredMs));
}

/**
 * RTT estimator fed with samples in milliseconds.
 *
 * @example
 * ```ts
 * const rtt = new RttEstimator();
 * rtt.update(20, 0);
 * rtt.smoothed; // 20
 * ```
 */
export class RttEstimator {
  /** Most recent sample, in ms. */
  latest = 0;
  /** Smallest sample seen, in ms (ack delay not subtracted). */
  min = Infinity;
  /** Exponentially weighted mean, in ms. */
  smoothed: number;
  /** Mean deviation, in ms. */
  variance: number;
  #hasSample = false;

  /** Creates an estimator starting at `initialRttMs` (default {@linkcode INITIAL_RTT_MS}). */
  constructor(initialRttMs: number = INITIAL_RTT_MS) {
    if (!(initialRttMs > 0)) {
      throw new RangeError("Cannot create RTT estimator: initial RTT must be positive");
    }
    this.smoothed = initialRttMs;
    this.variance = initialRttMs / 2;
  }

  /** Whether at least one sample was taken. */
  get hasSample(): boolean {
    return this.#hasSample;
  }

  /**
   * Adds a sample of `sampleMs`, of which the peer says it delayed its ack by `ackDelayMs`
   * (already capped by the caller at the peer's max ack delay).
   */
  update(sampleMs: number, ackDelayMs: number): void {
    if (!(sampleMs >= 0) || !(ackDelayMs >= 0)) {
      throw new RangeError("Cannot update RTT: samples must be non-negative");
    }
    this.latest = sampleMs;
    this.min = Math.min(this.min, sampleMs);
    if (!this.#hasSample) {
      this.#hasSample = true;
      this.smoothed = sampleMs;
      this.variance = sampleMs / 2;
      return;
    }
    const adjusted = sampleMs - ackDelayMs >= this.min ? sampleMs - ackDelayMs : sampleMs;
    this.variance = 0.75 * this.variance + 0.25 * Math.abs(this.smoothed - adjusted);
    this.smoothed = 0.875 * this.smoothed + 0.125 * adjusted;
  }

  /** Probe timeout before back-off: smoothed + max(4 variance, granularity) + max ack delay. */
  pto(maxAckDelayMs: number): number {
    return this.smoothed + Math.max(4 * this.variance, TIMER_GRANULARITY_MS) + maxAckDelayMs;
  }

  /** Time-threshold loss delay: 9/8 of max(smoothed, latest), at least the granularity. */
  lossDelay(): number {
    return Math.max((9 / 8) * Math.max(this.smoothed, this.latest), TIMER_GRANULARITY_MS);
  }
}
