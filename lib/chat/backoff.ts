/**
 * How long a client waits before each attempt to reconnect.
 * @module
 */

/** First wait before reconnecting, in ms; it doubles up to {@linkcode MAX_BACKOFF_MS}. */
export const MIN_BACKOFF_MS = 250;
/** Longest wait between reconnection attempts, in ms. */
export const MAX_BACKOFF_MS = 8000;

/**
 * Wait before reconnection attempt `attempt` (from 1): doubling, capped, with ±20% jitter.
 *
 * @param random numbers in [0, 1) for the jitter (default: none, always 0.5)
 *
 * @example
 * ```ts
 * import { backoff } from "./backoff.ts";
 * backoff(1); // 250
 * backoff(3); // 1000
 * backoff(30); // 8000
 * ```
 */
export function backoff(attempt: number, random: () => number = () => 0.5): number {
  const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(attempt - 1, 16));
  return Math.round(base * (0.8 + 0.4 * random()));
}
