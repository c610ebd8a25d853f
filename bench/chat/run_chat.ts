/**
 * The chat part of `deno task bench`: run, print, profile if asked, and record the tables
 * in bench/RESULTS.md.
 * @module
 */

import type { BenchOptions } from "./bench_options.ts";
import { type ChatBenchResult, DEFAULT_OUT_DIR, runChatBench } from "./chat_bench.ts";
import { describeMachine, type MachineInfo } from "./machine_info.ts";
import { profileHub } from "./profile_run.ts";
import { waitForQuietMachine } from "../lib/quiet_machine.ts";
import { renderChatResults, renderProfile, spliceSection } from "./results_markdown.ts";
import { findNgircd } from "./server_process.ts";
import { SHAPES } from "./room_shape.ts";

/** Idle waits before memory readings in a quick run: too short to settle, long enough to run. */
export const QUICK_IDLE_MS = 2_000;
/** Where the tables go. */
export const RESULTS_PATH = new URL("../RESULTS.md", import.meta.url).pathname;
/** Marker names of the generated blocks in RESULTS.md. */
export const RESULTS_SECTION = "chat-results";
/** Marker name of the generated profile block. */
export const PROFILE_SECTION = "chat-profile";

const SKELETON = `## Chat hub

<!-- ${RESULTS_SECTION}:begin -->
<!-- ${RESULTS_SECTION}:end -->

### Where the time goes

<!-- ${PROFILE_SECTION}:begin -->
<!-- ${PROFILE_SECTION}:end -->
`;

/** Runs the chat benchmark as `options` say; returns the exit code (1 if a scenario failed). */
export async function runChatPart(options: BenchOptions, command: string): Promise<number> {
  const machine = await describeMachine(findNgircd());
  const result = await runChatBench({
    sizes: options.sizes ?? (options.quick ? [100] : [100, 1000, 5000]),
    ...(options.servers === null ? {} : { servers: options.servers }),
    shapes: options.shapes ?? (options.quick ? ["one"] : [...SHAPES]),
    ...(options.quick ? { warmupMs: 300, measureMs: 1_000, idleSettleMs: QUICK_IDLE_MS } : {}),
    outDir: DEFAULT_OUT_DIR,
  });
  const sections = new Map([[RESULTS_SECTION, renderChatResults(result, machine, command)]]);
  console.log(`\n${sections.get(RESULTS_SECTION)}\n`);
  if (options.profile) {
    await waitForQuietMachine();
    const profile = await profileHub({
      outDir: DEFAULT_OUT_DIR,
      ...(options.quick ? { clients: 100, measureMs: 2_000 } : {}),
    });
    sections.set(PROFILE_SECTION, renderProfile(profile, machine, command));
    console.log(`\n${sections.get(PROFILE_SECTION)}\n`);
  }
  if (options.write) await writeResults(sections, machine);
  return failed(result) ? 1 : 0;
}

async function writeResults(sections: Map<string, string>, machine: MachineInfo): Promise<void> {
  let document: string;
  try {
    document = await Deno.readTextFile(RESULTS_PATH);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    document = "# Benchmark results\n";
  }
  if (!document.includes(`<!-- ${RESULTS_SECTION}:begin -->`)) {
    document = `${document.trimEnd()}\n\n${SKELETON}`;
  }
  for (const [name, body] of sections) document = spliceSection(document, name, body);
  await Deno.writeTextFile(RESULTS_PATH, document);
  await formatMarkdown(RESULTS_PATH);
  console.error(`chat bench: tables written to ${RESULTS_PATH} (${machine.date})`);
}

/** Lays the file out as `deno fmt` would (tables aligned, prose wrapped), so checks stay green. */
async function formatMarkdown(path: string): Promise<void> {
  const root = new URL("../../", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", path],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!output.success) {
    console.error(`chat bench: cannot format ${path}: ${new TextDecoder().decode(output.stderr)}`);
  }
}

function failed(result: ChatBenchResult): boolean {
  return result.scenarios.some((scenario) => scenario.error !== null);
}
