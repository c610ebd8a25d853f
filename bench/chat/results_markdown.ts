/**
 * The chat benchmark's report as Markdown, and its place in bench/RESULTS.md.
 * @module
 */

import { type ChatBenchResult, MAX_TRIES, type ScenarioResult } from "./chat_bench.ts";
import { SENDERS } from "./client_pool.ts";
import { WARMUP_USERS } from "./memory_phase.ts";
import { ackInterval } from "./fanout_phase.ts";
import type { CpuShares } from "./cpu_window.ts";
import type { MachineInfo } from "./machine_info.ts";
import { QUIET_CORES } from "../lib/quiet_machine.ts";
import type { HubProfile } from "./profile_run.ts";
import { INSPIRCD_LOGIN_CONCURRENCY } from "./inspircd_config.ts";
import { count, cpuUsPerDelivery, judgeTargets } from "./targets.ts";
import type { DeliveryCounts } from "./delivery_checker.ts";

/** Renders the results section: where and how it ran, the targets, then one table per phase. */
export function renderChatResults(
  result: ChatBenchResult,
  machine: MachineInfo,
  command: string,
): string {
  const failures = result.scenarios
    .filter((r) => r.error !== null)
    .map((r) =>
      `- ${r.server} with ${count(r.clients)} clients (rooms: ${r.shape}) failed: ${r.error}`
    );
  return [
    describeRun(result, machine, command),
    "### Targets",
    targetTable(result),
    "### Per delivery",
    table(SUMMARY_HEADER, result.scenarios.map((r) => summaryRow(r))),
    "### Connection setup and memory",
    table(SETUP_HEADER, result.scenarios.map(setupRow)),
    "### Fan-out at full speed",
    table(FANOUT_HEADER, result.scenarios.map(fanoutRow)),
    `### Latency at ${count(result.settings.latencyLoad)} deliveries/s`,
    table(LATENCY_HEADER, result.scenarios.map(latencyRow)),
    ...(failures.length > 0 ? [failures.join("\n")] : []),
  ].join("\n\n");
}

const SUMMARY_HEADER = [
  "Server",
  "Rooms",
  "Clients",
  "CPU µs/delivery, fixed rate",
  "CPU µs/delivery, full speed",
  "p99, fixed rate",
  "Logins/s",
  "RSS/conn after logins",
];
const SETUP_HEADER = [
  "Server",
  "Rooms",
  "Clients",
  "Joined",
  "Connect + login /s",
  "RSS per conn, right after logins",
  "RSS per idle conn",
];
const CPU = "CPU server / gen / other";
const CHECKS = "Delivered / expected; gaps, dup, reord, bad";
const FANOUT_HEADER = [
  "Server",
  "Rooms",
  "Clients",
  "Deliveries/s",
  "Messages/s acked",
  "Backlog drain",
  "Dropped",
  "Silent",
  "p99",
  CHECKS,
  CPU,
];
const LATENCY_HEADER = [
  "Server",
  "Rooms",
  "Clients",
  "Messages/s",
  "Delivered",
  "p50",
  "p99",
  "p99.9",
  "max",
  "Gaps, dup, reord, bad",
  CPU,
];

function describeRun(result: ChatBenchResult, machine: MachineInfo, command: string): string {
  const s = result.settings;
  const ngircd = machine.ngircd === null ? "" : `, ngircd ${machine.ngircd}`;
  return [
    `Measured ${machine.date} with \`${command}\` on ${machine.cpu}, ${machine.cores} cores, ` +
    `Linux ${machine.kernel}, Deno ${machine.deno}${ngircd}.`,
    "",
    `Server and load generator are separate processes on the same ${machine.cores} cores. ` +
    `Each run: a fresh server, users logged in ${s.concurrency} at a time, ${SENDERS} of them senders; ` +
    `${s.warmupMs} ms warm-up, then a ${s.measureMs} ms measurement window. Full speed: each ` +
    `sender keeps ${s.window} messages unacknowledged (hub: \`ok\`; IRC: a PING every ` +
    `${ackInterval(s.window)} messages). Every user reads and parses every line as a client ` +
    "does (JSON for the hub, IRC for the others); each message carries its sender's sequence " +
    "number and send time, and each recipient checks that it got every message of every sender " +
    "once and in order (gaps, duplicates, reorderings and bad lines counted) and times it. " +
    "Rooms: *one* is everyone in one room; *10x100* is ten rooms of 100 (hub: protocol 2 " +
    "`join`; IRC: `JOIN`), one sender in each; *1x1000* is one joined room of 1,000. *CPU " +
    "µs/delivery* is the server's CPU time in the window over the deliveries in it. " +
    `InspIRCd logs users in ${count(INSPIRCD_LOGIN_CONCURRENCY)} at a time: it completes a ` +
    "registration on its once-a-second timer, by design, so its logins per second are bounded " +
    "by how many wait at once, not by its work. " +
    `Memory (one-room runs only): before the users log in, ${WARMUP_USERS} ` +
    "users log in, talk and leave (so code run once is not charged to them), and the " +
    `server's RSS after ${seconds(s.idleSettleMs)} idle is the baseline; *RSS per idle conn* ` +
    `is the growth, after another ${seconds(s.idleSettleMs)} idle, divided by the users ` +
    "logged in. When *messages/s acked* × (clients − 1) " +
    "exceeds *deliveries/s*, the server accepts messages faster than it delivers them; " +
    "*backlog drain* is how long deliveries went on after the senders stopped. Latency: " +
    `${count(s.latencyLoad)} deliveries/s offered, every delivery timed. CPU columns are ` +
    "cores used in the window; *other* is the rest of the machine (other programs). A window " +
    `in which other programs used ${QUIET_CORES} cores or more was measured again (up to ` +
    `${MAX_TRIES} times) and the least disturbed try is shown.`,
    ...result.skipped.map((reason) => `\nSkipped: ${reason}.`),
  ].join("\n");
}

