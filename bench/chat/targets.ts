/**
 * The chat hub's performance targets, judged against one benchmark run.
 * @module
 */

import type { ChatBenchResult, ScenarioResult } from "./chat_bench.ts";

/** Users in the room for the throughput and latency targets. */
export const TARGET_CLIENTS = 1000;
/** Users the hub must hold, all logged in and receiving. */
export const HELD_CLIENTS = 5000;
/** Highest acceptable p99 delivery latency at the fixed load, ms. */
export const MAX_P99_MS = 30;
/** Most server memory per idle connection, KiB. */
export const MAX_KIB_PER_CONNECTION = 10;

/** One target and how the run did against it. */
export interface TargetVerdict {
  target: string;
  required: string;
  measured: string;
  /** `null` when the run did not measure it (skipped or failed). */
  met: boolean | null;
}

/** Judges every target; a target the run could not measure has `met: null`. */
export function judgeTargets(result: ChatBenchResult): TargetVerdict[] {
  const hub = (clients: number) => find(result, "hub", clients);
  return [
    fanoutVerdict(hub(TARGET_CLIENTS), find(result, "ngircd", TARGET_CLIENTS)),
    latencyVerdict(hub(TARGET_CLIENTS)),
    memoryVerdict(result),
    heldVerdict(hub(HELD_CLIENTS)),
  ];
}

function find(result: ChatBenchResult, server: string, clients: number): ScenarioResult | null {
  return result.scenarios.find((s) => s.server === server && s.clients === clients) ?? null;
}

function fanoutVerdict(hub: ScenarioResult | null, ngircd: ScenarioResult | null): TargetVerdict {
  const target = `Fan-out deliveries/s, ${TARGET_CLIENTS} clients`;
  const reference = ngircd?.fanout?.deliveriesPerSecond;
  const required = reference === undefined
    ? "≥ ngircd in the same run (not run)"
    : `≥ ngircd in the same run (${count(reference)})`;
  const measured = hub?.fanout?.deliveriesPerSecond;
  if (measured === undefined) return { target, required, measured: "not measured", met: null };
  return {
    target,
    required,
    measured: count(measured),
    met: reference === undefined ? null : measured >= reference,
  };
}

function latencyVerdict(hub: ScenarioResult | null): TargetVerdict {
  const target = `p99 latency at 300,000 deliveries/s, ${TARGET_CLIENTS} clients`;
  const required = `< ${MAX_P99_MS} ms`;
  const latency = hub?.latency;
  if (latency === undefined || latency === null) {
    return { target, required, measured: "not measured", met: null };
  }
  const p99 = latency.latency.p99Ms;
  const allArrived = latency.delivered >= latency.expected;
  const measured = `${p99.toFixed(1)} ms` + (allArrived ? "" : " (some deliveries missing)");
  return { target, required, measured, met: p99 < MAX_P99_MS && allArrived };
}

function memoryVerdict(result: ChatBenchResult): TargetVerdict {
  const target = "Server memory per idle connection";
  const required = `≤ ${MAX_KIB_PER_CONNECTION} KiB`;
  // The largest room gives the least noisy figure: fixed costs are spread over most users.
  const measured = result.scenarios
    .filter((s) => s.server === "hub" && s.kibPerConnection !== null)
    .sort((a, b) => b.clients - a.clients)[0];
  if (measured === undefined) return { target, required, measured: "not measured", met: null };
  const kib = measured.kibPerConnection!;
  return {
    target,
    required,
    measured: `${kib.toFixed(1)} KiB (${count(measured.clients)} clients)`,
    met: kib <= MAX_KIB_PER_CONNECTION,
  };
}

function heldVerdict(hub: ScenarioResult | null): TargetVerdict {
  const target = `${count(HELD_CLIENTS)} clients held`;
  const required = "all logged in, none dropped, all receiving";
  if (hub?.setup === null || hub?.setup === undefined || hub.fanout === null) {
    return { target, required, measured: hub?.error ?? "not measured", met: null };
  }
  const joined = hub.setup.joined;
  const lost = Math.max(hub.fanout.lost, hub.latency?.lost ?? 0);
  const silent = hub.fanout.silentReceivers;
  return {
    target,
    required,
    measured: `${count(joined)} joined, ${lost} dropped, ${silent} silent`,
    met: joined === HELD_CLIENTS && lost === 0 && silent === 0,
  };
}

/** A whole number with thousands separators. */
export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
