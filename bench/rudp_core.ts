/**
 * What the file channel's sans-IO cores cost per datagram, alone in one process (no sockets, no
 * event loop; bench/rudp/core_loop.ts), clean and under random loss: the part of the per-datagram
 * cost that is our code, to set beside the whole processes' CPU on the MTU-1500 path. Writes the
 * `## File channel: the protocol cores alone` section of bench/RESULTS.md.
 *
 * Run: deno run -A bench/rudp_core.ts [--quick] [--no-write]
 *
 * @module
 */

import { runSectionBench } from "./rudp.ts";
import { type CoreCost, runCoreLoop } from "./rudp/core_loop.ts";

/** Heading of the section this benchmark writes. */
export const CORE_HEADING = "## File channel: the protocol cores alone";
/** Loss rates, percent, each way. */
export const CORE_LOSSES = [0, 1, 5, 10];
const DATAGRAM_BYTES = 1472;
const RUNS = 3;

/** The run with the median server cost out of `runs`. */
function medianRun(runs: CoreCost[]): CoreCost {
  return [...runs].sort((a, b) => a.serverUs - b.serverUs)[Math.floor(runs.length / 2)]!;
}

function render(rows: CoreCost[], command: string, mib: number): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const lines = [
    CORE_HEADING,
    "",
    `Run ${date} with \`${command}\`: a ${mib} MiB download between a \`ServerEndpoint\` and ` +
    "a `ClientConnection` in one process, datagrams handed over in memory (copied), on a " +
    "virtual clock; the CPU of each side's calls timed apart, median of " + `${RUNS} runs.`,
    "",
    "| loss each way | datagram B | server datagrams | client datagrams | server µs per datagram | client µs per data datagram |",
    "|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.lossPercent}% | ${r.datagramBytes} | ${r.serverDatagrams.toLocaleString("en-US")} | ` +
        `${r.clientDatagrams.toLocaleString("en-US")} | ${r.serverUs.toFixed(2)} | ${
          r.clientUs.toFixed(2)
        } |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  await runSectionBench("rudp_core.ts", CORE_HEADING, (quick, command) => {
    const mib = quick ? 16 : 64;
    runCoreLoop(4 << 20, DATAGRAM_BYTES, 0); // warm the JIT up
    const rows = CORE_LOSSES.map((loss) => {
      const runs = Array.from({ length: RUNS }, () => runCoreLoop(mib << 20, DATAGRAM_BYTES, loss));
      return medianRun(runs);
    });
    return render(rows, command, mib);
  });
}
