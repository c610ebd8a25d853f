/**
 * `deno task netsim`: a UDP relay that impairs real traffic the way the simulator does (delay,
 * jitter, loss, bursts, duplication, reordering, corruption, a rate-limited bottleneck, MTU),
 * printing its counters periodically and when stopped. `--help` lists the flags.
 *
 * With `--tcp` it also passes TCP through, unimpaired, from the same address: a client pointed
 * at the relay's host then talks chat to the server through it and sends its file-channel
 * datagrams to the relay, since the client sends them to the chat host at the port the grant
 * names. Pick a second loopback address for the relay (127.0.0.2) and the server's ports.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { ImpairmentOptions } from "../lib/netsim/impairment.ts";
import { withoutTaskSeparator } from "../lib/cli/task_separator.ts";
import {
  type RelayAddress,
  type RelayDirectionStats,
  UdpRelay,
  type UdpRelayStats,
} from "./relay/udp_relay.ts";

/** Usage text of the relay. */
export const NETSIM_USAGE =
  `Usage: deno task netsim -- --listen HOST:PORT --target HOST:PORT [options]

Relays UDP datagrams from clients at --listen to the server at --target and back, impairing
both directions (or one, with --direction) the way the network simulator does.

  --listen HOST:PORT     where clients send (required; port 0 picks a free one)
  --target HOST:PORT     the server's UDP address (required)
  --delay MS             one-way delay (default 0)
  --jitter MS            extra delay drawn from [0, MS), may reorder (default 0)
  --loss PCT             random loss, percent (default 0)
  --burst ENTER,EXIT     burst loss: percent chances per datagram to enter and to leave
                         a state where everything is lost (default none)
  --duplicate PCT        datagrams delivered twice, percent (default 0)
  --reorder PCT          datagrams held back by --reorder-delay, percent (default 0)
  --reorder-delay MS     how long a reordered datagram is held back (default 5)
  --corrupt PCT          datagrams with 1 to 3 bits flipped, percent (default 0)
  --rate RATE            bottleneck rate: 10mbit, 500kbit, 1gbit, or bytes per second
                         as 2MB, 512KB, 100000B (default unlimited)
  --queue BYTES          bottleneck queue before tail drop (default 212992)
  --mtu BYTES            drop datagrams larger than this (default none)
  --direction WHICH      both, to-server or to-client: which way is impaired (default both)
  --seed N               seed of the random choices (default 1)
  --tcp                  also forward TCP from --listen to --target, unimpaired
  --stats-every S        print counters every S seconds; 0 prints them only at exit (default 5)
  --json                 print counters as JSON lines
  -h, --help             show this help

Example:
  deno task netsim -- --listen 127.0.0.2:50000 --target 127.0.0.1:50000 --tcp \\
    --loss 5 --delay 10 --jitter 2 --duplicate 1 --reorder 1 --corrupt 0.1 --rate 10mbit
  deno task client --host 127.0.0.2 --port 50000 --name me get notes.txt
`;

/** Everything the relay CLI needs. */
export interface NetsimConfig {
  listen: RelayAddress;
  target: RelayAddress;
  toServer: ImpairmentOptions;
  toClient: ImpairmentOptions;
  seed: number;
  tcp: boolean;
  statsEveryMs: number;
  json: boolean;
}

/** What the command line asks for. */
export type NetsimCommand =
  | { kind: "run"; config: NetsimConfig }
  | { kind: "help" }
  | { kind: "error"; message: string };

/** Parses the relay's command line; bad values come back as `error` with a clear message. */
export function parseNetsimArgs(args: string[]): NetsimCommand {
  // `deno task netsim -- --flags` hands the script the `--` too.
  if (args[0] === "--") args = args.slice(1);
  try {
    return parseOrThrow(args);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "error", message: message.replace(/\. To specify a positional.*$/s, "") };
  }
}

const STRING_FLAGS = [
  "listen",
  "target",
  "delay",
  "jitter",
  "loss",
  "burst",
  "duplicate",
  "reorder",
  "reorder-delay",
  "corrupt",
  "rate",
  "queue",
  "mtu",
  "direction",
  "seed",
  "stats-every",
] as const;

