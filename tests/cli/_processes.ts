/**
 * Running the programs as users do, for tests: real processes, their output and exit codes.
 * @module
 */

import { fileURLToPath } from "node:url";
import { until as waitUntil } from "../_until.ts";

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The Deno binary running the tests. */
export const DENO = Deno.execPath();
/** `deno run` with the permissions of `deno task`. */
export const RUN = ["run", "--allow-net", "--allow-read", "--allow-write", "--allow-env"];

/** A server process and what it has logged so far. */
export interface Started {
  child: Deno.ChildProcess;
  port: number;
  stderr: string[];
  /** Its data directory (the message history). */
  data: string;
}

/** Decodes UTF-8 output. */
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * Starts a server command sharing `files` (default the repository's `files/`) on port 0, its
 * history in `data` (default a fresh temporary directory), and waits for its "listening" log
 * line to learn the port.
 */
export async function startServer(
  command: string[],
  files = `${ROOT}files`,
  data = Deno.makeTempDirSync({ prefix: "chat-data-" }),
): Promise<Started> {
  const child = new Deno.Command(command[0]!, {
    args: [...command.slice(1), "--port", "0", "--log", "json", "--files", files, "--data", data],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr: string[] = [];
  const lines = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`Server exited early: ${buffered}`);
    buffered += value;
    const match = /"listening","detail":"[^"]*:(\d+) /.exec(buffered);
    if (match) {
      stderr.push(buffered);
      // Keep draining so the server never blocks on a full pipe.
      (async () => {
        for (let r = await lines.read(); !r.done; r = await lines.read()) stderr.push(r.value);
      })();
      return { child, port: Number(match[1]), stderr, data };
    }
  }
}

/** Runs a client command to its end with no input. */
export async function client(command: string[], args: string[]): Promise<Deno.CommandOutput> {
  return await new Deno.Command(command[0]!, {
    args: [...command.slice(1), ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
}

/** A process whose output is collected as it comes, for tests that signal it midway. */
export interface Running {
  child: Deno.ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves once the process exited and its output was read. */
  done: Promise<Deno.CommandStatus>;
}

/** Starts `deno run` of a program of this repository, its output collected as it comes. */
export function spawn(args: string[], options: { stdin?: "piped" | "null" } = {}): Running {
  const child = new Deno.Command(DENO, {
    args,
    cwd: ROOT,
    stdin: options.stdin ?? "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const drain = async (stream: ReadableStream<Uint8Array>, into: string[]) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) into.push(chunk);
  };
  const done = Promise.all([drain(child.stdout, stdout), drain(child.stderr, stderr)])
    .then(() => child.status);
  return { child, stdout, stderr, done };
}

/** Waits until `condition` holds, polling; throws after `ms` (processes start slowly). */
export function until(condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  return waitUntil(condition, ms);
}
