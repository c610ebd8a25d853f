/**
 * The measured downloads of the file-channel benchmark: the TCP baseline between two
 * processes, `client.ts get` from a `server.ts` process directly, and the same through a relay
 * process (`tools/netsim.ts --tcp` on 127.0.0.2, so the unmodified client reaches the relay).
 *
 * @module
 */

import { join } from "node:path";
import type { UdpRelayStats } from "../../tools/relay/udp_relay.ts";
import { readUdpCounters } from "../lib/proc_stats.ts";
import { cpuSecondsOf, RUN, runTimed, SERVER_V8_FLAGS, Service } from "./processes.ts";

/** The address the relay listens on, so the client's UDP goes to it. */
export const RELAY_HOST = "127.0.0.2";
const DONE_WAIT_MS = 15_000;

/** One measured transfer. */
export interface Download {
  bytes: number;
  ok: boolean;
  /** From the grant to the server's last acknowledged byte (server log), or the TCP stream. */
  transferMs: number;
  /** Goodput over `transferMs`, MB/s (10^6 bytes). */
  goodput: number;
  /** Wall time of the client process, start to exit. */
  wallMs: number;
  /** CPU seconds (user + system) during the transfer, per process. */
  cpu: { server: number; client: number; relay?: number };
  /** Datagrams the kernel dropped for full receive buffers, system-wide. */
  rcvbufErrors: number;
  /** The server's figures for the transfer, from its `download_done` record, when it completed. */
  server?: ServerTransferStats;
  /** The relay's counters at the end, when there was one. */
  relay?: UdpRelayStats;
  error?: string;
}

/** What `server.ts` logs about a completed download (`key=value` words of `download_done`). */
export interface ServerTransferStats {
  retransmittedBytes: number;
  packetsLost: number;
  smoothedRttMs: number;
  datagramBytes: number;
}

/** Reads the figures of a `download_done` detail; null when they are missing. */
export function parseServerStats(detail: string): ServerTransferStats | null {
  const value = (key: string) => Number(new RegExp(`\\b${key}=([\\d.]+)`).exec(detail)?.[1]);
  const stats = {
    retransmittedBytes: value("retransmitted"),
    packetsLost: value("lost"),
    smoothedRttMs: value("srtt_ms"),
    datagramBytes: value("datagram"),
  };
  return Object.values(stats).every(Number.isFinite) ? stats : null;
}

/** Sends `file` over one TCP connection between two processes, in 64 KiB writes. */
export async function tcpBaseline(file: string, out: string | "-"): Promise<Download> {
  const receiver = new Service([...RUN, "bench/rudp/peer.ts", "tcp-recv", out]);
  try {
    const [, port] = await receiver.waitFor(/^(\d+)$/);
    const before = await rcvbufErrors();
    const sender = await runTimed([...RUN, "bench/rudp/peer.ts", "tcp-send", port!, file]);
    const [line] = await receiver.waitFor(/^\{.*\}$/);
    const result = JSON.parse(line) as { bytes: number; ms: number; cpuSeconds: number };
    const after = await rcvbufErrors();
    return {
      bytes: result.bytes,
      ok: sender.code === 0,
      transferMs: result.ms,
      goodput: result.bytes / result.ms / 1000,
      wallMs: sender.wallMs,
      cpu: { server: sender.cpuSeconds, client: result.cpuSeconds },
      rcvbufErrors: after - before,
    };
  } finally {
    await receiver.stop();
  }
}

/** A `server.ts` process sharing a folder; `--port 0`, so UDP takes the same port as TCP. */
export class BenchServer {
  readonly #service: Service;
  readonly #downloads: string;
  #runs = 0;

  private constructor(service: Service, readonly port: number, downloads: string) {
    this.#service = service;
    this.#downloads = downloads;
  }

