/**
 * The chat benchmark: for each server, room shape and number of users, start the server, have
 * the load generator log users in, run senders flat out, then at a fixed load, and measure.
 * @module
 */

import { SENDERS } from "./client_pool.ts";
import type { DialectName } from "./dialect.ts";
import { GeneratorProcess } from "./generator_process.ts";
import type { FanoutReport, LatencyReport, SetupReport } from "./generator_messages.ts";
import type { CpuShares } from "./cpu_window.ts";
import { readRssKib } from "../lib/proc_stats.ts";
import { QUIET_CORES, waitForQuietMachine } from "../lib/quiet_machine.ts";
import {
  findInspircd,
  findNgircd,
  hubHasIrcPort,
  type ServerHandle,
  startHub,
  startInspircd,
  startNgircd,
} from "./server_process.ts";
import { IDLE_SETTLE_MS, settledRssKib, warmUp } from "./memory_phase.ts";
import { INSPIRCD_LOGIN_CONCURRENCY } from "./inspircd_config.ts";
import { shapeClients, type ShapeName, SHAPES } from "./room_shape.ts";

/**
 * The servers the benchmark knows: `hub-irc` is our hub driven through its IRC port, `hub-tls`
 * through its chat port over TLS, `hub-nohist` on its chat port with `--history off` (the
 * history target's baseline).
 */
export type ServerName = "hub" | "hub-tls" | "hub-irc" | "hub-nohist" | "ngircd" | "inspircd";
/** The protocol the generator speaks to each server. */
export const DIALECT_OF: Record<ServerName, DialectName> = {
  hub: "hub",
  "hub-tls": "hub",
  "hub-irc": "irc-echo",
  "hub-nohist": "hub",
  ngircd: "irc",
  inspircd: "irc",
};
/** Every server, in the order the benchmark runs them. */
export const SERVERS: readonly ServerName[] = [
  "hub",
  "hub-tls",
  "hub-irc",
  "hub-nohist",
  "ngircd",
  "inspircd",
];

/** Settings of {@linkcode runChatBench}. */
export interface ChatBenchOptions {
  /** Numbers of users to try, one fresh server each (default 100, 1000, 5000). */
  sizes?: number[];
  /** Servers to drive (default all; those not installed or not supported are skipped). */
  servers?: ServerName[];
  /**
   * Room shapes (default all): the one-room shape runs with each of `sizes`, the others with
   * the number of users they are made of.
   */
  shapes?: ShapeName[];
  /** Running time before each measurement window (default 1,000 ms). */
  warmupMs?: number;
  /** Length of each measurement window (default 5,000 ms). */
  measureMs?: number;
  /** Unacknowledged messages per sender at full speed (default 16). */
  window?: number;
  /** Offered load of the fixed-rate run in deliveries per second (default 100,000). */
  latencyLoad?: number;
  /** Logins in progress at once (default 32). */
  concurrency?: number;
  /** Idle time before server memory is read, after the warm-up and after the logins (default 30 s). */
  idleSettleMs?: number;
  /** Folder for logs and profiles (default `bench/out`). */
  outDir?: string;
  /** Before each scenario, wait (up to 2 minutes) for other programs to go idle (default true). */
  waitForQuiet?: boolean;
  /** Progress messages (default: to stderr). */
  progress?: (message: string) => void;
}

/** What was measured for one server with one number of users. */
export interface ScenarioResult {
  server: ServerName;
  clients: number;
  shape: ShapeName;
  setup: SetupReport | null;
  /** Server RSS growth per logged-in user once the server has been idle a while, in KiB. */
  kibPerConnection: number | null;
  /** The same right after the last login, before the heap of the login storm is given back. */
  kibPerConnectionAtLogin: number | null;
  fanout: FanoutReport | null;
  latency: LatencyReport | null;
  /** Why the scenario stopped early, or `null`. */
  error: string | null;
}

/** Everything one benchmark run measured. */
export interface ChatBenchResult {
  scenarios: ScenarioResult[];
  /** Servers not run, with the reason. */
  skipped: string[];
  /** Settings used, for the report. */
  settings: Required<Omit<ChatBenchOptions, "progress" | "outDir" | "waitForQuiet">>;
}

/** The default folder for logs and profiles. */
export const DEFAULT_OUT_DIR = new URL("../out", import.meta.url).pathname;

