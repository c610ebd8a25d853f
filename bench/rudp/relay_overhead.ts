/**
 * What the relay itself costs: the delay it adds (no impairment), how closely it keeps a
 * configured delay, and how many datagrams per second it forwards. The relay runs in its own
 * process (`tools/netsim.ts`); the echo server and the sink run here; the blaster is a process.
 *
 * @module
 */

import type { UdpRelayStats } from "../../tools/relay/udp_relay.ts";
import { RUN, runTimed, Service } from "./processes.ts";

const LOCAL = "127.0.0.1";

/** Round-trip times in ms. */
export interface RttSummary {
  median: number;
  p99: number;
}

/** Forwarding throughput through the relay, and without it for comparison. */
export interface BlastResult {
  datagramBytes: number;
  sent: number;
  /** Datagrams per second and MB/s that arrived, direct and through the relay. */
  direct: { perSecond: number; mbps: number; lossPercent: number };
  relayed: {
    perSecond: number;
    mbps: number;
    lossPercent: number;
    relayCpuSeconds: number;
    /** Datagrams the relay read (the rest the kernel dropped at its socket). */
    relayReceived: number;
    /** Relay CPU per datagram it read, µs: its capacity is about 10^6 / this per second. */
    relayMicrosPerDatagram: number;
  };
}

/** Everything measured about the relay. */
export interface RelayOverhead {
  directRtt: RttSummary;
  relayRtt: RttSummary;
  /** Round trip through a relay set to `delayMs` each way, minus twice that. */
  delayMs: number;
  delayedExcess: RttSummary;
  blasts: BlastResult[];
}

/** Measures the relay; `pings` round trips per case, `count` datagrams per blast. */
export async function measureRelayOverhead(
  pings: number,
  count: number,
): Promise<RelayOverhead> {
  const echo = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
  const echoing = echoLoop(echo);
  const echoPort = (echo.addr as Deno.NetAddr).port;
  try {
    const directRtt = await pingPong(echoPort, pings);
    const relayRtt = await withRelay(echoPort, [], (port) => pingPong(port, pings));
    const delayMs = 10;
    const delayed = await withRelay(
      echoPort,
      ["--delay", String(delayMs)],
      (port) => pingPong(port, Math.min(pings, 300)),
    );
    const delayedExcess = {
      median: delayed.median - 2 * delayMs,
      p99: delayed.p99 - 2 * delayMs,
    };
    const blasts = [];
    for (const size of [1200, 8192]) blasts.push(await blast(size, count));
    return { directRtt, relayRtt, delayMs, delayedExcess, blasts };
  } finally {
    echo.close();
    await echoing;
  }
}

async function echoLoop(socket: Deno.DatagramConn): Promise<void> {
  const buffer = new Uint8Array(65_536);
  try {
    for (;;) {
      const [bytes, from] = await socket.receive(buffer);
      await socket.send(bytes, from);
    }
  } catch {
    // Closed.
  }
}

async function pingPong(port: number, count: number): Promise<RttSummary> {
  const socket = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
  const to: Deno.NetAddr = { transport: "udp", hostname: LOCAL, port };
  const buffer = new Uint8Array(2048);
  const rtts: number[] = [];
  try {
    for (let i = 0; i < count + 20; i++) {
      const started = performance.now();
      await socket.send(new Uint8Array(32), to);
      await socket.receive(buffer);
      if (i >= 20) rtts.push(performance.now() - started); // the first ones warm up
    }
  } finally {
    socket.close();
  }
  rtts.sort((a, b) => a - b);
  return { median: rtts[rtts.length >> 1]!, p99: rtts[Math.floor(rtts.length * 0.99)]! };
}

/**
 * Starts `tools/netsim.ts` towards `target`, runs `body` with its port, then stops it; returns
 * what `body` returned and the relay's final counters.
 */
async function withRelay<T>(
  target: number,
  flags: string[],
  body: (port: number, relay: Service) => Promise<T>,
): Promise<T> {
  return (await withRelayStats(target, flags, body)).result;
}

async function withRelayStats<T>(
  target: number,
  flags: string[],
  body: (port: number, relay: Service) => Promise<T>,
): Promise<{ result: T; stats: UdpRelayStats | null }> {
  const relay = new Service([
    "run",
    "--allow-net",
    "tools/netsim.ts",
    ...["--listen", `${LOCAL}:0`, "--target", `${LOCAL}:${target}`, "--json"],
    ...["--stats-every", "0", ...flags],
  ]);
  try {
    const [, port] = await relay.waitFor(/relaying [\d.]+:(\d+) ->/);
    const result = await body(Number(port), relay);
    await relay.stop();
    const last = relay.lines.filter((l) => l.stream === "stdout").at(-1)?.text;
    return { result, stats: last === undefined ? null : JSON.parse(last) };
  } finally {
    await relay.stop();
  }
}

/** Blasts `count` datagrams of `size` bytes from another process, direct and relayed. */
async function blast(size: number, count: number): Promise<BlastResult> {
  const direct = await blastInto(size, count, null);
  const relayed = await blastInto(size, count, []);
  const cpu = relayed.relayCpuSeconds ?? NaN;
  const read = relayed.relayReceived ?? NaN;
  return {
    datagramBytes: size,
    sent: count,
    direct,
    relayed: {
      perSecond: relayed.perSecond,
      mbps: relayed.mbps,
      lossPercent: relayed.lossPercent,
      relayCpuSeconds: cpu,
      relayReceived: read,
      relayMicrosPerDatagram: 1e6 * cpu / read,
    },
  };
}

/**
 * Deno's raw UDP ceiling at `size`: a Deno process sends `count` datagrams as fast as awaited
 * sends go into a receiver here that only counts them (directly, or through a relay with
 * `relayFlags`).
 */
export async function blastInto(size: number, count: number, relayFlags: string[] | null) {
  const sink = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
  const sinkPort = (sink.addr as Deno.NetAddr).port;
  const tally = { received: 0, first: 0, last: 0 };
  const receiving = (async () => {
    const buffer = new Uint8Array(65_536);
    try {
      for (;;) {
        await sink.receive(buffer);
        tally.last = performance.now();
        if (tally.received++ === 0) tally.first = tally.last;
      }
    } catch {
      // Closed.
    }
  })();
  const send = (port: number) =>
    runTimed([
      ...RUN,
      "bench/rudp/peer.ts",
      "udp-blast",
      String(port),
      String(count),
      String(size),
    ]);
  let relayCpuSeconds: number | undefined;
  let relayReceived: number | undefined;
  try {
    if (relayFlags === null) {
      await send(sinkPort);
    } else {
      const { stats } = await withRelayStats(sinkPort, relayFlags, async (port, relay) => {
        const before = await relay.cpuSeconds();
        await send(port);
        await new Promise((wake) => setTimeout(wake, 200)); // let the relay drain
        relayCpuSeconds = await relay.cpuSeconds() - before;
      });
      relayReceived = stats?.toServer.impairment.sent;
    }
    await new Promise((wake) => setTimeout(wake, 200));
  } finally {
    sink.close();
    await receiving;
  }
  const seconds = Math.max(tally.last - tally.first, 1e-3) / 1000;
  return {
    perSecond: tally.received / seconds,
    mbps: tally.received * size / seconds / 1e6,
    lossPercent: 100 * (1 - tally.received / count),
    relayCpuSeconds,
    relayReceived,
  };
}
