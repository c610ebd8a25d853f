/**
 * What one 1,472-byte datagram costs a Deno sender: Deno's awaited `send`, against libc's
 * `sendmmsg` and GSO `sendmsg` (`UDP_SEGMENT`) through FFI on the same socket, in batches of
 * 8, 16 and 32. The receiver is another Deno process whose socket buffer is made large enough
 * (`SO_RCVBUFFORCE`, root) to hold every datagram of a run, so nothing is lost by design: its
 * count says whether the kernel took what it was given. Run it on plain loopback and inside the
 * MTU-1500 namespace (offloads off: GSO is then cut into datagrams in software).
 *
 * Run: deno run -A bench/udp_batch_cost.ts [COUNT]
 *      ip netns exec perfpath deno run -A bench/udp_batch_cost.ts [COUNT]
 *
 * @module
 */
import { BatchSender } from "../lib/net/batch_send.ts";
import { libc } from "../lib/net/libc.ts";
import { findSocketFd } from "../lib/net/socket_fd.ts";
import { sockaddrIn } from "../lib/net/sockaddr.ts";

const DATAGRAM_BYTES = 1472;
const BATCHES = [8, 16, 32];
const RUNS = 3;
const SOL_SOCKET = 1;
const SO_RCVBUFFORCE = 33;
const RECEIVE_BUFFER_BYTES = 1 << 30;
const LOCAL = "127.0.0.1";

/** One method's run: µs per datagram, what the receiver got, sends that fell back to Deno. */
interface Run {
  us: number;
  received: number;
  fallbacks: number;
}

async function receive(): Promise<void> {
  const socket = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
  const addr = socket.addr as Deno.NetAddr;
  const fd = findSocketFd(libc()!, addr);
  const size = new Int32Array([RECEIVE_BUFFER_BYTES]);
  const forced = fd !== null &&
    libc()!.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, new Uint8Array(size.buffer), 4) === 0;
  console.log(JSON.stringify({ port: addr.port, forced }));
  const buffer = new Uint8Array(65_536);
  let count = 0;
  for (;;) {
    const [bytes] = await socket.receive(buffer);
    if (bytes.length === 1) console.log(count), count = 0;
    else count++;
  }
}

async function main(count: number): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "receive"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).values();
  const nextLine = lineReader(lines);
  const { port, forced } = JSON.parse(await nextLine());
  if (!forced) console.error("receiver: SO_RCVBUFFORCE refused (not root?): losses are possible");
  const socket = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
  const to: Deno.NetAddr = { transport: "udp", hostname: LOCAL, port };
  const methods: [string, (n: number) => Promise<number>][] = [["Deno `send`", denoSend]];
  for (const gso of [false, true]) {
    for (const capacity of BATCHES) {
      const sender = BatchSender.open(socket.addr as Deno.NetAddr, {
        capacity,
        slotBytes: DATAGRAM_BYTES,
      });
      if (sender === null) throw new Error("No batched send path here");
      if (!gso) sender.disableGso();
      methods.push([`${gso ? "GSO" : "sendmmsg"} × ${capacity}`, (n) => batchSend(sender, n)]);
    }
  }
  const payload = new Uint8Array(DATAGRAM_BYTES).fill(7);
  const key = `${LOCAL}:${port}`;
  const name = sockaddrIn(to)!;
  async function denoSend(n: number): Promise<number> {
    for (let i = 0; i < n; i++) await socket.send(payload, to);
    return 0;
  }
  async function batchSend(sender: BatchSender, n: number): Promise<number> {
    const before = sender.stats.fallbacks;
    const batch = sender.batch;
    for (let left = n; left > 0; left -= batch.count) {
      batch.clear();
      while (!batch.full && batch.count < left) batch.push(payload, key, name);
      await sender.flush(async (i) => (await socket.send(batch.datagram(i), to), true));
    }
    return sender.stats.fallbacks - before;
  }
  const results = new Map<string, Run[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const [label, method] of methods) {
      const started = performance.now();
      const fallbacks = await method(count);
      const us = 1000 * (performance.now() - started) / count;
      await socket.send(new Uint8Array(1), to);
      const received = Number(await nextLine());
      results.set(label, [...(results.get(label) ?? []), { us, received, fallbacks }]);
    }
  }
  child.kill();
  await child.status;
  socket.close();
  console.log(render(results, count));
}

function render(results: Map<string, Run[]>, count: number): string {
  const base = median(results.get("Deno `send`")!.map((r) => r.us));
  const lines = [
    `${count.toLocaleString("en-US")} datagrams of ${DATAGRAM_BYTES} bytes per run, ` +
    `median of ${RUNS} runs:`,
    "",
    "| method | µs per datagram | × Deno `send` | received (min of runs) | fell back to `send` |",
    "|---|---|---|---|---|",
  ];
  for (const [label, runs] of results) {
    const us = median(runs.map((r) => r.us));
    const received = Math.min(...runs.map((r) => r.received));
    const fallbacks = Math.max(...runs.map((r) => r.fallbacks));
    lines.push(
      `| ${label} | ${us.toFixed(2)} | ${(base / us).toFixed(1)} | ` +
        `${received.toLocaleString("en-US")} | ${fallbacks} |`,
    );
  }
  return lines.join("\n");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function lineReader(chunks: AsyncIterator<string>): () => Promise<string> {
  let pending = "";
  return async () => {
    while (!pending.includes("\n")) {
      const { value, done } = await chunks.next();
      if (done) throw new Error("Receiver ended");
      pending += value;
    }
    const at = pending.indexOf("\n");
    const line = pending.slice(0, at);
    pending = pending.slice(at + 1);
    return line;
  };
}

if (import.meta.main) {
  if (Deno.args[0] === "receive") await receive();
  else await main(Number(Deno.args[0] ?? 50_000));
}
