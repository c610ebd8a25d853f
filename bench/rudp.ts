/**
 * Benchmark of the file channel on loopback, every party in a process of its own: one file
 * (a) over a plain TCP stream (the baseline), (b) `server.ts` to `client.ts get` directly,
 * at several datagram sizes, and (c) through the UDP relay (`tools/netsim.ts`) at 0, 1, 5, 10
 * and 30% loss with 10 ms of delay each way; then what the relay itself costs, and CPU profiles
 * of a clean transfer. Writes the `## File channel` section of bench/RESULTS.md. Then the
 * server's cost per datagram at 1 to 1,000 concurrent transfers (bench/rudp/endpoint_scaling.ts;
 * alone: bench/rudp_scaling.ts), in its own section; then, each writing its own section, the
 * MTU-1500 path against Deno's QUIC and TCP (bench/rudp_path.ts, as root), the channel against
 * Deno's raw UDP ceiling (bench/rudp_ceiling.ts), what a send costs (bench/udp_send_cost.ts) and
 * what the protocol cores alone cost (bench/rudp_core.ts).
 *
 * Run: deno run --allow-net --allow-read --allow-write --allow-env --allow-run --allow-sys
 *      bench/rudp.ts [--quick] [--no-write]
 * (`--quick`: a 16 MiB file, one run of each, no profiles.) Linux only: it reads `/proc`.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { BenchServer, type Download, tcpBaseline } from "./rudp/downloads.ts";
import { summarizeProfiles } from "./lib/cpu_profile.ts";
import { readProcFile } from "./lib/proc_stats.ts";
import { waitForQuietMachine } from "./lib/quiet_machine.ts";
import { ROOT } from "./rudp/processes.ts";
import { measureRelayOverhead } from "./rudp/relay_overhead.ts";
import { type BenchResults, renderSection } from "./rudp/report.ts";
import { measureScaling } from "./rudp/endpoint_scaling.ts";
import { renderScalingSection, SCALING_HEADING } from "./rudp/scaling_report.ts";
import { writeRandomFile } from "./lib/random_file.ts";

/** Datagram sizes tried on clean loopback, bytes. */
export const DATAGRAM_SIZES = [1200, 1472, 4096, 8192, 16384, 32768, 65507];
/** Loss rates tried through the relay, percent. */
export const RELAY_LOSSES = [0, 1, 5, 10];
/** Loss rate that only has to complete, percent; run once. */
export const HEAVY_LOSS = 30;
/** One-way delay of the relay runs, ms. */
export const RELAY_DELAY_MS = 10;
/** Longest wait for the machine to be quiet before a measurement, ms. */
const QUIET_WAIT_MS = 60_000;
const FILE = "bench.bin";

/** Runs the benchmark and returns the markdown section (`## File channel`). */
export async function runRudpBench(options: { quick: boolean }): Promise<string> {
  const command = `deno run -A bench/rudp.ts${options.quick ? " --quick" : ""}`;
  const results = await measure(options.quick, command);
  return renderSection(results);
}

