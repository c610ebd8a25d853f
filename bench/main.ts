/**
 * `deno task bench`: the chat benchmark, then the reliable-UDP benchmark (bench/rudp.ts)
 * if it exists. `--help` lists the options.
 * @module
 */

import { BENCH_USAGE, type BenchOptions, parseBenchArgs } from "./chat/bench_options.ts";
import { runChatPart } from "./chat/run_chat.ts";

const RUDP_BENCH = new URL("./rudp.ts", import.meta.url).pathname;
const PERMISSIONS = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
];

/** Runs the benchmarks asked for; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseBenchArgs(args);
  if (parsed.kind === "help") return console.log(BENCH_USAGE), 0;
  if (parsed.kind === "error") {
    console.error(`bench: ${parsed.message}\nTry 'deno task bench --help'.`);
    return 2;
  }
  const command = ["deno task bench", ...args].join(" ");
  let code = 0;
  if (parsed.options.parts.includes("chat")) {
    code = Math.max(code, await runChatPart(parsed.options, command));
  }
  if (parsed.options.parts.includes("rudp")) code = Math.max(code, await runRudp(parsed.options));
  return code;
}

/**
 * Runs bench/rudp.ts in a process of its own (a fresh event loop, nothing left over from the
 * chat run), if it exists; it acts when run as a program and takes `--quick` and `--no-write`.
 */
async function runRudp(options: BenchOptions): Promise<number> {
  try {
    await Deno.stat(RUDP_BENCH);
  } catch {
    console.error("bench: bench/rudp.ts does not exist yet; reliable-UDP benchmark skipped");
    return 0;
  }
  const flags = [...(options.quick ? ["--quick"] : []), ...(options.write ? [] : ["--no-write"])];
  const args = ["run", ...PERMISSIONS, RUDP_BENCH, ...flags];
  const child = new Deno.Command(Deno.execPath(), { args, stdin: "null" }).spawn();
  return (await child.status).code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
