/**
 * Profiling the hub at full fan-out: a V8 CPU profile of the whole run, and (where `perf`
 * works) a sample of the measurement window that also sees the kernel and native code.
 * @module
 */

import { type ProfileSummary, summarizeProfiles } from "../lib/cpu_profile.ts";
import { SENDERS } from "./client_pool.ts";
import type { FanoutReport } from "./generator_messages.ts";
import { GeneratorProcess } from "./generator_process.ts";
import { perfReport, type PerfRow, recordPerf } from "./perf_report.ts";
import { type ServerHandle, startHub } from "./server_process.ts";
import { sleep } from "./timing.ts";

/** Settings of {@linkcode profileHub}. */
export interface ProfileOptions {
  /** Folder for the profile files. */
  outDir: string;
  /** Users connected (default 1000). */
  clients?: number;
  /** Full-speed running time profiled, after a 1 s warm-up (default 10,000 ms). */
  measureMs?: number;
  /** Unacknowledged messages per sender (default 16). */
  window?: number;
}

/** Where the hub's time went at full fan-out. */
export interface HubProfile {
  clients: number;
  fanout: FanoutReport;
  /** Self time in JavaScript and V8, or `null` if no profile was written. */
  js: ProfileSummary | null;
  /** `perf` samples by shared object (kernel, runtime binary, JIT code); empty without perf. */
  perfObjects: PerfRow[];
  /** `perf` samples by symbol; empty without perf. */
  perfSymbols: PerfRow[];
}

const WARMUP_MS = 1_000;

/** Runs the hub under a profiler with senders flat out and summarises the result. */
export async function profileHub(options: ProfileOptions): Promise<HubProfile> {
  const clients = options.clients ?? 1000;
  const measureMs = options.measureMs ?? 10_000;
  const dir = `${options.outDir}/profile-${Date.now()}`;
  await Deno.mkdir(dir, { recursive: true });
  let hub: ServerHandle | null = null;
  let generator: GeneratorProcess | null = null;
  let fanout: FanoutReport;
  let perfOk = false;
  try {
    hub = await startHub({ outDir: dir, cpuProfile: true });
    generator = new GeneratorProcess();
    const port = hub.port;
    await generator.setup({
      dialect: "hub",
      port,
      clients,
      senders: SENDERS,
      concurrency: 32,
      serverPid: hub.pid,
      shape: "one",
    });
    const running = generator.fanout({
      warmupMs: WARMUP_MS,
      measureMs,
      window: options.window ?? 16,
    });
    await sleep(WARMUP_MS);
    perfOk = await recordPerf(hub.pid, Math.floor(measureMs / 1000), `${dir}/perf.data`);
    fanout = await running;
  } finally {
    await generator?.quit();
    await hub?.stop();
  }
  return {
    clients,
    fanout,
    js: await readProfile(dir),
    perfObjects: perfOk ? (await perfReport(`${dir}/perf.data`, "dso")).slice(0, 6) : [],
    perfSymbols: perfOk ? (await perfReport(`${dir}/perf.data`, "sym")).slice(0, 15) : [],
  };
}

/** The hub's profile: the busiest (and only) one its run wrote. */
async function readProfile(dir: string): Promise<ProfileSummary | null> {
  return (await summarizeProfiles(dir, 15))[0]?.summary ?? null;
}
