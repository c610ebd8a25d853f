/**
 * Small waits for the benchmark's drivers.
 * @module
 */

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The bounded wait of the chat drivers, reused here. */
export { waitAtMost } from "../../lib/net/waiting.ts";
