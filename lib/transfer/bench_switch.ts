/**
 * The one switch that turns the file channel's sealing off, for benchmarks that measure what
 * sealing costs: an environment variable both ends read, never a user's flag. Unset (or
 * unreadable, as in a compiled program not allowed that variable) means sealed.
 *
 * @module
 */
import type { TransportOptions } from "../rudp/connection/transport_options.ts";

/** The variable a benchmark sets to `1` at both ends to send and accept datagrams unsealed. */
export const BENCH_UNSEALED_ENV = "CHAT_BENCH_UNSEALED";

/**
 * The transport option the environment asks for: `{ unsealedForBenchmark: true }` when
 * {@linkcode BENCH_UNSEALED_ENV} is `1`, else nothing.
 *
 * @example
 * ```ts
 * const transport = { maxDatagramBytes: 1472, ...benchUnsealed() };
 * ```
 */
export function benchUnsealed(): Pick<TransportOptions, "unsealedForBenchmark"> {
  try {
    return Deno.env.get(BENCH_UNSEALED_ENV) === "1" ? { unsealedForBenchmark: true } : {};
  } catch {
    return {}; // Not allowed to read it: the product, sealed.
  }
}
