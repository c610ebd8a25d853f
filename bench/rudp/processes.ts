/**
 * Processes of the file-channel benchmark: one-off commands timed with their CPU use, and
 * long-running services (server, relay) whose output lines are collected as they come.
 * Linux only: CPU comes from `/proc/PID/stat` (`bench/lib/proc_stats.ts`) and the shell's `times`.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { readCpuMs } from "../lib/proc_stats.ts";
import { SODIUM_PATHS } from "../../lib/net/sodium_chacha_poly.ts";
import { LIBC_PATHS } from "../../lib/net/libc.ts";

/** The repository root, where `server.ts` and `client.ts` live. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** `deno run` with what the programs need (as `deno task server` grants it). */
export const RUN = [
  "run",
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  `--allow-ffi=${[...SODIUM_PATHS, ...LIBC_PATHS].join(",")}`,
];
/**
 * The V8 flags `deno task server` runs the server with (read from `deno.json`, so the bench
 * measures the server as users run it).
 */
export const SERVER_V8_FLAGS: string[] = (() => {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));
  return String(config.tasks?.server ?? "").split(" ").filter((w) => w.startsWith("--v8-flags="));
})();
const DEFAULT_WAIT_MS = 30_000;

/** How a timed command ended. */
export interface TimedRun {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** User plus system CPU time of the command and its children, seconds. */
  cpuSeconds: number;
}

/**
 * Runs `deno ARGS...` to its end, or until `timeoutMs` passes (then it is killed and the run
 * fails); the shell's `times` reports its CPU use.
 */
export async function runTimed(args: string[], timeoutMs = Infinity): Promise<TimedRun> {
  const started = performance.now();
  const child = new Deno.Command("sh", {
    args: ["-c", '"$@" & p=$!; trap "kill $p" TERM; wait $p; s=$?; times >&2; exit $s', "sh"]
      .concat([Deno.execPath(), ...args]),
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => child.kill("SIGTERM"), timeoutMs)
    : undefined;
  const output = await child.output().finally(() => clearTimeout(timer));
  const wallMs = performance.now() - started;
  const stderr = new TextDecoder().decode(output.stderr).trimEnd().split("\n");
  const children = stderr.pop() ?? "";
  stderr.pop(); // the shell's own times
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: stderr.join("\n"),
    wallMs,
    cpuSeconds: parseTimes(children),
  };
}

/** Parses a `times` line, `0m0.290000s 0m0.117000s`, into user plus system seconds. */
function parseTimes(line: string): number {
  let total = 0;
  for (const [, minutes, seconds] of line.matchAll(/(\d+)m([\d.]+)s/g)) {
    total += Number(minutes) * 60 + Number(seconds);
  }
  return total;
}

/** CPU seconds (user + system) a live process has used so far; throws if it is gone. */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const ms = await readCpuMs(pid);
  if (ms === null) throw new Error(`Cannot read the CPU time of process ${pid}`);
  return ms / 1000;
}

/** A long-running process (`deno` unless told) whose output lines are kept as they arrive. */
export class Service {
  readonly child: Deno.ChildProcess;
  readonly lines: { at: number; stream: "stdout" | "stderr"; text: string }[] = [];
  readonly #reading: Promise<void>[];
  #waiters: (() => void)[] = [];

  /** Starts `PROGRAM ARGS...` in the repository root; `program` is this `deno` by default. */
  constructor(args: string[], program: string = Deno.execPath()) {
    this.child = new Deno.Command(program, {
      args,
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#reading = [
      this.#read(this.child.stdout, "stdout"),
      this.#read(this.child.stderr, "stderr"),
    ];
  }

  /** Waits for a line matching `pattern` at index `from` or later; returns its match. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = DEFAULT_WAIT_MS): Promise<RegExpExecArray> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) {
        const match = pattern.exec(this.lines[i]!.text);
        if (match !== null) return match;
      }
      if (performance.now() > deadline) {
        const tail = this.lines.slice(-5).map((l) => l.text).join("\n");
        throw new Error(`No line matching ${pattern} in time; last lines:\n${tail}`);
      }
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, 100);
        this.#waiters.push(() => (clearTimeout(timer), wake()));
      });
    }
  }

  /** CPU seconds used so far. */
  cpuSeconds(): Promise<number> {
    return cpuSecondsOf(this.child.pid);
  }

  /** Sends `signal` and waits for the process and its output to end. */
  async stop(signal: Deno.Signal = "SIGTERM"): Promise<Deno.CommandStatus> {
    try {
      this.child.kill(signal);
    } catch {
      // Exited already.
    }
    const status = await this.child.status;
    await Promise.all(this.#reading);
    return status;
  }

  async #read(stream: ReadableStream<Uint8Array>, name: "stdout" | "stderr"): Promise<void> {
    let pending = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      const parts = pending.split("\n");
      pending = parts.pop()!;
      for (const text of parts) this.lines.push({ at: performance.now(), stream: name, text });
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const wake of waiters) wake();
    }
    if (pending !== "") this.lines.push({ at: performance.now(), stream: name, text: pending });
  }
}
