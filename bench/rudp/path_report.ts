/**
 * The `## File channel on an MTU-1500 path` section of bench/RESULTS.md: MB/s of each contender
 * at each loss rate, ratios, CPU, retransmissions, bytes on the wire, and the issue's targets.
 *
 * @module
 */

import type { PathResults } from "../rudp_path.ts";
import type { Contender, PathRun } from "./path_runs.ts";
import { medianBy } from "./report.ts";
import { KCPTUN_MTU_BYTES, KCPTUN_SHARDS, KCPTUN_WINDOW_PACKETS } from "./kcptun_tunnel.ts";

const LABEL: Record<Contender, string> = {
  ours: "ours (`client.ts get`)",
  tcp: "TCP stream (`peer.ts`)",
  quic: "Deno QUIC, one stream",
  kcptun: "kcptun (fast3) carrying `peer.ts`",
};
/** A contender ours is compared with. */
type Rival = Exclude<Contender, "ours">;
const RIVALS = ["quic", "tcp", "kcptun"] as const satisfies readonly Rival[];
/** Table order: ours first, then the others. */
const ORDER = ["ours", ...RIVALS] as const;
const RATIO_NAME: Record<Rival, string> = {
  quic: "QUIC",
  tcp: "TCP",
  kcptun: "kcptun",
};

/** Renders the whole section, starting with its heading. */
export function renderPathSection(r: PathResults): string {
  return [
    "## File channel on an MTU-1500 path",
    "",
    `Run ${r.date} with \`${r.command}\`, as root. A private network namespace whose loopback ` +
    "has MTU 1500 and no TSO, GSO or GRO, so every packet is at most 1,500 bytes; random loss " +
    "from an `nft` rule in a prerouting chain (silent, both directions alike). The same " +
    `${(r.sizeBytes / 2 ** 20).toFixed(0)} MiB file of random bytes, the whole receiving ` +
    "command timed (process start to exit), SHA-256 checked; each figure is the median of " +
    `${r.runs} run${r.runs === 1 ? "" : "s"} (failed runs count as 0 MB/s). Wire is every TCP ` +
    "and UDP byte that reached the path (both ways, dropped ones included) over the file size." +
    (r.highPriority
      ? " Every process of the run had real-time priority (`chrt -r 10`), so that nothing else " +
        "running on the machine could take the contenders' cores."
      : " The run waited for a quiet machine before each contender (ordinary priority)."),
    "",
    kcptunSentence(r),
    "",
    ...speedTable(r),
    "",
    ...detailTable(r),
    "",
    ...targetsTable(r),
  ].join("\n");
}

function speedTable(r: PathResults): string[] {
  const losses = r.rows.map((row) => row.lossPercent);
  const cell = (runs: PathRun[], contender: Contender) => {
    const mine = runs.filter((run) => run.contender === contender);
    if (mine.length === 0) return "–";
    const failed = mine.filter((run) => !run.ok).length;
    const note = failed === 0 ? "" : ` (${failed} of ${mine.length} failed)`;
    return `${medianOf(mine).mbps.toFixed(1)}${note}`;
  };
  const ran = (contender: Contender) => r.rows.some((row) => ranAt(row.runs, contender));
  const rows = ORDER.filter(ran).map((contender) =>
    `| ${LABEL[contender]} | ${r.rows.map((row) => cell(row.runs, contender)).join(" | ")} |`
  );
  const ratio = (other: Rival) =>
    `| ours ÷ ${RATIO_NAME[other]} | ${
      r.rows.map((row) => ratioOf(row.runs, other)).join(" | ")
    } |`;
  return [
    `| MB/s | ${losses.map((loss) => `${loss}%`).join(" | ")} |`,
    `|---|${losses.map(() => "---").join("|")}|`,
    ...rows,
    ...(ran("ours") ? RIVALS.filter(ran).map(ratio) : []),
  ];
}