function parseOrThrow(args: string[]): NetsimCommand {
  const { values } = parseArgs({
    args: withoutTaskSeparator(args),
    strict: true,
    allowPositionals: false,
    options: {
      ...Object.fromEntries(STRING_FLAGS.map((name) => [name, { type: "string" as const }])),
      tcp: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { kind: "help" };
  const strings = values as Record<string, string | boolean | undefined>;
  const flag = (name: (typeof STRING_FLAGS)[number]) => strings[name] as string | undefined;
  const listen = flag("listen");
  const target = flag("target");
  if (listen === undefined || target === undefined) {
    throw new Error("Both --listen HOST:PORT and --target HOST:PORT are needed");
  }
  const impairment = parseImpairment(flag);
  const direction = flag("direction") ?? "both";
  if (!["both", "to-server", "to-client"].includes(direction)) {
    throw new Error(`Invalid direction '${direction}': expected both, to-server or to-client`);
  }
  return {
    kind: "run",
    config: {
      listen: parseAddress(listen, "--listen", true),
      target: parseAddress(target, "--target", false),
      toServer: direction === "to-client" ? {} : impairment,
      toClient: direction === "to-server" ? {} : impairment,
      seed: number(flag("seed") ?? "1", "seed", 0, 0xffff_ffff, true),
      tcp: values.tcp === true,
      statsEveryMs: 1000 * number(flag("stats-every") ?? "5", "stats interval", 0, 86_400),
      json: values.json === true,
    },
  };
}

function parseImpairment(flag: (name: (typeof STRING_FLAGS)[number]) => string | undefined) {
  const options: ImpairmentOptions = {};
  const ms = (name: "delay" | "jitter" | "reorder-delay") => {
    const value = flag(name);
    return value === undefined ? undefined : number(value, name, 0, 60_000);
  };
  const pct = (name: "loss" | "duplicate" | "reorder" | "corrupt") => {
    const value = flag(name);
    return value === undefined ? undefined : number(value, name, 0, 100) / 100;
  };
  const set = <K extends keyof ImpairmentOptions>(key: K, value: ImpairmentOptions[K]) => {
    if (value !== undefined) options[key] = value;
  };
  set("delayMs", ms("delay"));
  set("jitterMs", ms("jitter"));
  set("reorderDelayMs", ms("reorder-delay"));
  set("loss", pct("loss"));
  set("duplicate", pct("duplicate"));
  set("reorder", pct("reorder"));
  set("corrupt", pct("corrupt"));
  const burst = flag("burst");
  if (burst !== undefined) set("burst", parseBurst(burst));
  const rate = flag("rate");
  if (rate !== undefined) set("rateBytesPerSecond", parseRate(rate));
  const queue = flag("queue");
  if (queue !== undefined) set("queueBytes", number(queue, "queue", 1, 2 ** 31, true));
  const mtu = flag("mtu");
  if (mtu !== undefined) set("mtu", number(mtu, "mtu", 1, 65_535, true));
  return options;
}

/** Parses `10mbit`, `500kbit`, `1gbit`, `2MB`, `512KB` or `100000B` into bytes per second. */
export function parseRate(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmMgG]?)([a-zA-Z]+)$/.exec(text.trim());
  const unit = match?.[3];
  // "bit" in any case counts bits; only a capital "B" counts bytes, so "10mb" is refused.
  const bits = unit?.toLowerCase() === "bit";
  if (match === null || (!bits && unit !== "B")) {
    throw new Error(`Invalid rate '${text}': expected a number and a unit, as 10mbit or 2MB`);
  }
  const scale = { "": 1, k: 1e3, m: 1e6, g: 1e9 }[match[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  const value = Number(match[1]) * scale / (bits ? 8 : 1);
  if (!(value > 0)) throw new Error(`Invalid rate '${text}': must be above zero`);
  return value;
}

function parseBurst(text: string) {
  const parts = text.split(",");
  if (parts.length !== 2) {
    throw new Error(`Invalid burst '${text}': expected ENTER,EXIT percentages, as 1,30`);
  }
  return {
    enter: number(parts[0]!, "burst enter", 0, 100) / 100,
    exit: number(parts[1]!, "burst exit", 0, 100) / 100,
  };
}

function parseAddress(text: string, what: string, portZeroOk: boolean): RelayAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d+)$/.exec(text.trim());
  const hostname = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (hostname === undefined || !(port >= (portZeroOk ? 0 : 1) && port <= 65535)) {
    throw new Error(`Invalid ${what} '${text}': expected HOST:PORT, as 127.0.0.1:50000`);
  }
  return { hostname: hostname === "localhost" ? "127.0.0.1" : hostname, port };
}

function number(text: string, what: string, min: number, max: number, integer = false): number {
  const value = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!(value >= min && value <= max) || (integer && !Number.isInteger(value))) {
    const kind = integer ? "an integer" : "a number";
    throw new Error(`Invalid ${what} '${text}': expected ${kind} from ${min} to ${max}`);
  }
  return value;
}

