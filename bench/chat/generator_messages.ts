/**
 * The control channel between the benchmark and its load generator process: one JSON object
 * per line, commands on the generator's stdin and one reply per command on its stdout.
 * @module
 */

import type { DialectName } from "./dialect.ts";
import type { LatencySummary } from "./latency_histogram.ts";
import type { CpuShares } from "./cpu_window.ts";
import type { DeliveryCounts } from "./delivery_checker.ts";
import { parseShapes, type ShapeName } from "./room_shape.ts";

/** Connect and log in `clients` users; the first `senders` of them will talk. */
export interface SetupCommand {
  cmd: "setup";
  dialect: DialectName;
  port: number;
  clients: number;
  senders: number;
  /** Logins in progress at once. */
  concurrency: number;
  /** The server's process id, to measure its CPU use. */
  serverPid: number;
  /** How the users are spread over rooms. */
  shape: ShapeName;
  /** The hub's certificate (PEM): the users speak TLS, trusting it (default: plaintext). */
  caCert?: string;
}

/** Senders talk as fast as the server acknowledges, with `window` messages unacknowledged. */
export interface FanoutCommand {
  cmd: "fanout";
  warmupMs: number;
  measureMs: number;
  window: number;
}

/** Senders offer a fixed load; every receiver times every message. */
export interface LatencyCommand {
  cmd: "latency";
  deliveriesPerSecond: number;
  warmupMs: number;
  measureMs: number;
}

/** Close every connection and exit. */
export interface QuitCommand {
  cmd: "quit";
}

/** Anything the benchmark asks of the generator. */
export type GeneratorCommand = SetupCommand | FanoutCommand | LatencyCommand | QuitCommand;

/** How logging in went. */
export interface SetupReport {
  /** Users in the room. */
  joined: number;
  /** Users that could not connect or were refused. */
  failed: number;
  /** From the first connect to the last user in the room. */
  setupMs: number;
  /** Connections plus logins completed per second. */
  perSecond: number;
  /** How long the server took to go quiet afterwards (join notices still flowing). */
  settleMs: number;
  /** A few of the reasons users failed, for the report. */
  reasons: string[];
}

/** Full-speed fan-out. */
export interface FanoutReport {
  /** Messages received, summed over all receivers, per second of the window. */
  deliveriesPerSecond: number;
  /** Messages the server acknowledged per second of the window. */
  messagesPerSecond: number;
  /** Receivers (senders included) that got nothing during the window. */
  silentReceivers: number;
  /** Connections the server closed since setup. */
  lost: number;
  /** CPU used in the window, in cores (1 = one core fully busy). */
  cpu: CpuShares;
  /** How long deliveries went on after the senders stopped (the last byte's arrival). */
  drainMs: number;
  /** Deliveries owed for every message sent in the phase (warm-up and drain included). */
  expected: number;
  /** What the receivers' checks counted over the whole phase (`delivered` vs `expected`). */
  checks: DeliveryCounts;
  /** Latency of every delivery of the phase. */
  latency: LatencySummary;
}

/** Fixed-load latency. */
export interface LatencyReport {
  /** Length of the measurement window, s. */
  seconds: number;
  /** Deliveries per second the senders offered during the window. */
  offeredPerSecond: number;
  /** Messages sent in the window, across all senders. */
  messagesSent: number;
  /** Deliveries those messages should have caused. */
  expected: number;
  /** Deliveries of those messages that arrived (after the drain). */
  delivered: number;
  latency: LatencySummary;
  /** Connections the server closed since setup. */
  lost: number;
  /** CPU used in the window, in cores (1 = one core fully busy). */
  cpu: CpuShares;
  /** What the receivers' checks counted over the whole phase. */
  checks: DeliveryCounts;
}

/** The generator's answer to one command. */
export type GeneratorReply =
  | { ok: true; report: SetupReport | FanoutReport | LatencyReport | null }
  | { ok: false; error: string };

/** Parses one reply line; never throws, returning an error reply for anything unreadable. */
export function parseReply(line: string): GeneratorReply {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, error: `Cannot parse generator reply: ${line.slice(0, 200)}` };
  }
  if (typeof value !== "object" || value === null || !("ok" in value)) {
    return { ok: false, error: `Cannot read generator reply: ${line.slice(0, 200)}` };
  }
  if (value.ok === true && "report" in value) return value as GeneratorReply;
  if (value.ok === false && "error" in value) return { ok: false, error: String(value.error) };
  return { ok: false, error: `Cannot read generator reply: ${line.slice(0, 200)}` };
}

const DIALECT_NAMES: readonly string[] = ["hub", "irc", "irc-echo"] satisfies DialectName[];

/** Parses one command line, or returns why it is not one. */
export function parseCommand(line: string): GeneratorCommand | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: "Cannot parse command: not JSON" };
  }
  if (typeof value !== "object" || value === null || !("cmd" in value)) {
    return { error: "Cannot parse command: no cmd" };
  }
  const command = value as Record<string, unknown>;
  const numbers: Record<string, string[]> = {
    setup: ["port", "clients", "senders", "concurrency", "serverPid"],
    fanout: ["warmupMs", "measureMs", "window"],
    latency: ["deliveriesPerSecond", "warmupMs", "measureMs"],
    quit: [],
  };
  const needed = numbers[String(command.cmd)];
  if (needed === undefined) return { error: `Cannot parse command: unknown cmd '${command.cmd}'` };
  for (const key of needed) {
    if (typeof command[key] !== "number" || !(command[key] >= 0)) {
      return { error: `Cannot parse command: '${key}' must be a non-negative number` };
    }
  }
  if (command.cmd === "setup" && !DIALECT_NAMES.includes(String(command.dialect))) {
    return { error: "Cannot parse command: 'dialect' must be 'hub', 'irc' or 'irc-echo'" };
  }
  if (command.cmd === "setup" && !["undefined", "string"].includes(typeof command.caCert)) {
    return { error: "Cannot parse command: 'caCert' must be a PEM string" };
  }
  if (command.cmd === "setup" && parseShapes(String(command.shape))?.length !== 1) {
    return { error: "Cannot parse command: 'shape' must be a room shape" };
  }
  return command as unknown as GeneratorCommand;
}
