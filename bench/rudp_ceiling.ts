/**
 * The file channel against Deno's raw UDP ceiling on plain loopback, in one run: at 1,200-byte
 * datagrams and at the size path MTU discovery settles on, `client.ts get` of a 64 MiB file
 * (median of 3) beside a Deno sender blasting datagrams of that size into a Deno receiver that
 * only counts them. Writes the `## File channel against the UDP ceiling` section of
 * bench/RESULTS.md.
 *
 * Run: deno run -A bench/rudp_ceiling.ts [--quick] [--no-write]
 *
 * @module
 */

import { join } from "node:path";
import { BenchServer, type Download } from "./rudp/downloads.ts";

import { blastInto } from "./rudp/relay_overhead.ts";
import { runSectionBench } from "./rudp.ts";
import { median } from "./rudp/report.ts";
import { writeRandomFile } from "./lib/random_file.ts";

/** Heading of the section this benchmark writes. */
export const CEILING_HEADING = "## File channel against the UDP ceiling";
/** The target: goodput at 1,200-byte datagrams over the raw ceiling at that size. */
export const CEILING_TARGET = 0.6;
const FILE = "ceiling.bin";

interface Row {
  label: string;
  datagramBytes: number;
  raw: { perSecond: number; mbps: number; lossPercent: number };
  ours: Download;
}

async function measure(quick: boolean): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "rudp_ceiling_" });
  const files = join(dir, "files");
  await Deno.mkdir(files);
  await writeRandomFile(join(files, FILE), (quick ? 16 : 64) * 2 ** 20, 20261202);
  const server = await BenchServer.start(files, join(dir, "downloads"));
  const rows: Row[] = [];
  try {
    await server.download(FILE); // the server hashes the file once
    for (const [label, mtu] of [["1,200 B", 1200], ["discovered", undefined]] as const) {
      const runs: Download[] = [];
      for (let i = 0; i < (quick ? 1 : 3); i++) {
        runs.push(await server.download(FILE, mtu === undefined ? {} : { mtu }));
      }
      const ours = median(runs);
      const size = ours.server?.datagramBytes ?? mtu ?? 1200;
      const raw = await blastInto(size, quick ? 50_000 : 200_000, null);
      console.error(
        `ceiling bench: ${label} ${size} B ours ${ours.goodput.toFixed(1)} raw ${
          raw.mbps.toFixed(1)
        }`,
      );
      rows.push({ label, datagramBytes: size, raw, ours });
    }
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
}

function render(rows: Row[], command: string): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const lines = [
    CEILING_HEADING,
    "",
    `Run ${date} with \`${command}\`, plain loopback. Ours: goodput of \`client.ts get\` from the ` +
    "server's log (grant to last byte acknowledged), median of the runs. Raw: a Deno process " +
    "sending datagrams of the same size with awaited sends into a Deno receiver that only " +
    "counts them, datagrams received per second.",
    "",
    "| datagrams | bytes | ours MB/s | raw MB/s | raw datagrams/s | raw loss | ours ÷ raw |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${r.datagramBytes} | ${r.ours.goodput.toFixed(1)} | ${
        r.raw.mbps.toFixed(1)
      } | ` +
        `${Math.round(r.raw.perSecond).toLocaleString("en-US")} | ${
          r.raw.lossPercent.toFixed(1)
        }% | ` +
        `${(r.ours.goodput / r.raw.mbps).toFixed(2)} × |`,
    );
  }
  const first = rows[0]!;
  const ratio = first.ours.goodput / first.raw.mbps;
  lines.push(
    "",
    `Target: at 1,200-byte datagrams at least ${CEILING_TARGET * 100}% of the raw ceiling ` +
      `(aim for 80%): ${(ratio * 100).toFixed(0)}%, ${
        ratio >= CEILING_TARGET ? "met" : "not met"
      }.`,
  );
  return lines.join("\n");
}

if (import.meta.main) {
  await runSectionBench(
    "rudp_ceiling.ts",
    CEILING_HEADING,
    async (quick, command) => render(await measure(quick), command),
  );
}
