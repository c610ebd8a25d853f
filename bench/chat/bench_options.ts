/**
 * Command-line flags of `deno task bench` (bench/main.ts).
 * @module
 */

import { type ServerName, SERVERS } from "./chat_bench.ts";
import { parseShapes, type ShapeName } from "./room_shape.ts";

/** Which benchmarks to run. */
export type BenchPart = "chat" | "rudp";

/** What `deno task bench` was asked to do. */
export interface BenchOptions {
  /** Benchmarks to run, in order. */
  parts: BenchPart[];
  /** A fast smoke run: 100 users, short windows, RESULTS.md untouched. */
  quick: boolean;
  /** Numbers of users, or `null` for the default (100, 1000, 5000; 100 when quick). */
  sizes: number[] | null;
  /** Servers to drive, or `null` for all. */
  servers: ServerName[] | null;
  /** Room shapes, or `null` for all (only the one-room shape when quick). */
  shapes: ShapeName[] | null;
  /** Also profile the hub at full fan-out with 1000 users. */
  profile: boolean;
  /** Update bench/RESULTS.md (default: only for a full, unfiltered run). */
  write: boolean;
}

/** What the command line asked for, help, or what was wrong with it. */
export type ParsedBenchArgs =
  | { kind: "run"; options: BenchOptions }
  | { kind: "help" }
  | { kind: "error"; message: string };

/** The help text. */
export const BENCH_USAGE = `Usage: deno task bench [options]

Runs the chat benchmark (our hub on its chat port and, when server.ts has --irc-port, its
IRC port; ngircd and inspircd as the references when installed), then bench/rudp.ts if it
exists. A full run writes its tables into bench/RESULTS.md.

Options:
  --only chat|rudp       run one benchmark only
  --quick                fast smoke run: 100 clients in one room, short windows and idle
                         waits, RESULTS.md untouched
  --clients N[,N...]     numbers of connected clients in the one-room runs
                         (default 100,1000,5000)
  --servers LIST         servers to drive, of hub,hub-tls,hub-irc,hub-nohist,ngircd,inspircd
                         (default all; hub-tls is the hub's chat port over TLS, hub-nohist the
                         hub with --history off)
  --shapes LIST          room shapes, of one,10x100,1x1000 (default all)
  --profile              also profile the hub at full fan-out with 1000 clients
  --write / --no-write   update bench/RESULTS.md or not (default: only on a full run)
  -h, --help             show this help`;

/** Parses the flags; never throws. */
export function parseBenchArgs(args: readonly string[]): ParsedBenchArgs {
  const options: BenchOptions = {
    parts: ["chat", "rudp"],
    quick: false,
    sizes: null,
    servers: null,
    shapes: null,
    profile: false,
    write: false,
  };
  let write: boolean | null = null;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = splitFlag(args[i]!);
    if (flag === "-h" || flag === "--help") return { kind: "help" };
    if (flag === "--quick") options.quick = true;
    else if (flag === "--profile") options.profile = true;
    else if (flag === "--write" || flag === "--no-write") write = flag === "--write";
    else if (Object.hasOwn(VALUE_FLAGS, flag)) {
      const problem = VALUE_FLAGS[flag]!(options, inline ?? args[++i] ?? "");
      if (problem !== null) return { kind: "error", message: problem };
    } else {
      return { kind: "error", message: `Unknown option '${args[i]}'` };
    }
  }
  const full = !options.quick && options.sizes === null && options.servers === null &&
    options.shapes === null;
  options.write = write ?? full;
  return { kind: "run", options };
}

// Flags that take a value: each stores it in the options or says what is wrong with it.
const VALUE_FLAGS: Record<string, (options: BenchOptions, value: string) => string | null> = {
  "--only": (options, value) => {
    if (value !== "chat" && value !== "rudp") return "--only takes chat or rudp";
    options.parts = [value];
    return null;
  },
  "--clients": (options, value) => {
    const sizes = value.split(",").map(Number);
    if (sizes.some((n) => !Number.isInteger(n) || n < 2)) {
      return "--clients takes whole numbers of at least 2, comma separated";
    }
    options.sizes = sizes;
    return null;
  },
  "--servers": (options, value) => {
    const servers = value.split(",");
    if (servers.some((s) => !(SERVERS as readonly string[]).includes(s))) {
      return `--servers takes ${SERVERS.join(", ")}, comma separated`;
    }
    options.servers = servers as ServerName[];
    return null;
  },
  "--shapes": (options, value) => {
    const shapes = parseShapes(value);
    if (shapes === null) return "--shapes takes one, 10x100 and/or 1x1000, comma separated";
    options.shapes = shapes;
    return null;
  },
};

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return arg.startsWith("--") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}
