/**
 * The chat hub's performance targets (issue 10, "Benchmark"), judged against one benchmark run.
 * @module
 */

import type { ChatBenchResult, ScenarioResult, ServerName } from "./chat_bench.ts";
import { sumCounts } from "./delivery_checker.ts";

/** Numbers of users at which CPU per delivery is compared with the IRC servers. */
export const TARGET_SIZES: readonly number[] = [100, 1000, 5000];
/** Users of the login-rate and memory targets. */
export const LOGIN_CLIENTS = 5000;
/** Fewest connections plus logins per second at {@linkcode LOGIN_CLIENTS} users. */
export const MIN_LOGINS_PER_SECOND = 2000;
/** Most server memory per connection right after the logins, KiB. */
export const MAX_KIB_PER_CONNECTION = 10;
/** Users of the TLS fan-out target. */
export const TLS_CLIENTS = 1000;
/** Least fan-out over TLS, as a share of the plaintext fan-out at {@linkcode TLS_CLIENTS} users. */
export const MIN_TLS_FANOUT_SHARE = 0.7;
/** Our hub's two ports: the chat protocol and IRC. */
const HUB_PORTS: readonly ServerName[] = ["hub", "hub-irc"];
/** Our hub on its chat port with history off: the baseline of the history target. */
const NO_HISTORY: ServerName = "hub-nohist";
/** Most CPU per delivery at full speed with history on, as a multiple of it with history off. */
export const MAX_HISTORY_CPU_RATIO = 1.1;
/** Every way the benchmark drives our hub, whose deliveries are all checked. */
const HUB_WAYS: readonly ServerName[] = [...HUB_PORTS, "hub-tls", NO_HISTORY];
/** The reference servers. */
const IRC_SERVERS: readonly ServerName[] = ["ngircd", "inspircd"];

/** One target and how the run did against it. */
export interface TargetVerdict {
  target: string;
  required: string;
  measured: string;
  /** `null` when the run did not measure it (skipped or failed). */
  met: boolean | null;
}

/** Which CPU figure: at the fixed rate, or at full speed. */
export type CpuMode = "fixed" | "full";

/**
 * Server CPU µs per delivery of one scenario: its cores in the window over the deliveries per
 * second; `null` when not measured.
 */
export function cpuUsPerDelivery(scenario: ScenarioResult | null, mode: CpuMode): number | null {
  if (scenario === null) return null;
  if (mode === "full") {
    const f = scenario.fanout;
    if (f === null || f.cpu.server === null || f.deliveriesPerSecond <= 0) return null;
    return f.cpu.server * 1e6 / f.deliveriesPerSecond;
  }
  const l = scenario.latency;
  if (l === null || l.cpu.server === null || l.delivered <= 0) return null;
  return l.cpu.server * 1e6 / (l.delivered / l.seconds);
}

/** Judges every target; a target the run could not measure has `met: null`. */
export function judgeTargets(result: ChatBenchResult): TargetVerdict[] {
  const load = count(result.settings.latencyLoad);
  const cpu = TARGET_SIZES.flatMap((clients) => [
    cpuVerdict(result, clients, "fixed", `at ${load} deliveries/s`),
    cpuVerdict(result, clients, "full", "at full speed"),
  ]);
  return [
    ...cpu,
    loginVerdict(result),
    memoryVerdict(result),
    historyVerdict(result),
    checkVerdict(result),
    tlsVerdict(result),
  ];
}

/** The one-room scenario of `server` with `clients` users, if the run has it. */
export function find(
  result: ChatBenchResult,
  server: ServerName,
  clients: number,
): ScenarioResult | null {
  return result.scenarios.find((s) =>
    s.server === server && s.clients === clients && s.shape === "one"
  ) ?? null;
}

function cpuVerdict(
  result: ChatBenchResult,
  clients: number,
  mode: CpuMode,
  how: string,
): TargetVerdict {
  const target = `Server CPU per delivery ${how}, ${count(clients)} clients`;
  const reference = IRC_SERVERS
    .map((server) => [server, cpuUsPerDelivery(find(result, server, clients), mode)] as const)
    .filter((pair): pair is readonly [ServerName, number] => pair[1] !== null)
    .sort((a, b) => a[1] - b[1])[0];
  const required = reference === undefined
    ? "≤ the better IRC server's (none measured)"
    : `≤ the better IRC server's (${reference[0]}: ${us(reference[1])})`;
  const ours = HUB_PORTS
    .map((server) => [server, cpuUsPerDelivery(find(result, server, clients), mode)] as const)
    .filter((pair): pair is readonly [ServerName, number] => pair[1] !== null);
  if (ours.length === 0) return { target, required, measured: "not measured", met: null };
  const measured = ours.map(([server, value]) => `${server}: ${us(value)}`).join(", ");
  const met = reference === undefined ? null : ours.every(([, value]) => value <= reference[1]);
  return { target, required, measured, met };
}

