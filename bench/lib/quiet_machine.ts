/**
 * Waiting for the machine to be idle before measuring: on a shared 2-core machine another
 * program's burst would otherwise be reported as the server's slowness.
 * @module
 */

import { readMachineCpuMs } from "./proc_stats.ts";

/** Busy cores below which the machine counts as quiet. */
export const QUIET_CORES = 0.25;
/** How long one look at the machine lasts. */
export const SAMPLE_MS = 500;

/** Settings of {@linkcode waitForQuietMachine}. */
export interface QuietOptions {
  /** Longest wait before measuring anyway (default 120,000 ms). */
  maxWaitMs?: number;
  /** Told each time the machine is found busy (default: nothing). */
  onBusy?: (cores: number) => void;
}

/** Waits until the machine is quiet; returns the busy cores last seen (`null` if unreadable). */
export async function waitForQuietMachine(options: QuietOptions = {}): Promise<number | null> {
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const start = performance.now();
  for (;;) {
    const cores = await busyCores(SAMPLE_MS);
    if (cores === null || cores < QUIET_CORES) return cores;
    if (performance.now() - start >= maxWaitMs) return cores;
    options.onBusy?.(cores);
  }
}

/** Cores the whole machine kept busy over the next `ms` milliseconds, or `null`. */
export async function busyCores(ms: number): Promise<number | null> {
  const before = await readMachineCpuMs();
  const startedAt = performance.now();
  await new Promise((wake) => setTimeout(wake, ms));
  const after = await readMachineCpuMs();
  if (before === null || after === null) return null;
  return (after.busy - before.busy) / (performance.now() - startedAt);
}
