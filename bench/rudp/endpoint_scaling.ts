/**
 * Server CPU per datagram by the number of concurrent transfers: one sans-IO `ServerEndpoint`
 * with 1, 10, 100 and 1,000 established transfers, in process on a virtual clock
 * (bench/rudp/scaling_world.ts), timing what the UDP driver runs per datagram —
 * `handleDatagram` (or `handleTimeout`), the `pollEvent` drain, the `pollTransmit` drain and
 * `pollTimeout` — with one transfer moving data and the rest quiet, and with all of them moving
 * data. Run on its own by bench/rudp_scaling.ts, and by bench/rudp.ts after the downloads.
 *
 * @module
 */

import { waitForQuietMachine } from "../lib/quiet_machine.ts";
import { type CycleTimes, ScalingWorld, type ServerCounts, zeroCounts } from "./scaling_world.ts";

/** Numbers of concurrent transfers measured. */
export const SCALING_TRANSFERS = [1, 10, 100, 1000];
/** Server datagrams (in + out) measured per row and run, in {@linkcode SLICES} slices. */
const DATAGRAMS = 40_000;
const QUICK_DATAGRAMS = 10_000;
/**
 * The slice at this quantile is kept: the machine's other work (2 shared cores) and GC pauses
 * only ever add time, so a low quantile is the steadiest estimate of the server's own cost.
 */
const SLICE_QUANTILE = 0.25;
const SLICES = 16;
/**
 * Runs of every row, interleaved: the machine's speed drifts over seconds, so each run compares
 * its rows with each other and the median run is reported.
 */
const RUNS = 5;
const QUICK_RUNS = 1;
/** Datagrams run before measuring, so that every transfer is past its start. */
const WARM_UP_DATAGRAMS = 5_000;
const QUIET_WAIT_MS = 20_000;

/** How many transfers move data. */
export type Activity = "one" | "all";

/** The slices measured per run, and the quantile of them kept (for the report). */
export const SLICING = { slices: SLICES, quantile: SLICE_QUANTILE };

/** One measured configuration. */
export interface ScalingRow {
  transfers: number;
  activity: Activity;
  datagramsIn: number;
  datagramsOut: number;
  /** Server time per datagram (in + out) in the kept slice, µs. */
  perDatagramUs: number;
  /** Server time per driver cycle in the kept slice, µs, part by part. */
  perCycleUs: CycleTimes;
}

/** Everything one run measured. */
export interface ScalingResults {
  date: string;
  command: string;
  /** Runs of each row; the median run is reported. */
  runs: number;
  rows: ScalingRow[];
  /**
   * Per activity: the cost per datagram at the most transfers over that at one, within each run
   * (rows measured seconds apart), median over the runs.
   */
  ratios: Record<Activity, number>;
  /** Most busy cores seen on the machine just before a row. */
  busiestBefore: number;
}

/** Measures every row; `command` is printed with the table. */
export async function measureScaling(
  options: { quick: boolean; command: string },
): Promise<ScalingResults> {
  const datagrams = options.quick ? QUICK_DATAGRAMS : DATAGRAMS;
  // Compiles the hot paths of both kinds of row before anything counts.
  for (const activity of ["one", "all"] as const) measureRow(100, activity, DATAGRAMS);
  const configs = (["one", "all"] as const).flatMap((activity) =>
    SCALING_TRANSFERS.map((transfers) => ({ activity, transfers, runs: [] as ScalingRow[] }))
  );
  let busiest = 0;
  for (let run = 0; run < (options.quick ? QUICK_RUNS : RUNS); run++) {
    for (const config of configs) {
      busiest = Math.max(busiest, await waitForQuietMachine({ maxWaitMs: QUIET_WAIT_MS }) ?? 0);
      const row = measureRow(config.transfers, config.activity, datagrams);
      console.error(
        `  ${row.transfers} transfers, ${row.activity} active: ` +
          `${row.perDatagramUs.toFixed(2)} µs/datagram`,
      );
      config.runs.push(row);
    }
  }
  const median = (runs: ScalingRow[]) =>
    [...runs].sort((a, b) => a.perDatagramUs - b.perDatagramUs)[runs.length >> 1]!;
  const ratio = (activity: Activity) => {
    const mine = configs.filter((c) => c.activity === activity);
    const first = mine[0]!.runs;
    const last = mine[mine.length - 1]!.runs;
    const ratios = first.map((row, i) => last[i]!.perDatagramUs / row.perDatagramUs);
    return ratios.sort((a, b) => a - b)[ratios.length >> 1]!;
  };
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    command: options.command,
    runs: configs[0]!.runs.length,
    rows: configs.map((config) => median(config.runs)),
    ratios: { one: ratio("one"), all: ratio("all") },
    busiestBefore: busiest,
  };
}

/** Sets up `transfers`, warms up, then measures `datagrams` server datagrams in slices. */
export function measureRow(transfers: number, activity: Activity, datagrams: number): ScalingRow {
  const world = new ScalingWorld(transfers, activity === "one" ? 1 : transfers);
  world.run(() => world.established === transfers);
  world.measuring = true;
  const handled = () => world.counts.datagramsIn + world.counts.datagramsOut;
  world.run(() => handled() >= WARM_UP_DATAGRAMS);
  const slices: ServerCounts[] = [];
  let datagramsIn = 0;
  let datagramsOut = 0;
  for (let i = 0; i < SLICES; i++) {
    world.counts = zeroCounts();
    world.run(() => handled() >= datagrams / SLICES);
    slices.push(world.counts);
    datagramsIn += world.counts.datagramsIn;
    datagramsOut += world.counts.datagramsOut;
  }
  const total = (c: CycleTimes) => c.input + c.events + c.transmit + c.timeout;
  const perDatagram = (c: ServerCounts) => total(c) / (c.datagramsIn + c.datagramsOut);
  slices.sort((a, b) => perDatagram(a) - perDatagram(b));
  const kept = slices[Math.floor(SLICE_QUANTILE * (slices.length - 1))]!;
  const us = (ms: number) => 1000 * ms / kept.cycles;
  return {
    transfers,
    activity,
    datagramsIn,
    datagramsOut,
    perDatagramUs: 1000 * perDatagram(kept),
    perCycleUs: {
      input: us(kept.input),
      events: us(kept.events),
      transmit: us(kept.transmit),
      timeout: us(kept.timeout),
    },
  };
}
