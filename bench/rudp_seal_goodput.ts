/**
 * What sealing costs the file channel in goodput, sealed against unsealed in one run: `client.ts
 * get` of the same file from two servers, one started with `CHAT_BENCH_UNSEALED=1` (its clients
 * too), at 1,200-byte datagrams and at the size path MTU discovery settles on, runs alternating
 * between the two, median of 3. On plain loopback, or with `--path` in a private network namespace
 * whose loopback has MTU 1500 (bench/rudp/path_lab.ts, as root). Writes the `## File channel:
 * sealed against unsealed` section of bench/RESULTS.md.
 *
 * Run: deno run -A bench/rudp_seal_goodput.ts [--path] [--quick] [--no-write]
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { BenchServer, type Download } from "./rudp/downloads.ts";
import { formatMarkdown, writeSection } from "./rudp.ts";
import { median } from "./rudp/report.ts";
import { ROOT } from "./rudp/processes.ts";
import { writeRandomFile } from "./lib/random_file.ts";
import { labMissing, preparePathLab, removePathLab } from "./rudp/path_lab.ts";
import { BENCH_UNSEALED_ENV } from "../lib/transfer/bench_switch.ts";

/** Heading of the section this benchmark writes. */
export const SEAL_GOODPUT_HEADING = "## File channel: sealed against unsealed";
/** The target: sealed goodput over unsealed, at each datagram size. */
export const SEAL_GOODPUT_TARGET = 0.8;
/** Our own namespace, so as not to disturb another benchmark's. */
const NAMESPACE = "chatseal";
const FILE = "seal.bin";

interface Row {
  label: string;
  datagramBytes: number;
  sealed: Download;
  unsealed: Download;
}

/** Runs `fn` with the unsealing variable set (inherited by the processes it starts) or not. */
async function withSealing<T>(sealed: boolean, fn: () => Promise<T>): Promise<T> {
  if (!sealed) Deno.env.set(BENCH_UNSEALED_ENV, "1");
  try {
    return await fn();
  } finally {
    Deno.env.delete(BENCH_UNSEALED_ENV);
  }
}

async function measure(quick: boolean): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "rudp_seal_" });
  const files = join(dir, "files");
  await Deno.mkdir(files);
  await writeRandomFile(join(files, FILE), (quick ? 16 : 64) * 2 ** 20, 20261203);
  const start = (sealed: boolean) => {
    const which = sealed ? "sealed" : "unsealed";
    // Two servers at once: each needs a history database of its own.
    Deno.env.set("CHAT_DATA", join(dir, `data-${which}`));
    return withSealing(sealed, () => BenchServer.start(files, join(dir, `d-${which}`)));
  };
  const servers = { sealed: await start(true), unsealed: await start(false) };
  Deno.env.delete("CHAT_DATA");
  const rows: Row[] = [];
  try {
    for (const sealed of [true, false]) {
      // Each server hashes the file once, outside the runs.
      await withSealing(sealed, () => servers[sealed ? "sealed" : "unsealed"].download(FILE));
    }
    for (const [label, mtu] of [["1,200 B", 1200], ["discovered", undefined]] as const) {
      const runs = { sealed: [] as Download[], unsealed: [] as Download[] };
      for (let i = 0; i < (quick ? 1 : 3); i++) {
        for (const sealed of [false, true]) {
          const which = sealed ? "sealed" : "unsealed";
          const run = await withSealing(
            sealed,
            () => servers[which].download(FILE, mtu === undefined ? {} : { mtu }),
          );
          console.error(
            `seal goodput: ${label} ${which} ${run.goodput.toFixed(1)} MB/s` +
              (run.ok ? "" : ` FAILED ${run.error}`),
          );
          runs[which].push(run);
        }
      }
      const sealed = median(runs.sealed);
      const unsealed = median(runs.unsealed);
      const datagramBytes = sealed.server?.datagramBytes ?? mtu ?? 1200;
      rows.push({ label, datagramBytes, sealed, unsealed });
    }
  } finally {
    await servers.sealed.stop();
    await servers.unsealed.stop();
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
}

function render(rows: Row[], command: string, where: string): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const f = (n: number) => n.toFixed(1);
  const perDatagram = (d: Download, cpu: number, bytes: number) =>
    (1e6 * cpu / Math.max(1, d.bytes / bytes)).toFixed(1);
  const lines = [
    SEAL_GOODPUT_HEADING,
    "",
    `Run ${date} with \`${command}\`, ${where}. \`client.ts get\` of the same file from a sealed ` +
    `server and from one started with \`${BENCH_UNSEALED_ENV}=1\` (its clients too), runs ` +
    "alternating, median of the runs; goodput from the server's log (grant to last byte " +
    "acknowledged); CPU per datagram is the process's CPU over the file's bytes ÷ datagram size.",
    "",
    "| datagrams | bytes | unsealed MB/s | sealed MB/s | sealed ÷ unsealed | server µs/datagram unsealed | sealed | client µs/datagram unsealed | sealed |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const b = r.datagramBytes;
    lines.push(
      `| ${r.label} | ${b} | ${f(r.unsealed.goodput)} | ${f(r.sealed.goodput)} | ${
        (100 * r.sealed.goodput / r.unsealed.goodput).toFixed(0)
      }% | ${perDatagram(r.unsealed, r.unsealed.cpu.server, b)} | ${
        perDatagram(r.sealed, r.sealed.cpu.server, b)
      } | ${perDatagram(r.unsealed, r.unsealed.cpu.client, b)} | ${
        perDatagram(r.sealed, r.sealed.cpu.client, b)
      } |`,
    );
  }
  const met = rows.every((r) => r.sealed.goodput >= SEAL_GOODPUT_TARGET * r.unsealed.goodput);
  lines.push(
    "",
    `Target: sealed at least ${100 * SEAL_GOODPUT_TARGET}% of unsealed at both sizes: ` +
      (met ? "met." : "not met."),
  );
  return lines.join("\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean" },
      "no-write": { type: "boolean" },
      path: { type: "boolean" },
      inside: { type: "boolean" },
    },
  });
  const shown = Deno.args.filter((arg) => arg !== "--inside");
  const command = ["deno run -A bench/rudp_seal_goodput.ts", ...shown].join(" ");
  if (values.path && !values.inside) return await outside();
  const where = values.path
    ? "in a network namespace whose loopback has MTU 1500 (offloads off)"
    : "plain loopback";
  const section = render(await measure(values.quick ?? false), command, where);
  console.log(section);
  if (!values.quick && !values["no-write"]) {
    const heading = values.path ? `${SEAL_GOODPUT_HEADING} (MTU 1500)` : SEAL_GOODPUT_HEADING;
    const text = values.path ? section.replace(SEAL_GOODPUT_HEADING, heading) : section;
    await writeSection(join(ROOT, "bench", "RESULTS.md"), await formatMarkdown(text), heading);
  }
  return 0;
}

/** Makes the namespace, runs this benchmark inside it, and removes it. */
async function outside(): Promise<number> {
  const missing = await labMissing();
  if (missing !== null) {
    console.error(`seal goodput bench: skipped, ${missing}`);
    return 0;
  }
  await preparePathLab(NAMESPACE);
  try {
    const self = new URL(import.meta.url).pathname;
    const child = new Deno.Command("ip", {
      args: ["netns", "exec", NAMESPACE, Deno.execPath(), "run", "-A", self, "--inside"]
        .concat(Deno.args),
      cwd: ROOT,
      stdin: "null",
    }).spawn();
    return (await child.status).code;
  } finally {
    await removePathLab(NAMESPACE);
  }
}

if (import.meta.main) Deno.exit(await main());
