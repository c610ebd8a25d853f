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
  // Counted in whole milli-tokens so that waiting exactly the time announced is always enough.
  readonly #milliTokensPerMs: number;
  readonly #capacity: number;
  #milliTokens: number;
  #updatedAt: number;

  /**
   * @param rate `perSecond` sustained (a whole number) and `burst` at once
   * @param now the current time in milliseconds
   */
  constructor(rate: { perSecond: number; burst: number }, now: number) {
    if (!Number.isSafeInteger(rate.perSecond) || rate.perSecond < 1 || !(rate.burst >= 1)) {
      throw new RangeError("Rate needs a whole perSecond >= 1 and burst >= 1");
    }
    // perSecond tokens per 1000 ms is perSecond milli-tokens per ms.
    this.#milliTokensPerMs = rate.perSecond;
    this.#capacity = Math.floor(rate.burst) * TOKEN;
    this.#milliTokens = this.#capacity;
    this.#updatedAt = now;
  }

  /** Takes one token: returns 0 if allowed, else the milliseconds until one is available. */
  take(now: number): number {
    this.#refill(now);
    if (this.#milliTokens >= TOKEN) {
      this.#milliTokens -= TOKEN;
      return 0;
    }
    return Math.ceil((TOKEN - this.#milliTokens) / this.#milliTokensPerMs);
  }

  #refill(now: number): void {
    if (now <= this.#updatedAt) return;
    const elapsed = Math.floor(now - this.#updatedAt);
    this.#milliTokens = Math.min(
      this.#capacity,
      this.#milliTokens + elapsed * this.#milliTokensPerMs,
    );
    this.#updatedAt += elapsed;
  }
}

const TOKEN = 1000;
