/**
 * The `## File channel on an MTU-1500 path` section of bench/RESULTS.md: MB/s of each contender
 * at each loss rate, ratios, CPU, retransmissions, bytes on the wire, and the issue's targets.
 *
 * @module
 */

import type { PathResults } from "../rudp_path.ts";
import type { Contender, PathRun } from "./path_runs.ts";
import { medianBy } from "./report.ts";

const LABEL: Record<Contender, string> = {
  ours: "ours (`client.ts get`)",
  tcp: "TCP stream (`peer.ts`)",
  quic: "Deno QUIC, one stream",
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
  const rows = (["ours", "quic", "tcp"] as const).map((contender) =>
    `| ${LABEL[contender]} | ${r.rows.map((row) => cell(row.runs, contender)).join(" | ")} |`
  );
  const ratio = (other: Contender) =>
    `| ours ÷ ${other === "quic" ? "QUIC" : "TCP"} | ${
      r.rows.map((row) => ratioOf(row.runs, other)).join(" | ")
    } |`;
  return [
    `| MB/s | ${losses.map((loss) => `${loss}%`).join(" | ")} |`,
    `|---|${losses.map(() => "---").join("|")}|`,
    ...rows,
    ratio("quic"),
    ratio("tcp"),
  ];
}

function detailTable(r: PathResults): string[] {
  const lines = [
    "| loss | contender | s | CPU server s | CPU client s | retransmitted | wire ÷ file | datagram B |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const row of r.rows) {
    for (const contender of ["ours", "quic", "tcp"] as const) {
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
  const mbps = (loss: number, c: Contender) => medianMbps(at(loss), c);
  const lines = ["| target | measured | met |", "|---|---|---|"];
  const check = (target: string, measured: string, met: boolean | null) =>
    lines.push(`| ${target} | ${measured} | ${met === null ? "not run" : met ? "yes" : "no"} |`);
  for (const loss of [0, 1]) {
    const ratio = mbps(loss, "ours") / mbps(loss, "quic");
    check(`${loss}% loss: at least Deno QUIC`, `${ratio.toFixed(2)} ×`, has(r, loss) && ratio >= 1);
  }
  for (const loss of [5, 10]) {
    const quic = mbps(loss, "ours") / mbps(loss, "quic");
    const tcp = mbps(loss, "ours") / mbps(loss, "tcp");
    check(`${loss}% loss: at least 2 × QUIC`, `${quic.toFixed(2)} ×`, has(r, loss) && quic >= 2);
    check(`${loss}% loss: at least 3 × TCP`, `${tcp.toFixed(2)} ×`, has(r, loss) && tcp >= 3);
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
  check("5% loss: wire at most 1.10 × the file", `${wire.toFixed(3)} ×`, has(r, 5) && wire <= 1.1);
  return lines;
}

function has(r: PathResults, loss: number): boolean | null {
  return r.rows.some((row) => row.lossPercent === loss) ? true : null;
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
