/**
 * What one UDP `send` costs a Deno sender, against how busy the receiver is: the same awaited
 * sends of 1,472-byte datagrams on plain loopback, back to back (the receiver never catches up,
 * so it never sleeps) and with some µs of busy work after each, as a protocol does (the receiver
 * then waits for each datagram, and every send has to wake it). The cost of that wake-up falls on
 * the sender, inside `send`: it is what bounds the file channel's sender on a fast path. Writes
 * the `## UDP send cost and the receiver's wake-ups` section of bench/RESULTS.md.
 *
 * Run: deno run -A bench/udp_send_cost.ts [--quick] [--no-write]
 *
 * @module
 */

import { runSectionBench } from "./rudp.ts";
import { RUN, runTimed } from "./rudp/processes.ts";
import { waitForQuietMachine } from "./lib/quiet_machine.ts";

/** Heading of the section this benchmark writes. */
export const SEND_COST_HEADING = "## UDP send cost and the receiver's wake-ups";
/** Busy work after each send, µs: none, then about what our sender and receiver do. */
export const GAPS_US = [0, 5, 10, 20];
const DATAGRAM_BYTES = 1472;

/** One sender run: µs inside `send` and in all, per datagram, and what the receiver got. */
interface Row {
  gapUs: number;
  sendUs: number;
  totalUs: number;
  receivedShare: number;
}

async function measure(count: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const gapUs of GAPS_US) {
    await waitForQuietMachine({ maxWaitMs: 60_000 });
    const sink = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
    let received = 0;
    const receiving = (async () => {
      const buffer = new Uint8Array(65_536);
      try {
        for (;;) await sink.receive(buffer), received++;
      } catch {
        // Closed.
      }
    })();
    const port = (sink.addr as Deno.NetAddr).port;
    const args = ["bench/rudp/peer.ts", "udp-blast", String(port), String(count)];
    const run = await runTimed([...RUN, ...args, String(DATAGRAM_BYTES), String(gapUs)]);
    await new Promise((wake) => setTimeout(wake, 100));
    sink.close();
    await receiving;
    const { ms, sendMs } = JSON.parse(run.stdout.trim().split("\n").pop()!);
    rows.push({
      gapUs,
      sendUs: 1000 * sendMs / count,
      totalUs: 1000 * ms / count,
      receivedShare: received / count,
    });
  }
  return rows;
}

function render(rows: Row[], command: string, count: number): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const lines = [
    SEND_COST_HEADING,
    "",
    `Run ${date} with \`${command}\`, plain loopback: ${count.toLocaleString("en-US")} awaited ` +
    `sends of ${DATAGRAM_BYTES.toLocaleString("en-US")} bytes from one Deno process to a Deno ` +
    "receiver that only counts them, with busy work between sends or none.",
    "",
    "| work after each send | µs in `send` | µs per datagram in all | received |",
    "|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.gapUs} µs | ${r.sendUs.toFixed(2)} | ${r.totalUs.toFixed(2)} | ${
        (100 * r.receivedShare).toFixed(1)
      }% |`,
    );
  }
  const [flat, ...paced] = rows;
  const worst = Math.max(...paced.map((r) => r.sendUs));
  lines.push(
    "",
    `Back to back, a send costs ${flat!.sendUs.toFixed(1)} µs; once the sender does any work of ` +
      `its own, the receiver drains its socket, sleeps, and each send must wake it: up to ` +
      `${worst.toFixed(1)} µs. Deno gives one system call per datagram (no \`sendmmsg\`, no ` +
      "GSO), so this cost is paid per datagram; Deno's QUIC (quinn) sends batches.",
  );
  return lines.join("\n");
}

if (import.meta.main) {
  await runSectionBench("udp_send_cost.ts", SEND_COST_HEADING, async (quick, command) => {
    const count = quick ? 20_000 : 100_000;
    return render(await measure(count), command, count);
  });
}