async function measure(quick: boolean, command: string): Promise<BenchResults> {
  const size = (quick ? 16 : 64) * 1024 * 1024;
  const runs = quick ? 1 : 3;
  const dir = await Deno.makeTempDir({ prefix: "rudp_bench_" });
  const files = join(dir, "files");
  const downloads = join(dir, "downloads");
  await Deno.mkdir(files);
  await writeRandomFile(join(files, FILE), size, 20261125);
  let busiest = 0;
  const repeat = async (count: number, once: () => Promise<Download>) => {
    const out: Download[] = [];
    for (let i = 0; i < count; i++) {
      busiest = Math.max(busiest, await waitForQuiet());
      const result = await once();
      log(result);
      out.push(result);
    }
    return out;
  };
  try {
    progress("TCP baseline");
    const source = join(files, FILE);
    const tcpFile = await repeat(runs, () => tcpBaseline(source, join(dir, "tcp.out")));
    const tcpSocket = await repeat(runs, () => tcpBaseline(source, "-"));
    const server = await BenchServer.start(files, downloads);
    const datagrams: BenchResults["datagrams"] = [];
    const relay: BenchResults["relay"] = [];
    let direct: Download[];
    try {
      await server.download(FILE); // the server hashes the file once, on the first request
      progress("file channel, direct");
      direct = await repeat(runs, () => server.download(FILE));
      for (const bytes of DATAGRAM_SIZES) {
        progress(`datagrams of ${bytes} B`);
        datagrams.push({
          bytes,
          runs: await repeat(runs, () => server.download(FILE, { mtu: bytes })),
        });
      }
      for (const loss of [...RELAY_LOSSES, HEAVY_LOSS]) {
        progress(`relay, ${RELAY_DELAY_MS} ms, ${loss}% loss`);
        const flags = ["--delay", String(RELAY_DELAY_MS), "--loss", String(loss)];
        const count = loss === HEAVY_LOSS ? 1 : runs;
        let seed = 0;
        const results = await repeat(
          count,
          () => server.downloadThroughRelay(FILE, flags, { seed: ++seed }),
        );
        relay.push({ lossPercent: loss, runs: results });
      }
    } finally {
      await server.stop();
    }
    progress("relay overhead");
    busiest = Math.max(busiest, await waitForQuiet());
    const overhead = await measureRelayOverhead(quick ? 300 : 1000, quick ? 20_000 : 50_000);
    const profiles = quick ? [] : await profile(files, dir);
    return {
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      machine: await machine(),
      command,
      sizeBytes: size,
      runs,
      tcpFile,
      tcpSocket,
      direct,
      datagrams,
      relay,
      overhead,
      profiles,
      busiestBefore: busiest,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Profiles a clean direct download and one through the relay (10 ms, 0% loss). */
async function profile(files: string, dir: string): Promise<BenchResults["profiles"]> {
  progress("profiles");
  const out: BenchResults["profiles"] = [];
  for (const through of ["direct", "relay"] as const) {
    const profiles = join(dir, `profiles-${through}`);
    await waitForQuiet();
    const server = await BenchServer.start(files, join(dir, "downloads"), join(profiles, "server"));
    try {
      await server.download(FILE);
      if (through === "direct") {
        await server.download(FILE, { profileDir: join(profiles, "client") });
      } else {
        const flags = ["--delay", String(RELAY_DELAY_MS)];
        await server.downloadThroughRelay(FILE, flags, { seed: 1, profileDir: profiles });
      }
    } finally {
      await server.stop();
    }
    for (
      const part of through === "direct" ? ["server", "client"] : ["server", "client", "relay"]
    ) {
      const summaries = await summarizeProfiles(join(profiles, part), 10).catch(() => []);
      out.push({ label: `${through}, ${part}`, summaries });
    }
  }
  return out;
}

/** Waits (at most {@linkcode QUIET_WAIT_MS}) for a quiet machine; the busy cores last seen. */
async function waitForQuiet(): Promise<number> {
  return await waitForQuietMachine({ maxWaitMs: QUIET_WAIT_MS }) ?? 0;
}

async function machine(): Promise<string> {
  const cpuinfo = await readProcFile("/proc/cpuinfo") ?? "";
  const cpu = cpuinfo.match(/model name\s*:\s*(.*)/)?.[1];
  const cores = navigator.hardwareConcurrency;
  return `${
    cpu ?? "unknown CPU"
  }, ${cores} cores, Linux ${Deno.osRelease()}, Deno ${Deno.version.deno}`;
}

/** Replaces the section under `heading` in `path` (or appends it), keeping the rest. */
export async function writeSection(
  path: string,
  section: string,
  heading = "## File channel",
): Promise<void> {
  const existing = await Deno.readTextFile(path).catch(() => "");
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const start = existing.search(new RegExp(`^${escaped}\\s*$`, "m"));
  if (start < 0) {
    const head = existing === "" ? "# Benchmark results\n\n" : existing.trimEnd() + "\n\n";
    return await Deno.writeTextFile(path, head + section.trimEnd() + "\n");
  }
  const after = existing.slice(start + 1).search(/^## /m);
  const end = after < 0 ? existing.length : start + 1 + after;
  const old = existing.slice(start, end);
  const analysis = /^### Analysis[\s\S]*$/m.exec(old)?.[0]; // written by hand: kept
  const replaced = section.trimEnd() + "\n" + (analysis ? "\n" + analysis.trimEnd() + "\n" : "");
  const rest = existing.slice(end);
  await Deno.writeTextFile(path, existing.slice(0, start) + replaced + (rest ? "\n" + rest : ""));
}

/**
 * The command line of a benchmark that writes one section of bench/RESULTS.md: `--quick` (a
 * smaller run, nothing written) and `--no-write`. `build` measures and renders the section for
 * the command it is given; the section is printed, and written under `heading` on a full run.
 */
export async function runSectionBench(
  script: string,
  heading: string,
  build: (quick: boolean, command: string) => Promise<string> | string,
): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { quick: { type: "boolean" }, "no-write": { type: "boolean" } },
  });
  const quick = values.quick ?? false;
  const section = await build(quick, `deno run -A bench/${script}${quick ? " --quick" : ""}`);
  console.log(section);
  if (!quick && !values["no-write"]) {
    await writeSection(join(ROOT, "bench", "RESULTS.md"), await formatMarkdown(section), heading);
  }
}

/** Formats markdown as `deno fmt` would in this repository (tables aligned, lines wrapped). */
export async function formatMarkdown(text: string): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".md" });
  try {
    await Deno.writeTextFile(file, text);
    const config = join(ROOT, "deno.json");
    const { success } = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--quiet", "--config", config, file],
      stdout: "null",
      stderr: "null",
    }).output();
    return success ? await Deno.readTextFile(file) : text;
  } finally {
    await Deno.remove(file);
  }
}

