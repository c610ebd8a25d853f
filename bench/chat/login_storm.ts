/**
 * A quick look at one login storm: a fresh hub (chat port or IRC port), a warm-up, then N users
 * logged in 32 at a time; prints logins per second, the server's RSS growth per user right
 * after the logins, and the CPU time the server and the load generator spent per login (the
 * two share the machine's cores: either may bound the rate). For quick turns while working on
 * logins; the tables come from `deno task bench --only chat`.
 *
 * Usage: `deno run -A bench/chat/login_storm.ts [--irc] [--clients N] [--cpu-prof] [--idle MS]
 * [--settled]`: `--idle` is the calm before the baseline reading (default 10 s), `--settled`
 * adds a reading after `IDLE_SETTLE_MS` of calm after the logins.
 * @module
 */

import { summarizeProfiles } from "../lib/cpu_profile.ts";
import { readCpuMs, readRssKib } from "../lib/proc_stats.ts";
import { SENDERS } from "./client_pool.ts";
import { GeneratorProcess } from "./generator_process.ts";
import { settledRssKib, warmUp } from "./memory_phase.ts";
import { startHub } from "./server_process.ts";

const LOGIN_CONCURRENCY = 32;

if (import.meta.main) {
  const args = Deno.args;
  const irc = args.includes("--irc");
  const cpuProfile = args.includes("--cpu-prof");
  const clients = Number(valueOf(args, "--clients") ?? 1000);
  const idleMs = Number(valueOf(args, "--idle") ?? 10_000);
  const outDir = `${new URL("../out", import.meta.url).pathname}/storm-${Date.now()}`;
  await Deno.mkdir(outDir, { recursive: true });
  const hub = await startHub({ outDir, irc, cpuProfile });
  const generator = new GeneratorProcess();
  try {
    const users = {
      dialect: irc ? "irc-echo" as const : "hub" as const,
      port: hub.port,
      senders: SENDERS,
      serverPid: hub.pid,
      shape: "one" as const,
    };
    await warmUp(users);
    const before = await settledRssKib(hub.pid, idleMs);
    const cpuBefore = await cpuOf(hub.pid, generator.pid);
    const setup = await generator.setup({ ...users, clients, concurrency: LOGIN_CONCURRENCY });
    const after = await readRssKib(hub.pid);
    const cpuAfter = await cpuOf(hub.pid, generator.pid);
    const idle = args.includes("--settled") ? await settledRssKib(hub.pid) : null;
    const perUser = (rss: number | null) =>
      before === null || rss === null ? "?" : ((rss - before) / setup.joined).toFixed(1);
    console.log(
      `${irc ? "hub-irc" : "hub"} ${clients}: ${setup.joined} joined, ${setup.failed} failed, ` +
        `${Math.round(setup.perSecond)} logins/s (${Math.round(setup.setupMs)} ms, settle ` +
        `${Math.round(setup.settleMs)} ms), ${perUser(after)} KiB/conn right after` +
        (idle === null ? "" : `, ${perUser(idle)} KiB/conn after IDLE_SETTLE_MS idle`) +
        `; CPU per login: server ${perLogin(cpuBefore.hub, cpuAfter.hub, setup.joined)}, ` +
        `generator ${perLogin(cpuBefore.generator, cpuAfter.generator, setup.joined)}`,
    );
  } finally {
    await generator.quit();
    await hub.stop(cpuProfile ? "SIGTERM" : "SIGKILL");
  }
  if (cpuProfile) await printProfile(outDir);
}

async function printProfile(dir: string): Promise<void> {
  for (const { file, summary } of await summarizeProfiles(dir, 25)) {
    console.log(`${file}: ${Math.round(summary.busyUs / 1000)} ms busy`);
    for (const f of summary.functions) {
      console.log(`  ${(100 * f.share).toFixed(1).padStart(5)}%  ${f.where}`);
    }
  }
}

/** CPU time used so far by the server and by the load generator, in ms. */
async function cpuOf(hub: number, generator: number) {
  return { hub: await readCpuMs(hub), generator: await readCpuMs(generator) };
}

/** CPU time between two readings per login, in µs, or `?`. */
function perLogin(before: number | null, after: number | null, logins: number): string {
  if (before === null || after === null || logins === 0) return "?";
  return `${Math.round((after - before) * 1000 / logins)} µs`;
}

function valueOf(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at < 0 ? undefined : args[at + 1];
}