function detailTable(r: PathResults): string[] {
  const lines = [
    "| loss | contender | s | CPU server s | CPU client s | retransmitted | wire ÷ file | datagram B |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const row of r.rows) {
    for (const contender of ORDER) {
      const mine = row.runs.filter((run) => run.contender === contender);
      if (mine.length === 0) continue;
      const m = medianOf(mine);
      const retransmitted = m.retransmitted === null
        ? "–"
        : contender === "tcp"
        ? `${m.retransmitted} segments`
        : `${(m.retransmitted / 2 ** 20).toFixed(1)} MiB`;
      lines.push(
        `| ${row.lossPercent}% | ${contender} | ${(m.wallMs / 1000).toFixed(2)} | ` +
          `${m.cpu.server.toFixed(2)} | ${m.cpu.client.toFixed(2)} | ${retransmitted} | ` +
          `${(m.wireBytes / r.sizeBytes).toFixed(3)} | ${m.datagramBytes ?? "–"} |`,
      );
    }
  }
  return lines;
}

function targetsTable(r: PathResults): string[] {
  const at = (loss: number) => r.rows.find((row) => row.lossPercent === loss)?.runs ?? [];
  const lines = ["| target | measured | met |", "|---|---|---|"];
  const check = (target: string, measured: string, met: boolean | null) =>
    lines.push(`| ${target} | ${measured} | ${met === null ? "not run" : met ? "yes" : "no"} |`);
  const versus = (loss: number, other: Rival, target: string, met: (ratio: number) => boolean) => {
    const ran = ranAt(at(loss), "ours") && ranAt(at(loss), other);
    const ratio = medianMbps(at(loss), "ours") / medianMbps(at(loss), other);
    check(`${loss}% loss: ${target}`, ran ? `${ratio.toFixed(2)} ×` : "–", ran ? met(ratio) : null);
  };
  for (const loss of [0, 1]) versus(loss, "quic", "at least Deno QUIC", (ratio) => ratio >= 1);
  for (const loss of [5, 10]) {
    versus(loss, "quic", "at least 2 × QUIC", (ratio) => ratio >= 2);
    versus(loss, "tcp", "at least 3 × TCP", (ratio) => ratio >= 3);
    versus(loss, "kcptun", "ahead of kcptun", (ratio) => ratio > 1);
  }
  const heavy = at(30).filter((run) => run.contender === "ours");
  const completed = heavy.length > 0 && heavy.every((run) => run.ok);
  check(
    "30% loss completes",
    heavy.length === 0 ? "–" : completed ? "yes" : "no",
    heavy.length > 0 ? completed : null,
  );
  const five = at(5).filter((run) => run.contender === "ours");
  const m = five.length === 0 ? null : medianOf(five);
  const wire = m === null || !m.ok ? NaN : m.wireBytes / r.sizeBytes;
  check(
    "5% loss: wire at most 1.10 × the file",
    `${wire.toFixed(3)} ×`,
    m === null ? null : wire <= 1.1,
  );
  return lines;
}

/** How kcptun was run, or why it was not. */
function kcptunSentence(r: PathResults): string {
  if (r.kcptunSkipped !== null) return `kcptun did not run: ${r.kcptunSkipped}.`;
  return "kcptun carries the same TCP stream as the TCP row: `kcptun-server` in front of the " +
    "sender, `kcptun-client` in front of the receiver, their TCP legs on an address the lab " +
    "neither drops nor counts, so the file crosses the path as kcptun's UDP; mode fast3, " +
    `${KCPTUN_WINDOW_PACKETS.toLocaleString("en-US")}-packet send and receive windows, ` +
    `${KCPTUN_MTU_BYTES}-byte packets, FEC of ${KCPTUN_SHARDS.data} data and ` +
    `${KCPTUN_SHARDS.parity} parity shards (its defaults), \`--crypt none --nocomp\`. ` +
    (r.sealed
      ? "Ours seals every datagram (ChaCha20-Poly1305), kcptun encrypts nothing. "
      : "Neither encrypts: ours ran unsealed (`CHAT_BENCH_UNSEALED=1`). ") +
    "kcptun's CPU is both kcptun processes and the TCP end beside each.";
}

function ranAt(runs: PathRun[], contender: Contender): boolean {
  return runs.some((run) => run.contender === contender);
}

function medianMbps(runs: PathRun[], contender: Contender): number {
  const mine = runs.filter((run) => run.contender === contender);
  return mine.length === 0 ? NaN : medianOf(mine).mbps;
}

function ratioOf(runs: PathRun[], other: Contender): string {
  const ratio = medianMbps(runs, "ours") / medianMbps(runs, other);
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)} ×` : "–";
}

/** The run whose MB/s is the median (failed runs have 0 MB/s). */
function medianOf(runs: PathRun[]): PathRun {
  return medianBy(runs, (run) => run.mbps);
}