function progress(what: string): void {
  console.error(`rudp bench: ${what}`);
}

function log(run: Download): void {
  const note = run.ok ? "" : ` FAILED: ${run.error}`;
  console.error(
    `  ${run.goodput.toFixed(1)} MB/s in ${(run.transferMs / 1000).toFixed(2)} s, ` +
      `kernel drops ${run.rcvbufErrors}${note}`,
  );
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { quick: { type: "boolean" }, "no-write": { type: "boolean" } },
  });
  const quick = values.quick === true;
  const results = join(ROOT, "bench", "RESULTS.md");
  const section = await formatMarkdown(await runRudpBench({ quick }));
  console.log(section);
  if (!values["no-write"]) await writeSection(results, section);
  progress("server cost by number of transfers");
  const command = `deno run -A bench/rudp_scaling.ts${quick ? " --quick" : ""}`;
  const scaling = await formatMarkdown(
    renderScalingSection(await measureScaling({ quick, command })),
  );
  console.log(scaling);
  if (!values["no-write"]) await writeSection(results, scaling, SCALING_HEADING);
  // Each writes its own section (the path lab needs root; it says so and skips otherwise).
  for (const part of ["rudp_path.ts", "rudp_ceiling.ts", "udp_send_cost.ts", "rudp_core.ts"]) {
    progress(part);
    const flags = [...(quick ? ["--quick"] : []), ...(values["no-write"] ? ["--no-write"] : [])];
    const args = ["run", "-A", join(ROOT, "bench", part), ...flags];
    const { code } = await new Deno.Command(Deno.execPath(), { args, stdin: "null" }).spawn()
      .status;
    if (code !== 0) console.error(`bench: ${part} exited with ${code}`);
  }
}