  /** Starts the server; `profileDir` turns on `--cpu-prof`. */
  static async start(files: string, downloads: string, profileDir?: string) {
    const service = new Service([
      "run",
      ...RUN.slice(1),
      ...SERVER_V8_FLAGS,
      ...profileFlags(profileDir),
      "server.ts",
      ...["--port", "0", "--files", files, "--log", "json", "--rate", "0"],
    ]);
    const [, port] = await service.waitFor(/"listening","detail":"[^"]*:(\d+) udp/);
    return new BenchServer(service, Number(port), downloads);
  }

  /** Downloads `name` with `client.ts get` from `host` (the server's, or a relay's). */
  async download(
    name: string,
    options: {
      host?: string;
      mtu?: number;
      relay?: Service;
      profileDir?: string;
      timeoutMs?: number;
    } = {},
  ): Promise<Download> {
    const from = this.#service.lines.length;
    const cpu0 = await Promise.all([this.#service.cpuSeconds(), relayCpu(options.relay)]);
    const before = await rcvbufErrors();
    const dir = join(this.#downloads, `run-${++this.#runs}`);
    const run = await runTimed([
      ...RUN,
      ...profileFlags(options.profileDir),
      "client.ts",
      ...["--host", options.host ?? "127.0.0.1", "--port", String(this.port)],
      ...["--name", `bench${this.#runs}`, "--downloads", dir],
      ...(options.mtu === undefined ? [] : ["--mtu", String(options.mtu)]),
      ...["get", name],
    ], options.timeoutMs);
    const ended = await this.#service.waitFor(/"event":"download_(done|ended)"/, from, DONE_WAIT_MS)
      .catch(() => null);
    const cpu1 = await Promise.all([this.#service.cpuSeconds(), relayCpu(options.relay)]);
    const after = await rcvbufErrors();
    const bytes = (await Deno.stat(join(dir, name)).catch(() => null))?.size ?? 0;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    const transferMs = this.#transferMs(from);
    const ok = run.code === 0 && ended?.[1] === "done";
    const server = ended === null ? null : parseServerStats(JSON.parse(ended.input).detail ?? "");
    return {
      bytes,
      ok,
      transferMs,
      goodput: bytes / transferMs / 1000,
      wallMs: run.wallMs,
      cpu: {
        server: cpu1[0] - cpu0[0],
        client: run.cpuSeconds,
        ...(options.relay ? { relay: cpu1[1] - cpu0[1] } : {}),
      },
      rcvbufErrors: after - before,
      ...(server === null ? {} : { server }),
      ...(ok ? {} : { error: lastLine(run.stderr) || `exit code ${run.code}` }),
    };
  }

  /** Downloads through a relay process impairing both directions with `flags`. */
  async downloadThroughRelay(
    name: string,
    flags: string[],
    options: { seed: number; profileDir?: string },
  ): Promise<Download> {
    const relay = new Service([
      "run",
      "--allow-net",
      ...profileFlags(options.profileDir && join(options.profileDir, "relay")),
      "tools/netsim.ts",
      ...["--listen", `${RELAY_HOST}:${this.port}`, "--target", `127.0.0.1:${this.port}`],
      ...["--tcp", "--json", "--stats-every", "0", "--seed", String(options.seed), ...flags],
    ]);
    try {
      await relay.waitFor(/netsim: relaying/);
      const result = await this.download(name, {
        host: RELAY_HOST,
        relay,
        ...(options.profileDir ? { profileDir: join(options.profileDir, "client") } : {}),
      });
      await relay.stop();
      const stats = relay.lines.filter((l) => l.stream === "stdout").at(-1)?.text;
      return stats === undefined ? result : { ...result, relay: JSON.parse(stats) };
    } finally {
      await relay.stop();
    }
  }

  /** Stops the server (SIGTERM), which writes its CPU profile if one was asked for. */
  async stop(): Promise<void> {
    await this.#service.stop();
  }

  #transferMs(from: number): number {
    const lines = this.#service.lines.slice(from).map((l) => l.text);
    const time = (event: RegExp) => {
      const line = lines.find((text) => event.test(text));
      return line === undefined ? NaN : Date.parse(JSON.parse(line).time);
    };
    return time(/"event":"download_(done|ended)"/) - time(/"event":"download_start"/);
  }
}

function profileFlags(dir: string | undefined): string[] {
  return dir === undefined || dir === "" ? [] : ["--cpu-prof", `--cpu-prof-dir=${dir}`];
}

function relayCpu(relay: Service | undefined): Promise<number> {
  return relay === undefined ? Promise.resolve(0) : cpuSecondsOf(relay.child.pid);
}

/** Datagrams the machine dropped so far for a full receive buffer; NaN if unreadable. */
async function rcvbufErrors(): Promise<number> {
  return (await readUdpCounters())?.rcvbufErrors ?? NaN;
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1) ?? "";
}
