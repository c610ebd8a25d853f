/**
 * kcptun (KCP over UDP with Reed-Solomon FEC, Debian package `kcptun`) as a contender on the
 * MTU-1500 path: the bench's TCP stream (`peer.ts tcp-serve` → `tcp-get`) carried through a
 * kcptun tunnel, so that the file crosses the lossy path as kcptun's UDP. `kcptun-server` sits in
 * front of the TCP sender, `kcptun-client` in front of the receiver; both TCP legs use
 * {@linkcode LAB_OFF_PATH_HOST}, which the lab neither drops nor counts. The tunnel is up for the
 * whole bench, as kcptun is run in use; each run is one TCP connection through it.
 *
 * @module
 */

import { LAB_OFF_PATH_HOST } from "./path_lab.ts";
import { RUN, Service } from "./processes.ts";

/** The two programs the Debian package installs. */
export const KCPTUN_PROGRAMS = ["kcptun-server", "kcptun-client"] as const;
/**
 * UDP port of `kcptun-server` on 127.0.0.1, fixed because it does not report a port it chose;
 * nothing else listens in the lab's private namespace. kcptun's own default.
 */
export const KCPTUN_PORT = 29900;
/** Send and receive windows of both ends, packets (the first measurement). */
export const KCPTUN_WINDOW_PACKETS = 4096;
/** kcptun's UDP packet size, bytes: its default, which fits the 1,500-byte path whole. */
export const KCPTUN_MTU_BYTES = 1350;
/** Reed-Solomon data and parity shards per FEC group: kcptun's defaults. */
export const KCPTUN_SHARDS = { data: 10, parity: 3 } as const;

/**
 * Flags both ends take: the fast3 profile, no encryption and no compression (the file is
 * random bytes; our channel seals every datagram, so this leaves kcptun the lighter work).
 */
export const KCPTUN_FLAGS = [
  ...["--mode", "fast3", "--crypt", "none", "--nocomp", "--quiet"],
  ...["--sndwnd", String(KCPTUN_WINDOW_PACKETS), "--rcvwnd", String(KCPTUN_WINDOW_PACKETS)],
  ...["--mtu", String(KCPTUN_MTU_BYTES)],
  ...["--datashard", String(KCPTUN_SHARDS.data), "--parityshard", String(KCPTUN_SHARDS.parity)],
];

/** Why kcptun cannot run here (one of `programs` is not on the PATH), or null. */
export async function kcptunMissing(
  programs: readonly string[] = KCPTUN_PROGRAMS,
): Promise<string | null> {
  for (const program of programs) {
    const found = await new Deno.Command("sh", { args: ["-c", `command -v ${program}`] })
      .output();
    if (!found.success) return `${program} not found (Debian: apt-get install kcptun)`;
  }
  return null;
}

/** The TCP sender, both tunnel ends, and the port a receiver connects to. */
export class KcptunTunnel {
  private constructor(
    readonly sender: Service,
    readonly server: Service,
    readonly client: Service,
    /** TCP port of `kcptun-client` on {@linkcode LAB_OFF_PATH_HOST}. */
    readonly port: number,
  ) {}

  /** Starts the TCP sender of `path` and the tunnel in front of it. */
  static async start(path: string): Promise<KcptunTunnel> {
    const sender = new Service([
      ...RUN,
      "bench/rudp/peer.ts",
      "tcp-serve",
      path,
      LAB_OFF_PATH_HOST,
    ]);
    const senderPort = (await sender.waitFor(/^(\d+)$/))[1]!;
    const server = new Service([
      ...["--listen", `127.0.0.1:${KCPTUN_PORT}`, "--target", `${LAB_OFF_PATH_HOST}:${senderPort}`],
      ...KCPTUN_FLAGS,
    ], "kcptun-server");
    await server.waitFor(/key derivation done/);
    const client = new Service([
      ...["--localaddr", `${LAB_OFF_PATH_HOST}:0`, "--remoteaddr", `127.0.0.1:${KCPTUN_PORT}`],
      ...KCPTUN_FLAGS,
    ], "kcptun-client");
    const port = Number((await client.waitFor(/listening on: [\d.]+:(\d+)/))[1]);
    await client.waitFor(/key derivation done/);
    return new KcptunTunnel(sender, server, client, port);
  }

  /** CPU seconds used so far: the sender side (TCP sender and `kcptun-server`) and the client's. */
  async cpuSeconds(): Promise<{ server: number; client: number }> {
    const [sender, server, client] = await Promise.all(
      [this.sender, this.server, this.client].map((service) => service.cpuSeconds()),
    );
    return { server: sender! + server!, client: client! };
  }

  /** Stops all three. */
  async stop(): Promise<void> {
    await Promise.all([this.client.stop(), this.server.stop(), this.sender.stop()]);
  }
}
