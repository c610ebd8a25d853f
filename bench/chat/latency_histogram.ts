/**
 * A fixed-resolution latency histogram: constant memory however many deliveries are timed.
 * @module
 */

/** Width of one bucket, in microseconds. */
export const BUCKET_US = 10;
/** Latencies at or above this many microseconds share the last bucket (their maximum is kept). */
export const RANGE_US = 10_000_000;

/** Percentiles of the latencies recorded, in milliseconds. */
export interface LatencySummary {
  /** How many latencies were recorded. */
  count: number;
  /** Median. */
  p50Ms: number;
  /** 99th percentile. */
  p99Ms: number;
  /** 99.9th percentile. */
  p999Ms: number;
  /** Largest latency seen. */
  maxMs: number;
}

/**
 * Counts latencies in {@linkcode BUCKET_US} buckets; a percentile is the upper edge of the
 * bucket it falls in, so it is never reported lower than it was.
 *
 * @example
 * ```ts
 * import { LatencyHistogram } from "./latency_histogram.ts";
 * const histogram = new LatencyHistogram();
 * for (const us of [100, 200, 300]) histogram.record(us);
 * histogram.summary().p50Ms; // 0.21
 * ```
 */
export class LatencyHistogram {
  readonly #buckets = new Uint32Array(RANGE_US / BUCKET_US);
  #count = 0;
  #maxUs = 0;

  /** How many latencies were recorded. */
  get count(): number {
    return this.#count;
  }

  /** Records one latency in microseconds; negative values (clock slips) count as zero. */
  record(latencyUs: number): void {
    const us = latencyUs > 0 ? latencyUs : 0;
    const index = Math.min(Math.floor(us / BUCKET_US), this.#buckets.length - 1);
    this.#buckets[index]! += 1;
    this.#count++;
    if (us > this.#maxUs) this.#maxUs = us;
  }

  /** The latency below which `fraction` (0 to 1) of the recorded ones fall, in microseconds. */
  percentileUs(fraction: number): number {
    if (!(fraction >= 0 && fraction <= 1)) throw new RangeError("fraction must be in [0, 1]");
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(fraction * this.#count));
    let seen = 0;
    const last = this.#buckets.length - 1;
    for (let i = 0; i < last; i++) {
      seen += this.#buckets[i]!;
      if (seen >= rank) return Math.min((i + 1) * BUCKET_US, this.#maxUs);
    }
    // The last bucket holds everything beyond the range: only the maximum is known there.
    return this.#maxUs;
  }

  /** The usual percentiles, in milliseconds. */
  summary(): LatencySummary {
    return {
      count: this.#count,
      p50Ms: this.percentileUs(0.5) / 1000,
      p99Ms: this.percentileUs(0.99) / 1000,
      p999Ms: this.percentileUs(0.999) / 1000,
      maxMs: this.#maxUs / 1000,
    };
  }
}