function targetTable(result: ChatBenchResult): string {
  const met = (value: boolean | null) => value === null ? "not measured" : value ? "yes" : "**no**";
  return table(
    ["Target", "Required", "Measured", "Met"],
    judgeTargets(result).map((v) => [v.target, v.required, v.measured, met(v.met)]),
  );
}

function setupRow(r: ScenarioResult): string[] {
  const setup = r.setup;
  const failed = setup === null || setup.failed === 0
    ? ""
    : ` (${setup.failed} failed: ${setup.reasons.join("; ")})`;
  const joined = setup === null ? "-" : count(setup.joined) + failed;
  const rate = setup === null ? "-" : count(setup.perSecond);
  return [
    r.server,
    r.shape,
    count(r.clients),
    joined,
    rate,
    kib(r.kibPerConnectionAtLogin),
    kib(r.kibPerConnection),
  ];
}

function fanoutRow(r: ScenarioResult): string[] {
  const f = r.fanout;
  if (f === null) {
    return [
      r.server,
      r.shape,
      count(r.clients),
      ...FANOUT_HEADER.slice(3).map(() => "-"),
    ];
  }
  return [
    r.server,
    r.shape,
    count(r.clients),
    count(f.deliveriesPerSecond),
    count(f.messagesPerSecond),
    `${count(f.drainMs)} ms`,
    String(f.lost),
    String(f.silentReceivers),
    ms(f.latency.p99Ms),
    `${count(f.checks.delivered)} / ${count(f.expected)}; ${checks(f.checks)}`,
    cpu(f.cpu),
  ];
}

function latencyRow(r: ScenarioResult): string[] {
  const l = r.latency;
  if (l === null) {
    return [
      r.server,
      r.shape,
      count(r.clients),
      ...LATENCY_HEADER.slice(3).map(() => "-"),
    ];
  }
  const delivered = l.expected > 0 ? `${(100 * l.delivered / l.expected).toFixed(1)}%` : "-";
  return [
    r.server,
    r.shape,
    count(r.clients),
    count(l.messagesSent / l.seconds),
    delivered,
    ms(l.latency.p50Ms),
    ms(l.latency.p99Ms),
    ms(l.latency.p999Ms),
    ms(l.latency.maxMs),
    checks(l.checks),
    cpu(l.cpu),
  ];
}

/** Renders the profile section: the run profiled, then the heaviest places. */
export function renderProfile(profile: HubProfile, machine: MachineInfo, command: string): string {
  const lines = [
    `Profiled ${machine.date} with \`${command}\`: the hub with ${
      count(profile.clients)
    } clients ` +
    `at full fan-out (${
      count(profile.fanout.deliveriesPerSecond)
    } deliveries/s under the profilers).`,
  ];
  if (profile.js !== null) {
    const busy = profile.js.busyUs / 1000;
    lines.push(
      "",
      `V8 CPU profile of the whole run, self time, share of ${count(busy)} ms busy:`,
      "",
      table(["Function", "Self"], profile.js.functions.map((e) => [code(e.where), pct(e.share)])),
      "",
      table(
        ["File or category", "Self"],
        profile.js.files.map((e) => [code(e.where), pct(e.share)]),
      ),
    );
  }
  if (profile.perfObjects.length > 0) {
    lines.push(
      "",
      "`perf` samples of the measurement window (kernel and native code included):",
      "",
      table(
        ["Shared object", "Samples"],
        profile.perfObjects.map((r) => [code(r.where), pct(r.share)]),
      ),
      "",
      table(["Symbol", "Samples"], profile.perfSymbols.map((r) => [code(r.where), pct(r.share)])),
    );
  } else {
    lines.push("", "`perf` was not available, so kernel time is not broken down.");
  }
  return lines.join("\n");
}

/** Replaces the text between `<!-- name:begin -->` and `<!-- name:end -->`, or appends it. */
export function spliceSection(document: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body.trim()}\n${end}`;
  const from = document.indexOf(begin);
  const to = document.indexOf(end, from);
  if (from >= 0 && to >= 0) {
    return document.slice(0, from) + block + document.slice(to + end.length);
  }
  return document.trimEnd() + (document.trim() === "" ? "" : "\n\n") + block + "\n";
}

/** A Markdown table; `|` in cells is escaped. */
export function table(header: string[], rows: string[][]): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function summaryRow(r: ScenarioResult): string[] {
  const perDelivery = (value: number | null) => value === null ? "-" : `${value.toFixed(2)} µs`;
  const fixed = r.latency === null ? "-" : ms(r.latency.latency.p99Ms);
  return [
    r.server,
    r.shape,
    count(r.clients),
    perDelivery(cpuUsPerDelivery(r, "fixed")),
    perDelivery(cpuUsPerDelivery(r, "full")),
    fixed,
    r.setup === null ? "-" : count(r.setup.perSecond),
    kib(r.kibPerConnectionAtLogin),
  ];
}

function checks(c: DeliveryCounts): string {
  return `${c.gaps}, ${c.duplicates}, ${c.reordered}, ${c.malformed}`;
}

function cpu(shares: CpuShares): string {
  const f = (n: number | null) => n === null ? "?" : n.toFixed(2);
  return `${f(shares.server)} / ${f(shares.generator)} / ${f(shares.background)}`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function kib(value: number | null): string {
  return value === null ? "-" : `${value.toFixed(1)} KiB`;
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function code(text: string): string {
  return "`" + text.replaceAll("`", "'") + "`";
}