/** Runs every scenario in turn; a failing scenario is reported, not thrown. */
export async function runChatBench(options: ChatBenchOptions = {}): Promise<ChatBenchResult> {
  const settings = {
    sizes: options.sizes ?? [100, 1000, 5000],
    servers: options.servers ?? [...SERVERS],
    shapes: options.shapes ?? [...SHAPES],
    warmupMs: options.warmupMs ?? 1_000,
    measureMs: options.measureMs ?? 5_000,
    window: options.window ?? 16,
    latencyLoad: options.latencyLoad ?? 100_000,
    concurrency: options.concurrency ?? 32,
    idleSettleMs: options.idleSettleMs ?? IDLE_SETTLE_MS,
  };
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const progress = options.progress ?? ((message: string) => console.error(message));
  await Deno.mkdir(outDir, { recursive: true });
  const starters = await findServers(settings.servers, outDir);
  const scenarios: ScenarioResult[] = [];
  for (const { server, start, concurrency } of starters.found) {
    for (const [shape, clients] of plan(settings.shapes, settings.sizes)) {
      if (options.waitForQuiet ?? true) await waitQuietly(progress);
      progress(`chat bench: ${server} with ${clients} clients, rooms: ${shape}`);
      const result = await runScenario(server, clients, {
        start,
        settings: { ...settings, concurrency: concurrency ?? settings.concurrency },
        shape,
        retryWhenDisturbed: options.waitForQuiet ?? true,
        progress,
      });
      progress(`  ${describe(result)}`);
      scenarios.push(result);
    }
  }
  return { scenarios, skipped: starters.skipped, settings };
}

/** The scenarios of one server, in order: the one-room shape at each size, then the others. */
export function plan(
  shapes: readonly ShapeName[],
  sizes: readonly number[],
): [ShapeName, number][] {
  return shapes.flatMap((shape): [ShapeName, number][] => {
    const fixed = shapeClients(shape);
    return fixed === null ? sizes.map((n): [ShapeName, number] => [shape, n]) : [[shape, fixed]];
  });
}

/** A server that can run here: how to start it, and its own login concurrency if it needs one. */
interface Starter {
  server: ServerName;
  start: () => Promise<ServerHandle>;
  concurrency?: number;
}

/** How to start each server asked for that can run here, and why the others cannot. */
async function findServers(servers: readonly ServerName[], outDir: string) {
  const found: Starter[] = [];
  const skipped: string[] = [];
  const ngircd = findNgircd();
  const inspircd = findInspircd();
  for (const server of servers) {
    if (server === "hub") found.push({ server, start: () => startHub({ outDir }) });
    else if (server === "hub-nohist") {
      found.push({ server, start: () => startHub({ outDir, history: false }) });
    } else if (server === "hub-tls") {
      found.push({ server, start: () => startHub({ outDir, tls: true }) });
    } else if (server === "hub-irc") {
      if (await hubHasIrcPort()) {
        found.push({
          server,
          start: () => startHub({ outDir, irc: true }),
        });
      } else skipped.push("hub-irc: server.ts has no --irc-port yet (branch ircwire not merged)");
    } else if (server === "ngircd") {
      if (ngircd !== null) found.push({ server, start: () => startNgircd(ngircd, outDir) });
      else skipped.push("ngircd: not installed (apt-get install ngircd)");
    } else if (inspircd !== null) {
      const start = () => startInspircd(inspircd, outDir);
      found.push({ server, start, concurrency: INSPIRCD_LOGIN_CONCURRENCY });
    } else skipped.push("inspircd: not installed (apt-get install inspircd)");
  }
  return { found, skipped };
}

/** Settings of one scenario. */
export type ScenarioSettings = Omit<ChatBenchResult["settings"], "sizes" | "servers" | "shapes">;

/** Settings of {@linkcode runScenario}. */
export interface ScenarioOptions {
  /** Starts the server under test. */
  start: () => Promise<ServerHandle>;
  /** Phase lengths, window and load. */
  settings: ScenarioSettings;
  /** How the users are spread over rooms (default: all in one). */
  shape?: ShapeName;
  /**
   * Measure a phase again (up to {@linkcode MAX_TRIES} times in all, keeping the least
   * disturbed) when other programs kept {@linkcode QUIET_CORES} or more busy during its
   * window (default true).
   */
  retryWhenDisturbed?: boolean;
  /** Progress messages (default: none). */
  progress?: (message: string) => void;
}

/** Most measurements of one phase when other programs keep disturbing it. */
export const MAX_TRIES = 3;

