/**
 * Deno's built-in QUIC (quinn, TLS 1.3) as the file channel's anchor in the benchmark: one
 * process serves a file on one unidirectional stream, another receives it.
 *
 * - `quic-serve HOST CERT KEY FILE`: listens on HOST, port 0 (port printed first), and sends FILE
 *   to each connection on one stream in 64 KiB writes, one connection at a time.
 * - `quic-get HOST PORT CA OUT|-`: connects, writes what arrives to OUT with a running SHA-256
 *   (the client's work on a download), or discards it with `-`; prints
 *   `{"bytes","ms","sha256","cpuSeconds"}`, timed from the connect call to end of stream.
 *
 * Run: deno run --unstable-net --allow-net --allow-read --allow-write bench/rudp/quic_peer.ts ...
 *
 * @module
 */

import { createHash } from "node:crypto";
import process from "node:process";

/** ALPN name both ends agree on. */
export const QUIC_ALPN = "bench-file";
const WRITE_BYTES = 64 * 1024;

async function serve(host: string, certPath: string, keyPath: string, path: string) {
  const endpoint = new Deno.QuicEndpoint({ hostname: host, port: 0 });
  const listener = endpoint.listen({
    cert: await Deno.readTextFile(certPath),
    key: await Deno.readTextFile(keyPath),
    alpnProtocols: [QUIC_ALPN],
  });
  console.log(endpoint.addr.port);
  for (;;) await sendFile(await listener.accept(), path).catch(() => {});
}

async function sendFile(conn: Deno.QuicConn, path: string): Promise<void> {
  const stream = await conn.createUnidirectionalStream();
  const writer = stream.getWriter();
  using file = await Deno.open(path, { read: true });
  for (;;) {
    const buffer = new Uint8Array(WRITE_BYTES);
    const n = await file.read(buffer);
    if (n === null) break;
    await writer.write(buffer.subarray(0, n));
  }
  await writer.close();
  await conn.closed.catch(() => {});
}

async function get(host: string, port: number, caPath: string, target: string) {
  const started = performance.now();
  const conn = await Deno.connectQuic({
    hostname: host,
    port,
    serverName: "localhost",
    caCerts: [await Deno.readTextFile(caPath)],
    alpnProtocols: [QUIC_ALPN],
  });
  const file = target === "-" ? null : await Deno.open(target, { write: true, create: true });
  const hash = file === null ? null : createHash("sha256");
  let bytes = 0;
  for await (const stream of conn.incomingUnidirectionalStreams) {
    for await (const piece of stream) {
      if (file !== null) {
        hash!.update(piece);
        for (let done = 0; done < piece.length;) done += await file.write(piece.subarray(done));
      }
      bytes += piece.length;
    }
    break;
  }
  const ms = performance.now() - started;
  file?.close();
  conn.close({ closeCode: 0, reason: "done" });
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ bytes, ms, sha256: hash?.digest("hex") ?? null, cpuSeconds }));
}

if (import.meta.main) {
  const [mode, a = "", b = "", c = "", d = ""] = Deno.args;
  if (mode === "quic-serve") await serve(a, b, c, d);
  else if (mode === "quic-get") await get(a, Number(b), c, d);
  else {
    console.error(
      "Usage: quic_peer.ts quic-serve HOST CERT KEY FILE | quic-get HOST PORT CA OUT|-",
    );
    Deno.exit(2);
  }
}
