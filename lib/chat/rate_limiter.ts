/**
 * A token bucket: how many requests a client may make, refilled with time.
 * @module
 */

/**
 * Token bucket fed the current time by its caller (sans-IO).
 *
 * @example
 * ```ts
 * import { RateLimiter } from "./rate_limiter.ts";
 * const limiter = new RateLimiter({ perSecond: 1, burst: 2 }, 0);
 * limiter.take(0); // 0: allowed
 * limiter.take(0); // 0: allowed
 * limiter.take(0); // 1000: wait a second
 * ```
 */
export class RateLimiter {
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #updatedAt: number;

  /**
   * @param rate `perSecond` sustained and `burst` at once
   * @param now the current time in milliseconds
   */
  constructor(rate: { perSecond: number; burst: number }, now: number) {
    if (!(rate.perSecond > 0) || !(rate.burst >= 1)) {
      throw new RangeError("Rate needs perSecond > 0 and burst >= 1");
    }
    this.#perMs = rate.perSecond / 1000;
    this.#burst = rate.burst;
    this.#tokens = rate.burst;
    this.#updatedAt = now;
  }

  /** Takes one token: returns 0 if allowed, else the milliseconds until one is available. */
  take(now: number): number {
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  #refill(now: number): void {
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#updatedAt) * this.#perMs);
      this.#updatedAt = now;
    }
  }
}