/** Formats the counters on one line. */
export function formatStats(stats: UdpRelayStats): string {
  const side = (name: string, s: RelayDirectionStats) => {
    const i = s.impairment;
    const drops = i.lost + i.queueDrops + i.mtuDrops + s.queueOverflows + s.sendErrors;
    return `${name} ${i.sent} in, ${s.forwarded} out (${
      (s.forwardedBytes / 1e6).toFixed(1)
    } MB), ` +
      `${drops} dropped (${i.lost} lost, ${i.queueDrops} queue, ${i.mtuDrops} mtu, ` +
      `${s.queueOverflows} relay queue, ${s.sendErrors} send errors), ${i.duplicated} dup, ` +
      `${i.reordered} reord, ${i.corrupted} corrupt`;
  };
  return `${side("to-server", stats.toServer)}; ${side("to-client", stats.toClient)}; ` +
    `${stats.flows} clients`;
}

async function run(config: NetsimConfig): Promise<number> {
  let relay: UdpRelay;
  try {
    relay = new UdpRelay(config);
  } catch (error) {
    console.error(`netsim: Cannot listen on UDP ${show(config.listen)}: ${describe(error)}`);
    return 1;
  }
  let tcp: TcpForward | null = null;
  try {
    if (config.tcp) tcp = new TcpForward({ ...config.listen, port: relay.port }, config.target);
  } catch (error) {
    await relay.close();
    console.error(`netsim: Cannot listen on TCP ${show(config.listen)}: ${describe(error)}`);
    return 1;
  }
  const print = () =>
    console.log(config.json ? JSON.stringify(relay.stats()) : formatStats(relay.stats()));
  const where = `${config.listen.hostname}:${relay.port}`;
  console.error(`netsim: relaying ${where} -> ${show(config.target)}${tcp ? " (udp, tcp)" : ""}`);
  const timer = config.statsEveryMs > 0 ? setInterval(print, config.statsEveryMs) : undefined;
  await nextSignal();
  clearInterval(timer);
  await tcp?.close();
  await relay.close();
  print();
  return 0;
}

/** Passes TCP connections through to the target, unimpaired. */
class TcpForward {
  readonly #listener: Deno.TcpListener;
  readonly #conns = new Set<Deno.TcpConn>();
  readonly #accepting: Promise<void>;

  constructor(listen: RelayAddress, readonly target: RelayAddress) {
    this.#listener = Deno.listen(listen);
    this.#accepting = this.#accept();
  }

  async close(): Promise<void> {
    this.#listener.close();
    for (const conn of this.#conns) conn.close();
    await this.#accepting;
  }

  async #accept(): Promise<void> {
    for (;;) {
      let inbound: Deno.TcpConn;
      try {
        inbound = await this.#listener.accept();
      } catch {
        return;
      }
      this.#pipe(inbound).catch(() => {});
    }
  }

  async #pipe(inbound: Deno.TcpConn): Promise<void> {
    this.#conns.add(inbound);
    const outbound = await Deno.connect(this.target).catch(() => null);
    if (outbound === null) return void this.#drop(inbound);
    this.#conns.add(outbound);
    await Promise.allSettled([
      inbound.readable.pipeTo(outbound.writable),
      outbound.readable.pipeTo(inbound.writable),
    ]);
    this.#drop(inbound);
    this.#drop(outbound);
  }

  #drop(conn: Deno.TcpConn): void {
    this.#conns.delete(conn);
    try {
      conn.close();
    } catch {
      // Closed by the pipe already.
    }
  }
}

function nextSignal(): Promise<void> {
  const { promise, resolve } = Promise.withResolvers<void>();
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, resolve);
  return promise;
}

function show(address: RelayAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (import.meta.main) {
  const command = parseNetsimArgs(Deno.args);
  if (command.kind === "help") {
    console.log(NETSIM_USAGE);
  } else if (command.kind === "error") {
    console.error(`netsim: ${command.message}\nTry 'deno task netsim -- --help'.`);
    Deno.exit(2);
  } else {
    Deno.exit(await run(command.config));
  }
}
