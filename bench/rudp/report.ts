/**
 * The `## File channel` section of bench/RESULTS.md, from the benchmark's measurements.
 *
 * @module
 */

import type { Download } from "./downloads.ts";
import type { ProfileFile } from "../lib/cpu_profile.ts";
import type { RelayOverhead } from "./relay_overhead.ts";

/** Everything one benchmark run measured. */
export interface BenchResults {
  date: string;
  machine: string;
  command: string;
  sizeBytes: number;
  runs: number;
  tcpFile: Download[];
  tcpSocket: Download[];
  direct: Download[];
  datagrams: { bytes: number; runs: Download[] }[];
  relay: { lossPercent: number; runs: Download[] }[];
  overhead: RelayOverhead | null;
  profiles: { label: string; summaries: ProfileFile[] }[];
  /** Most busy cores seen on the machine just before a measurement. */
  busiestBefore: number;
}

/** The run whose goodput is the median (failed runs count as zero). */
export function median(runs: Download[]): Download {
  return medianBy(runs, goodput);
}

/** The item whose `value` is the median (the upper one of an even count); `items` not empty. */
export function medianBy<T>(items: readonly T[], value: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => value(a) - value(b));
  return sorted[sorted.length >> 1]!;
}

function goodput(run: Download): number {
  return run.ok ? run.goodput : 0;
}

/** Renders the whole section, starting with its `## File channel` heading. */
export function renderSection(r: BenchResults): string {
  const tcp = median(r.tcpFile).goodput;
  return [
    "## File channel",
    "",
    `Run ${r.date} on ${r.machine}, with \`${r.command}\`. A ${mib(r.sizeBytes)} MiB file of ` +
    `random bytes; each figure is the median of ${r.runs} run${r.runs === 1 ? "" : "s"}. ` +
    "Goodput is file bytes over the time from the grant to the last byte acknowledged (the " +
    "server's log), in MB/s (10^6 bytes). CPU is user + system seconds of each process during " +
    "the transfer. Kernel drops are datagrams the kernel discarded for a full socket receive " +
    "buffer (`RcvbufErrors`, whole machine) during the run. Busiest the machine was just before " +
    `a measurement: ${r.busiestBefore.toFixed(2)} cores.`,
    "",
    ...loopbackTable(r, tcp),
    ...datagramTable(r, tcp),
    ...relayTable(r, tcp),
    ...overheadTable(r.overhead),
    ...targetsTable(r, tcp),
    ...profileTables(r.profiles),
  ].join("\n");
}

function loopbackTable(r: BenchResults, tcp: number): string[] {
  const row = (label: string, runs: Download[]) => {
    const m = median(runs);
    return `| ${label} | ${status(runs)}${m.goodput.toFixed(0)} | ${pct(m.goodput, tcp)} | ` +
      `${(m.transferMs / 1000).toFixed(2)} | ${(m.wallMs / 1000).toFixed(2)} | ` +
      `${m.cpu.server.toFixed(2)} | ${m.cpu.client.toFixed(2)} | ${m.rcvbufErrors} |`;
  };
  return [
    "### Loopback",
    "",
    "| path | goodput MB/s | of TCP | transfer s | client process s | CPU sender s | " +
    "CPU receiver s | kernel drops |",
    "|---|---|---|---|---|---|---|---|",
    row("TCP, 64 KiB writes, file to file with SHA-256 (baseline)", r.tcpFile),
    row("TCP, 64 KiB writes, socket only", r.tcpSocket),
    row(
      `file channel, \`server.ts\` → \`client.ts get\` (path MTU discovery: ` +
        `${datagramSizes(r.direct)} B datagrams)`,
      r.direct,
    ),
    "",
    "The baseline does what the client does with a download: write the file and hash it. " +
    '"client process" is the whole `client.ts get` run: start-up, login, grant, transfer, ' +
    "final hash check.",
    "",
  ];
}

/** The datagram sizes the server reported at the end of `runs`, e.g. "32768", or "?". */
function datagramSizes(runs: Download[]): string {
  const sizes = new Set(
    runs.flatMap((d) => d.server === undefined ? [] : [d.server.datagramBytes]),
  );
  return sizes.size === 0 ? "?" : [...sizes].sort((a, b) => a - b).join(", ");
}

function datagramTable(r: BenchResults, tcp: number): string[] {
  const best = Math.max(...r.datagrams.map((d) => goodput(median(d.runs))));
  return [
    "### Datagram size (clean loopback, `client.ts --mtu N`)",
    "",
    "| datagram B | goodput MB/s | of TCP | CPU server s | CPU client s | kernel drops | |",
    "|---|---|---|---|---|---|---|",
    ...r.datagrams.map(({ bytes, runs }) => {
      const m = median(runs);
      const mark = goodput(m) === best ? "fastest" : "";
      return `| ${bytes} | ${status(runs)}${m.goodput.toFixed(0)} | ${pct(m.goodput, tcp)} | ` +
        `${m.cpu.server.toFixed(2)} | ${m.cpu.client.toFixed(2)} | ${m.rcvbufErrors} | ${mark} |`;
    }),
    "",
  ];
}

