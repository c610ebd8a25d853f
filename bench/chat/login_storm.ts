/**
 * A quick look at one login storm: a fresh hub (chat port or IRC port), a warm-up, then N users
 * logged in 32 at a time; prints logins per second and the server's RSS growth per user right
 * after the logins. For quick turns while working on logins; the tables come from
 * `deno task bench --only chat`.
 *
 * Usage: `deno run -A bench/chat/login_storm.ts [--irc] [--clients N] [--cpu-prof] [--idle MS]
 * [--settled]`: `--idle` is the calm before the baseline reading (default 10 s), `--settled`
 * adds a reading after `IDLE_SETTLE_MS` of calm after the logins.
 * @module
 */

import { summarizeProfiles } from "../lib/cpu_profile.ts";
import { readRssKib } from "../lib/proc_stats.ts";
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
    const setup = await generator.setup({ ...users, clients, concurrency: LOGIN_CONCURRENCY });
    const after = await readRssKib(hub.pid);
    const idle = args.includes("--settled") ? await settledRssKib(hub.pid) : null;
    const perUser = (rss: number | null) =>
      before === null || rss === null ? "?" : ((rss - before) / setup.joined).toFixed(1);
    console.log(
      `${irc ? "hub-irc" : "hub"} ${clients}: ${setup.joined} joined, ${setup.failed} failed, ` +
        `${Math.round(setup.perSecond)} logins/s (${Math.round(setup.setupMs)} ms, settle ` +
        `${Math.round(setup.settleMs)} ms), ${perUser(after)} KiB/conn right after` +
        (idle === null ? "" : `, ${perUser(idle)} KiB/conn after IDLE_SETTLE_MS idle`),
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

function valueOf(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at < 0 ? undefined : args[at + 1];
}
