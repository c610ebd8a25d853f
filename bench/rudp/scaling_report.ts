/**
 * The `## File channel: server cost by number of transfers` section of bench/RESULTS.md.
 *
 * @module
 */

import {
  type Activity,
  type ScalingResults,
  type ScalingRow,
  SLICING,
} from "./endpoint_scaling.ts";
import { SCALING_DELAY_MS, SCALING_LINK_BYTES_PER_MS } from "./scaling_world.ts";

/** Heading of the section. */
export const SCALING_HEADING = "## File channel: server cost by number of transfers";
/** The target: cost per datagram at the most transfers at most this share above the cost at one. */
export const SCALING_TARGET = 0.2;

/** Renders the whole section, starting with its heading. */
export function renderScalingSection(r: ScalingResults): string {
  const mbit = (SCALING_LINK_BYTES_PER_MS * 8 / 1000).toFixed(0);
  return [
    SCALING_HEADING,
    "",
    `Run ${r.date} with \`${r.command}\`. One sans-IO \`ServerEndpoint\` in process with N ` +
    `established transfers and their clients, on a virtual clock (${SCALING_DELAY_MS} ms each ` +
    `way, a ${mbit} Mbit/s bottleneck from the server, 1,200-byte datagrams). Timed: what the UDP ` +
    "driver runs for each input, `handleDatagram` (or `handleTimeout`), then the `pollEvent` " +
    "drain, the `pollTransmit` drain and `pollTimeout`; the clients and the wire are not timed. " +
    '"one active": one download moves data and the other transfers are established uploads whose ' +
    'clients fell silent (the server holds their state and timers); "all active": every transfer ' +
    `is a download moving data. Each run measures every row in turn and keeps, per row, the ` +
    `slice at the ${100 * SLICING.quantile}th percentile of ${SLICING.slices} (time on a shared ` +
    `machine only ever adds); the table shows the median of ${r.runs} run` +
    `${r.runs === 1 ? "" : "s"}, and the targets the median over runs of each run's own ratio. ` +
    `Busiest the machine was just before a row: ${r.busiestBefore.toFixed(2)} cores.`,
    "",
    "| transfers | active | datagrams in / out | µs per datagram | of 1 transfer | " +
    "µs per cycle: input | events | transmit | pollTimeout |",
    "|---|---|---|---|---|---|---|---|---|",
    ...r.rows.map((row) => renderRow(row, baseline(r.rows, row))),
    "",
    ...targets(r.rows, r.ratios),
  ].join("\n");
}

function renderRow(row: ScalingRow, base: ScalingRow | undefined): string {
  const c = row.perCycleUs;
  const share = base === undefined
    ? "–"
    : `${(100 * row.perDatagramUs / base.perDatagramUs).toFixed(0)}%`;
  return `| ${row.transfers} | ${row.activity} | ${row.datagramsIn} / ${row.datagramsOut} | ` +
    `${row.perDatagramUs.toFixed(2)} | ${share} | ${c.input.toFixed(2)} | ${
      c.events.toFixed(2)
    } | ` +
    `${c.transmit.toFixed(2)} | ${c.timeout.toFixed(3)} |`;
}

function baseline(rows: ScalingRow[], row: ScalingRow): ScalingRow | undefined {
  return rows.find((r) => r.activity === row.activity && r.transfers === 1);
}

function targets(rows: ScalingRow[], ratios: Record<Activity, number>): string[] {
  const lines = ["| target | measured | met |", "|---|---|---|"];
  for (const activity of ["one", "all"] as const) {
    const mine = rows.filter((r) => r.activity === activity);
    const most = mine.reduce<ScalingRow | null>(
      (m, r) => (m === null || r.transfers > m.transfers ? r : m),
      null,
    );
    if (most === null) continue;
    const ratio = ratios[activity];
    lines.push(
      `| server CPU per datagram, ${activity} active: ${most.transfers} transfers within ` +
        `${100 * SCALING_TARGET}% of 1 | ${(100 * ratio).toFixed(0)}% | ` +
        `${ratio <= 1 + SCALING_TARGET ? "yes" : "no"} |`,
    );
  }
  return ["### Targets", "", ...lines, ""];
}