function relayTable(r: BenchResults, tcp: number): string[] {
  const clean = r.relay.find((x) => x.lossPercent === 0);
  const cleanGoodput = clean === undefined ? NaN : median(clean.runs).goodput;
  return [
    "### Through the relay (10 ms each way, the same random loss both ways)",
    "",
    "Relay in its own process: `tools/netsim.ts --listen 127.0.0.2:P --target 127.0.0.1:P " +
    "--tcp --delay 10 --loss L`; the unmodified client talks to 127.0.0.2.",
    "",
    "| loss | goodput MB/s | of TCP | of 0% | transfer s | retransmitted ÷ file | " +
    "relay lost to client / to server | CPU server / client / relay s | kernel drops |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.relay.map(({ lossPercent, runs }) => {
      const m = median(runs);
      const s = m.relay;
      const resent = m.server?.retransmittedBytes;
      const ratio = resent === undefined ? "?" : (resent / r.sizeBytes).toFixed(3);
      const lost = s === undefined
        ? "?"
        : `${s.toClient.impairment.lost} / ${s.toServer.impairment.lost}`;
      return `| ${lossPercent}% | ${status(runs)}${m.goodput.toFixed(1)} | ${
        pct(m.goodput, tcp)
      } | ` +
        `${pct(m.goodput, cleanGoodput)} | ${(m.transferMs / 1000).toFixed(2)} | ${ratio} | ` +
        `${lost} | ${m.cpu.server.toFixed(2)} / ${m.cpu.client.toFixed(2)} / ` +
        `${(m.cpu.relay ?? NaN).toFixed(2)} | ${m.rcvbufErrors} |`;
    }),
    "",
    '"retransmitted ÷ file": file bytes the server sent again after a loss (its `download_done` ' +
    "record), over the file size.",
    "",
  ];
}

function overheadTable(o: RelayOverhead | null): string[] {
  if (o === null) return [];
  const ms = (x: number) => x.toFixed(3);
  return [
    "### The relay itself",
    "",
    "| measure | median | p99 |",
    "|---|---|---|",
    `| 32 B round trip, direct (ms) | ${ms(o.directRtt.median)} | ${ms(o.directRtt.p99)} |`,
    `| 32 B round trip through the relay, no impairment (ms) | ${ms(o.relayRtt.median)} | ` +
    `${ms(o.relayRtt.p99)} |`,
    `| extra round trip over 2 × ${o.delayMs} ms with --delay ${o.delayMs} (ms) | ` +
    `${ms(o.delayedExcess.median)} | ${ms(o.delayedExcess.p99)} |`,
    "",
    "| blast from another process | datagrams/s arriving | MB/s | lost | relay CPU s | " +
    "relay µs per datagram |",
    "|---|---|---|---|---|---|",
    ...o.blasts.flatMap((b) => [
      `| ${b.sent} × ${b.datagramBytes} B, direct | ${b.direct.perSecond.toFixed(0)} | ` +
      `${b.direct.mbps.toFixed(0)} | ${b.direct.lossPercent.toFixed(1)}% | | |`,
      `| ${b.sent} × ${b.datagramBytes} B, through the relay | ` +
      `${b.relayed.perSecond.toFixed(0)} | ${b.relayed.mbps.toFixed(0)} | ` +
      `${b.relayed.lossPercent.toFixed(1)}% | ${b.relayed.relayCpuSeconds.toFixed(2)} | ` +
      `${b.relayed.relayMicrosPerDatagram.toFixed(1)} |`,
    ]),
    "",
  ];
}

function targetsTable(r: BenchResults, tcp: number): string[] {
  const direct = median(r.direct).goodput;
  const at = (loss: number) => r.relay.find((x) => x.lossPercent === loss);
  const clean = at(0);
  const five = at(5);
  const thirty = at(30);
  const share = (a: number, b: number) => a / b;
  const rows: string[] = [
    target("clean loopback ≥ 80% of the TCP baseline", share(direct, tcp), 0.8),
  ];
  if (clean && five) {
    const ratio = share(median(five.runs).goodput, median(clean.runs).goodput);
    rows.push(target("5% loss ≥ 60% of the clean path (relay, 10 ms)", ratio, 0.6));
  }
  if (thirty) {
    const ok = thirty.runs.every((run) => run.ok);
    rows.push(
      `| 30% loss still completes | ${thirty.runs.filter((x) => x.ok).length} of ` +
        `${thirty.runs.length} completed, ${median(thirty.runs).goodput.toFixed(2)} MB/s | ` +
        `${ok ? "yes" : "no"} |`,
    );
  }
  return ["### Targets", "", "| target | measured | met |", "|---|---|---|", ...rows, ""];
}

function target(label: string, ratio: number, goal: number): string {
  if (!Number.isFinite(ratio)) return `| ${label} | – (runs failed) | no |`;
  return `| ${label} | ${(100 * ratio).toFixed(0)}% | ${ratio >= goal ? "yes" : "no"} |`;
}

function profileTables(profiles: BenchResults["profiles"]): string[] {
  const out: string[] = [];
  for (const { label, summaries } of profiles) {
    for (const { file, summary } of summaries) {
      const idleUs = summary.totalUs - summary.busyUs;
      out.push(
        `#### Profile: ${label}, ${file.replace(/\.cpuprofile$/, "")} ` +
          `(${(summary.busyUs / 1000).toFixed(0)} ms busy, ${(idleUs / 1000).toFixed(0)} ms idle)`,
        "",
        "| self ms | share | function | where |",
        "|---|---|---|---|",
        ...summary.functions.map((f) =>
          `| ${(f.selfUs / 1000).toFixed(0)} | ${(100 * f.share).toFixed(1)}% | ${f.name} | ` +
          `${f.location} |`
        ),
        "",
      );
    }
  }
  return out.length === 0 ? [] : ["### Where the time goes (`--cpu-prof`)", "", ...out];
}

function status(runs: Download[]): string {
  const failed = runs.filter((run) => !run.ok).length;
  return failed === 0 ? "" : `(${failed} of ${runs.length} failed) `;
}

function pct(value: number, of: number): string {
  return Number.isFinite(value / of) ? `${(100 * value / of).toFixed(0)}%` : "–";
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}
