/**
 * Benchmark of the file channel over the simulated link: a 64 MiB download through 10 ms of
 * delay each way and a 100 Mbit/s bottleneck with a 212 KB queue, at 0, 1, 5, 10 and 30%
 * random loss in both directions. Prints simulated goodput (and its share of the clean run),
 * retransmitted bytes, and the wall-clock CPU time the simulation took.
 *
 * Run: deno run --allow-read bench/rudp_sim.ts [--size-mib 64] [--rate-mbit 100]
 *      [--datagram 1200] [--seed 1] [--loss 0,1,5,10,30] [--cc bbr|newreno]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { NewRenoController } from "../lib/rudp/recovery/new_reno.ts";
import { runTransfer } from "../tests/rudp/_transfer.ts";

const { values } = parseArgs({
  options: {
    "size-mib": { type: "string", default: "64" },
    "rate-mbit": { type: "string", default: "100" },
    datagram: { type: "string", default: "1200" },
    seed: { type: "string", default: "1" },
    loss: { type: "string", default: "0,1,5,10,30" },
    cc: { type: "string", default: "bbr" },
  },
});

const size = Number(values["size-mib"]) * 1024 * 1024;
const rate = Number(values["rate-mbit"]) * 1e6 / 8;
const datagram = Number(values.datagram);
const seed = Number(values.seed);
const losses = values.loss.split(",").map(Number);
const congestion = values.cc === "newreno"
  ? { congestion: (b: number) => new NewRenoController(b) }
  : {};

console.log(
  `${values["size-mib"]} MiB download, 10 ms each way, ${values["rate-mbit"]} Mbit/s bottleneck, ` +
    `${datagram} B datagrams, ${values.cc}, seed ${seed}`,
);
console.log(
  "| loss | sim time s | goodput MB/s | of clean | retransmitted | retx / size | lost pkts | CPU s |",
);
console.log("|---|---|---|---|---|---|---|---|");
let clean: number | null = null;
for (const lossPercent of losses) {
  const loss = lossPercent / 100;
  const path = { delayMs: 10, loss, rateBytesPerSecond: rate };
  const started = performance.now();
  const r = runTransfer({
    seed,
    size,
    toClient: path,
    toServer: { delayMs: 10, loss },
    transport: { maxDatagramBytes: datagram, ...congestion },
    wakeGranularityMs: 1,
    maxTimeMs: 3_600_000,
  });
  const cpu = (performance.now() - started) / 1000;
  if (r.receivedHash !== r.expectedHash) throw new Error(`Hash mismatch at ${lossPercent}% loss`);
  const done = r.clientEvents.find((e) => e.kind === "completed") ? r.timeMs : NaN;
  const goodput = size / done / 1000; // bytes per ms / 1000 = MB/s
  clean ??= goodput;
  const retx = r.senderStats.retransmittedBytes;
  console.log(
    `| ${lossPercent}% | ${(done / 1000).toFixed(2)} | ${goodput.toFixed(2)} | ${
      (100 * goodput / clean).toFixed(0)
    }% | ${(retx / 1048576).toFixed(2)} MiB | ${
      (100 * retx / size).toFixed(1)
    }% | ${r.senderStats.packetsLost} | ${cpu.toFixed(1)} |`,
  );
}