function loginVerdict(result: ChatBenchResult): TargetVerdict {
  const target = `Logins, ${count(LOGIN_CLIENTS)} clients`;
  const required = `≥ ${count(MIN_LOGINS_PER_SECOND)} per second`;
  const ours = HUB_PORTS
    .map((server) => [server, find(result, server, LOGIN_CLIENTS)?.setup ?? null] as const)
    .filter((pair) => pair[1] !== null);
  if (ours.length === 0) return { target, required, measured: "not measured", met: null };
  const measured = ours.map(([server, s]) => `${server}: ${count(s!.perSecond)}/s`).join(", ");
  const met = ours.every(([, s]) =>
    s!.perSecond >= MIN_LOGINS_PER_SECOND && s!.joined === LOGIN_CLIENTS
  );
  return { target, required, measured, met };
}

function memoryVerdict(result: ChatBenchResult): TargetVerdict {
  const target = "Server memory per connection right after the logins";
  const required = `≤ ${MAX_KIB_PER_CONNECTION} KiB`;
  // The largest room gives the least noisy figure: fixed costs are spread over most users.
  const measured = result.scenarios
    .filter((s) => s.server === "hub" && s.kibPerConnectionAtLogin !== null)
    .sort((a, b) => b.clients - a.clients)[0];
  if (measured === undefined) return { target, required, measured: "not measured", met: null };
  const kib = measured.kibPerConnectionAtLogin!;
  return {
    target,
    required,
    measured: `${kib.toFixed(1)} KiB (${count(measured.clients)} clients)`,
    met: kib <= MAX_KIB_PER_CONNECTION,
  };
}

/** The fan-out over TLS against plaintext, at {@linkcode TLS_CLIENTS} users in one room. */
function tlsVerdict(result: ChatBenchResult): TargetVerdict {
  const target = `Fan-out over TLS, ${count(TLS_CLIENTS)} clients`;
  const required = `≥ ${MIN_TLS_FANOUT_SHARE * 100}% of plaintext`;
  const plain = find(result, "hub", TLS_CLIENTS)?.fanout?.deliveriesPerSecond ?? 0;
  const tls = find(result, "hub-tls", TLS_CLIENTS)?.fanout?.deliveriesPerSecond ?? 0;
  if (plain <= 0 || tls <= 0) return { target, required, measured: "not measured", met: null };
  const share = tls / plain;
  const measured = `${(share * 100).toFixed(0)}% (${count(tls)} vs ${count(plain)} deliveries/s)`;
  return { target, required, measured, met: share >= MIN_TLS_FANOUT_SHARE };
}

/**
 * CPU per delivery at full speed with history on over the same with history off, per size
 * both were run at.
 */
function historyVerdict(result: ChatBenchResult): TargetVerdict {
  const target = "Fan-out with history on";
  const required = `within ${Math.round((MAX_HISTORY_CPU_RATIO - 1) * 100)}% of history off ` +
    "(CPU per delivery at full speed)";
  const ratios = TARGET_SIZES.flatMap((clients) => {
    const on = cpuUsPerDelivery(find(result, "hub", clients), "full");
    const off = cpuUsPerDelivery(find(result, NO_HISTORY, clients), "full");
    return on === null || off === null || off <= 0 ? [] : [[clients, on / off] as const];
  });
  if (ratios.length === 0) {
    return { target, required, measured: `not measured: run hub and ${NO_HISTORY}`, met: null };
  }
  const measured = ratios.map(([clients, r]) => `${count(clients)}: ${r.toFixed(2)}×`).join(", ");
  return { target, required, measured, met: ratios.every(([, r]) => r <= MAX_HISTORY_CPU_RATIO) };
}

/** Every delivery of our hub, every way, in every scenario: once, in order, none missing. */
function checkVerdict(result: ChatBenchResult): TargetVerdict {
  const target = "Every delivery checked (hub, both ports and TLS, all scenarios)";
  const required = "no gap, duplicate, reordering or bad line; all expected delivered";
  const ours = result.scenarios.filter((s) => HUB_WAYS.includes(s.server) && s.fanout !== null);
  if (ours.length === 0) return { target, required, measured: "not measured", met: null };
  const checks = sumCounts(
    ours.flatMap((s) => [s.fanout!.checks, ...(s.latency ? [s.latency.checks] : [])]),
  );
  const missing = ours.reduce(
    (n, s) => n + Math.max(0, s.fanout!.expected - s.fanout!.checks.delivered),
    0,
  );
  const measured = `${count(checks.delivered)} checked: ${checks.gaps} gaps, ` +
    `${checks.duplicates} duplicates, ${checks.reordered} reordered, ${checks.malformed} bad, ` +
    `${count(missing)} missing`;
  const met = checks.gaps + checks.duplicates + checks.reordered + checks.malformed + missing === 0;
  return { target, required, measured, met };
}

function us(value: number): string {
  return `${value.toFixed(2)} µs`;
}

/** A whole number with thousands separators. */
export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
