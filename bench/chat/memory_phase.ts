/**
 * Measuring what an idle connection costs the server: a warm-up first (so that code paged in
 * and compiled on first use is not charged to the users), then the server's resident memory
 * once it has been left alone long enough to give back what a burst of work took.
 * @module
 */

import { GeneratorProcess } from "./generator_process.ts";
import type { DialectName } from "./dialect.ts";
import { readRssKib } from "../lib/proc_stats.ts";
import { sleep } from "./timing.ts";

/**
 * How long the server is left idle before its memory is read. V8 gives back the heap a burst
 * took (the join notices of a login storm, say) only after several seconds of calm: in runs
 * here, 15 to 30 seconds after the last login.
 */
export const IDLE_SETTLE_MS = 45_000;
/** Samples whose median is the figure reported. */
export const SETTLED_SAMPLES = 5;
const SAMPLE_MS = 1_000;
/** Users of the warm-up: enough to run every path a login, a message and a leave take. */
export const WARMUP_USERS = 20;

/** Settings of {@linkcode warmUp}. */
export interface WarmUpOptions {
  dialect: DialectName;
  port: number;
  serverPid: number;
  /** Senders among the warm-up users. */
  senders: number;
  /** The hub's certificate, when it speaks TLS. */
  caCert?: string;
}

/**
 * Logs a few users in from a generator of their own, has them talk briefly, and disconnects
 * them, so that the server has run each code path once before its baseline is read.
 */
export async function warmUp(options: WarmUpOptions): Promise<void> {
  const generator = new GeneratorProcess();
  try {
    await generator.setup({ ...options, clients: WARMUP_USERS, concurrency: 4, shape: "one" });
    await generator.fanout({ warmupMs: 100, measureMs: 300, window: 4 });
  } finally {
    await generator.quit();
  }
}

/**
 * Samples the resident memory of `pid` once a second for `settleMs` and returns the median of
 * the last {@linkcode SETTLED_SAMPLES}, in KiB; `null` if it could not be read.
 */
export async function settledRssKib(
  pid: number,
  settleMs = IDLE_SETTLE_MS,
): Promise<number | null> {
  const samples: number[] = [];
  const until = performance.now() + settleMs;
  for (;;) {
    const rss = await readRssKib(pid);
    if (rss === null) return null;
    samples.push(rss);
    if (samples.length > SETTLED_SAMPLES) samples.shift();
    const left = until - performance.now();
    if (left <= 0) break;
    await sleep(Math.min(SAMPLE_MS, left));
  }
  return median(samples);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
