/**
 * The other ends the file-channel benchmark runs in processes of their own:
 *
 * - `tcp-recv FILE|-`: accepts one TCP connection on 127.0.0.1 (port printed first), writes what
 *   arrives to FILE with a running SHA-256 (the client's work on a download), or discards it
 *   with `-`; prints `{"bytes","ms","sha256","cpuSeconds"}`, timed from accept to end of stream.
 * - `tcp-send PORT FILE`: sends FILE in 64 KiB writes.
 * - `udp-blast PORT COUNT BYTES [GAP_US]`: sends COUNT datagrams of BYTES as fast as awaited
 *   sends go, or with GAP_US µs of busy work after each (the work a protocol does per datagram);
 *   prints the time spent in `send` itself too.
 * - `tcp-serve FILE [HOST]`: listens on HOST, 127.0.0.1 unless given (port printed first), and
 *   sends FILE to each connection.
 * - `tcp-get PORT FILE|- [HOST]`: connects to HOST (127.0.0.1 unless given) and receives as
 *   `tcp-recv` does, so that the receiving command can be timed whole, as a download client is.
 *
 * Run: deno run --allow-net --allow-read --allow-write bench/rudp/peer.ts MODE ARGS...
 *
 * @module
 */

import { createHash } from "node:crypto";
import process from "node:process";

/** Write size of the TCP baseline, bytes. */
export const TCP_WRITE_BYTES = 64 * 1024;
const LOCAL = "127.0.0.1";

async function tcpReceive(target: string): Promise<void> {
  const listener = Deno.listen({ hostname: LOCAL, port: 0 });
  console.log(listener.addr.port);
  const conn = await listener.accept();
  listener.close();
  await receiveInto(conn, target, performance.now());
}

async function tcpGet(port: number, target: string, hostname = LOCAL): Promise<void> {
  const started = performance.now();
  await receiveInto(await Deno.connect({ hostname, port }), target, started);
}

async function tcpServe(path: string, hostname = LOCAL): Promise<void> {
  const listener = Deno.listen({ hostname, port: 0 });
  console.log(listener.addr.port);
  for await (const conn of listener) {
    using file = await Deno.open(path, { read: true });
    await sendFrom(file, conn).catch(() => {});
    conn.close();
  }
}

async function receiveInto(conn: Deno.Conn, target: string, started: number): Promise<void> {
  const file = target === "-" ? null : await Deno.open(target, { write: true, create: true });
  const hash = file === null ? null : createHash("sha256");
  const buffer = new Uint8Array(TCP_WRITE_BYTES);
  let bytes = 0;
  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
    const piece = buffer.subarray(0, n);
    if (file !== null) {
      hash!.update(piece);
      for (let done = 0; done < n;) done += await file.write(piece.subarray(done));
    }
    bytes += n;
  }
  file?.close();
  conn.close();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ bytes, ms, sha256: hash?.digest("hex") ?? null, cpuSeconds }));
}

async function tcpSend(port: number, path: string): Promise<void> {
  using file = await Deno.open(path, { read: true });
  const conn = await Deno.connect({ hostname: LOCAL, port });
  await sendFrom(file, conn);
  conn.close();
}

async function sendFrom(file: Deno.FsFile, conn: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(TCP_WRITE_BYTES);
  for (let n = await file.read(buffer); n !== null; n = await file.read(buffer)) {
    for (let done = 0; done < n;) done += await conn.write(buffer.subarray(done, n));
  }
}

async function udpBlast(port: number, count: number, size: number, gapUs = 0): Promise<void> {
  const socket = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
  const to: Deno.NetAddr = { transport: "udp", hostname: LOCAL, port };
  const datagram = new Uint8Array(size);
  const started = performance.now();
  let sendMs = 0;
  for (let i = 0; i < count; i++) {
    new DataView(datagram.buffer).setUint32(0, i);
    const before = performance.now();
    await socket.send(datagram, to);
    const after = performance.now();
    sendMs += after - before;
    while (performance.now() - after < gapUs / 1000) {
      // Busy, as a sender doing its own work between datagrams is.
    }
  }
  console.log(JSON.stringify({ sent: count, ms: performance.now() - started, sendMs }));
  socket.close();
}

if (import.meta.main) {
  const [mode, a = "", b = "", c = "", d = "0"] = Deno.args;
  if (mode === "tcp-recv") await tcpReceive(a);
  else if (mode === "tcp-send") await tcpSend(Number(a), b);
  else if (mode === "udp-blast") await udpBlast(Number(a), Number(b), Number(c), Number(d));
  else if (mode === "tcp-serve") await tcpServe(a, b || LOCAL);
  else if (mode === "tcp-get") await tcpGet(Number(a), b, c || LOCAL);
  else {
    console.error(
      "Usage: peer.ts tcp-recv FILE|- | tcp-send PORT FILE | udp-blast PORT COUNT BYTES [GAP_US] |\n" +
        "  tcp-serve FILE [HOST] | tcp-get PORT FILE|- [HOST]",
    );
    Deno.exit(2);
  }
}
