/**
 * One download of the same file over each contender on the MTU-1500 path, from inside the lab
 * namespace: our file channel (`client.ts get` from `server.ts`), a TCP stream (`peer.ts`),
 * Deno's built-in QUIC (`quic_peer.ts`) and the TCP stream through a kcptun tunnel
 * (`kcptun_tunnel.ts`), each receiving command timed whole.
 *
 * @module
 */

import { join } from "node:path";
import { BenchServer } from "./downloads.ts";
import { KcptunTunnel } from "./kcptun_tunnel.ts";
import { LAB_OFF_PATH_HOST, tcpRetransSegs, wireBytes } from "./path_lab.ts";
import { RUN, runTimed, Service } from "./processes.ts";

/** The contenders, in the order they run in each round. */
export const CONTENDERS = ["ours", "tcp", "quic", "kcptun"] as const;
/** One of {@linkcode CONTENDERS}. */
export type Contender = typeof CONTENDERS[number];

/** One timed download on the path. */
export interface PathRun {
  contender: Contender;
  ok: boolean;
  /** File bytes over the receiving command's wall time, MB/s (10^6 bytes). */
  mbps: number;
  wallMs: number;
  cpu: { server: number; client: number };
  /** Bytes of every TCP and UDP packet that crossed the path, both ways, dropped ones included. */
  wireBytes: number;
  /** Ours: retransmitted bytes (server log); TCP: retransmitted segments; the others: unknown. */
  retransmitted: number | null;
  /** Ours: the datagram size in use at the end. */
  datagramBytes: number | null;
  error?: string;
}

/** The file every run downloads, and where the other receivers write it. */
export interface PathFile {
  name: string;
  size: number;
  sha256: string;
  /** Longest a run may take before it is killed and counted as failed. */
  timeoutMs: number;
  out: string;
}

/** The servers, started once and reused by every run. */
export class PathServers {
  private constructor(
    readonly ours: BenchServer,
    readonly tcp: { service: Service; port: number },
    readonly quic: { service: Service; port: number; ca: string },
    /** Null when kcptun does not run in this bench. */
    readonly kcptun: KcptunTunnel | null,
  ) {}

  /**
   * Starts the servers sharing `file` (inside `dir`); `certs` holds ca.crt, leaf.crt, leaf.key.
   * The kcptun tunnel only when `options.kcptun`.
   */
  static async start(
    dir: string,
    file: string,
    options: { certs: string; kcptun: boolean },
  ): Promise<PathServers> {
    const { certs } = options;
    const ours = await BenchServer.start(dir, join(dir, "..", "downloads"));
    const tcp = new Service([...RUN, "bench/rudp/peer.ts", "tcp-serve", join(dir, file)]);
    const quic = new Service([
      ...RUN,
      "--unstable-net",
      "bench/rudp/quic_peer.ts",
      ...["quic-serve", "127.0.0.1", join(certs, "leaf.crt"), join(certs, "leaf.key")],
      join(dir, file),
    ]);
    const tcpPort = Number((await tcp.waitFor(/^(\d+)$/))[1]);
    const quicPort = Number((await quic.waitFor(/^(\d+)$/))[1]);
    const kcptun = options.kcptun ? await KcptunTunnel.start(join(dir, file)) : null;
    return new PathServers(
      ours,
      { service: tcp, port: tcpPort },
      { service: quic, port: quicPort, ca: join(certs, "ca.crt") },
      kcptun,
    );
  }

  /** Stops them all. */
  async stop(): Promise<void> {
    await Promise.all([
      this.ours.stop(),
      this.tcp.service.stop(),
      this.quic.service.stop(),
      this.kcptun?.stop(),
    ]);
  }
}

/** Downloads `file` (of `size` bytes, SHA-256 `sha256`) once over `contender`. */
export async function runOnce(
  servers: PathServers,
  contender: Contender,
  file: PathFile,
): Promise<PathRun> {
  await wireBytes(); // zero the counter
  if (contender === "ours") {
    const run = await servers.ours.download(file.name, { timeoutMs: file.timeoutMs });
    const ok = run.ok && run.bytes === file.size;
    return {
      contender,
      ok,
      mbps: ok ? file.size / run.wallMs / 1000 : 0,
      wallMs: run.wallMs,
      cpu: run.cpu,
      wireBytes: await wireBytes(),
      retransmitted: run.server?.retransmittedBytes ?? null,
      datagramBytes: run.server?.datagramBytes ?? null,
      ...(run.error === undefined ? {} : { error: run.error }),
    };
  }
  return await runPeer(servers, contender, file);
}

async function runPeer(
  servers: PathServers,
  contender: Exclude<Contender, "ours">,
  file: PathFile,
): Promise<PathRun> {
  const peer = peerOf(servers, contender, file.out);
  const retrans0 = await tcpRetransSegs();
  const cpu0 = await peer.cpuSeconds();
  const run = await runTimed(peer.args, file.timeoutMs);
  await Deno.remove(file.out).catch(() => {});
  const cpu1 = await peer.cpuSeconds();
  const retrans1 = await tcpRetransSegs();
  const result = parseResult(run.stdout);
  const ok = run.code === 0 && result?.bytes === file.size && result.sha256 === file.sha256;
  return {
    contender,
    ok,
    mbps: ok ? file.size / run.wallMs / 1000 : 0,
    wallMs: run.wallMs,
    cpu: { server: cpu1.server - cpu0.server, client: run.cpuSeconds + cpu1.client - cpu0.client },
    wireBytes: await wireBytes(),
    retransmitted: contender === "tcp" ? retrans1 - retrans0 : null,
    datagramBytes: null,
    ...(ok ? {} : { error: run.stderr.split("\n").at(-1) || `exit code ${run.code}` }),
  };
}

/**
 * The receiving command of `contender` writing to `out`, and the CPU of its long-running
 * processes: the server side's, and the client side's beyond that command (kcptun-client).
 */
function peerOf(servers: PathServers, contender: Exclude<Contender, "ours">, out: string): {
  args: string[];
  cpuSeconds: () => Promise<{ server: number; client: number }>;
} {
  const serverOnly = (service: Service) => async () => ({
    server: await service.cpuSeconds(),
    client: 0,
  });
  if (contender === "tcp") {
    return {
      args: [...RUN, "bench/rudp/peer.ts", "tcp-get", String(servers.tcp.port), out],
      cpuSeconds: serverOnly(servers.tcp.service),
    };
  }
  if (contender === "quic") {
    const { port, ca } = servers.quic;
    return {
      args: [...RUN, "--unstable-net", "bench/rudp/quic_peer.ts"]
        .concat(["quic-get", "127.0.0.1", String(port), ca, out]),
      cpuSeconds: serverOnly(servers.quic.service),
    };
  }
  const tunnel = servers.kcptun;
  if (tunnel === null) throw new TypeError("kcptun was not started for this bench");
  return {
    args: [...RUN, "bench/rudp/peer.ts", "tcp-get", String(tunnel.port), out, LAB_OFF_PATH_HOST],
    cpuSeconds: () => tunnel.cpuSeconds(),
  };
}

function parseResult(stdout: string): { bytes: number; sha256: string | null } | null {
  try {
    const line = stdout.trim().split("\n").at(-1) ?? "";
    const value = JSON.parse(line) as { bytes?: unknown; sha256?: unknown };
    return typeof value.bytes === "number"
      ? { bytes: value.bytes, sha256: typeof value.sha256 === "string" ? value.sha256 : null }
      : null;
  } catch {
    return null;
  }
}
