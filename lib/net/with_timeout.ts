/**
 * Waiting for a promise no longer than a bound.
 * @module
 */

import { ChatError } from "./chat_error.ts";

/**
 * Resolves as `promise` does, or rejects with `ChatError` `TIMEOUT` and `message` after `ms`;
 * the timer is cleared either way.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message = "timed out"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChatError("TIMEOUT", message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