/** Runs one server with one number of users through every phase. */
export async function runScenario(
  server: ServerName,
  clients: number,
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const result: ScenarioResult = {
    server,
    clients,
    shape: options.shape ?? "one",
    setup: null,
    kibPerConnection: null,
    kibPerConnectionAtLogin: null,
    fanout: null,
    latency: null,
    error: null,
  };
  let handle: ServerHandle | null = null;
  let generator: GeneratorProcess | null = null;
  try {
    handle = await options.start();
    generator = new GeneratorProcess();
    await measure(result, handle, generator, options);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    // Killing the server first spares both sides announcing thousands of departures.
    await handle?.stop("SIGKILL");
    await generator?.quit();
  }
  return result;
}

/** Fills `result` phase by phase, so a failure keeps what was measured before it. */
async function measure(
  result: ScenarioResult,
  server: ServerHandle,
  generator: GeneratorProcess,
  options: ScenarioOptions,
): Promise<void> {
  const { concurrency, warmupMs, measureMs, window, latencyLoad, idleSettleMs } = options.settings;
  const users = {
    dialect: DIALECT_OF[result.server],
    port: server.port,
    senders: SENDERS,
    serverPid: server.pid,
    shape: result.shape,
    ...(server.caCert === undefined ? {} : { caCert: server.caCert }),
  };
  // Memory is measured in the one-room runs; the room shapes measure delivery only.
  const memory = result.shape === "one";
  if (memory) await warmUp(users);
  const before = memory ? await settledRssKib(server.pid, idleSettleMs) : null;
  result.setup = await generator.setup({ ...users, clients: result.clients, concurrency });
  const atLogin = await readRssKib(server.pid);
  const idle = memory ? await settledRssKib(server.pid, idleSettleMs) : null;
  const joined = result.setup.joined;
  if (before !== null && joined > 0) {
    if (atLogin !== null) result.kibPerConnectionAtLogin = (atLogin - before) / joined;
    if (idle !== null) result.kibPerConnection = (idle - before) / joined;
  }
  result.fanout = await leastDisturbed(
    () => generator.fanout({ warmupMs, measureMs, window }),
    options,
  );
  const deliveriesPerSecond = latencyLoad;
  result.latency = await leastDisturbed(
    () => generator.latency({ deliveriesPerSecond, warmupMs, measureMs }),
    options,
  );
}

/** Measures until other programs leave the window alone, or {@linkcode MAX_TRIES} times. */
async function leastDisturbed<T extends { cpu: CpuShares }>(
  measureOnce: () => Promise<T>,
  options: ScenarioOptions,
): Promise<T> {
  const tries = (options.retryWhenDisturbed ?? true) ? MAX_TRIES : 1;
  const others = (report: T) => report.cpu.background ?? 0;
  let best = await measureOnce();
  for (let attempt = 2; attempt <= tries && others(best) >= QUIET_CORES; attempt++) {
    options.progress?.(
      `  other programs used ${others(best).toFixed(2)} cores meanwhile; measuring again`,
    );
    await waitForQuietMachine();
    const report = await measureOnce();
    if (others(report) < others(best)) best = report;
  }
  return best;
}

async function waitQuietly(progress: (message: string) => void): Promise<void> {
  let told = false;
  const cores = await waitForQuietMachine({
    onBusy: (cores) => {
      if (!told) {
        progress(`chat bench: other programs keep ${cores.toFixed(2)} cores busy; waiting`);
      }
      told = true;
    },
  });
  if (told) progress(`chat bench: going on with ${cores?.toFixed(2) ?? "?"} cores busy`);
}

function describe(result: ScenarioResult): string {
  if (result.error !== null) return `failed: ${result.error}`;
  const parts = [
    `setup ${Math.round(result.setup?.perSecond ?? 0)}/s`,
    `fan-out ${Math.round(result.fanout?.deliveriesPerSecond ?? 0)}/s`,
    `checks ${JSON.stringify(result.fanout?.checks ?? null)}`,
    `p99 ${result.latency?.latency.p99Ms.toFixed(2)} ms`,
  ];
  if (result.kibPerConnection !== null || result.kibPerConnectionAtLogin !== null) {
    parts.push(
      `${result.kibPerConnection?.toFixed(1)} KiB/conn idle` +
        ` (${result.kibPerConnectionAtLogin?.toFixed(1)} right after the logins)`,
    );
  }
  return parts.join(", ");
}
