/**
 * An in-memory world for timing the server endpoint alone: one `ServerEndpoint`, N client
 * connections, a virtual clock, a one-way delay each way and a bottleneck from the server to
 * the clients. Only the server's driver cycle is timed (see {@linkcode ScalingWorld.serverCycle}):
 * the clients and the wire are driven through heaps, so the harness itself costs the same per
 * datagram at any N.
 *
 * @module
 */

import { PriorityQueue, type QueueSlot } from "../../lib/core/priority_queue.ts";
import type { ChunkSource } from "../../lib/rudp/streams/chunk_source.ts";
import { ClientConnection } from "../../lib/rudp/client_connection.ts";
import { ServerEndpoint, type ServerEvent } from "../../lib/rudp/server_endpoint.ts";
import { Prng } from "../../lib/netsim/prng.ts";

/** One-way delay of the simulated path, ms. */
export const SCALING_DELAY_MS = 5;
/** Rate of the bottleneck from the server to the clients, bytes per ms (1 Gbit/s). */
export const SCALING_LINK_BYTES_PER_MS = 125_000;
/** Size of every transfer: they never end while measured, bytes. */
const ENDLESS_BYTES = 1e12;
/** The server side's idle timeout: quiet transfers must outlive the run, ms. */
const IDLE_TIMEOUT_MS = 3_600_000;
const SERVER = "10.0.0.1:9000";

/** Time the server spent in one part of its driver cycle, summed, ms. */
export interface CycleTimes {
  input: number;
  events: number;
  transmit: number;
  timeout: number;
}

/** What the server did while measured. */
export interface ServerCounts extends CycleTimes {
  cycles: number;
  datagramsIn: number;
  datagramsOut: number;
}

interface BenchClient {
  readonly conn: ClientConnection;
  readonly address: string;
  /** Goes silent once established (a quiet transfer). */
  readonly quiet: boolean;
  frozen: boolean;
  established: boolean;
  timer: QueueSlot<BenchClient> | null;
}

interface Flight {
  /** null: to the server. */
  to: BenchClient | null;
  from: string;
  bytes: Uint8Array;
}

/**
 * N transfers on one endpoint: `active` of them downloads that run flat out, the rest uploads
 * whose clients fall silent once established (quiet: the server holds their state and timers).
 */
export class ScalingWorld {
  readonly endpoint: ServerEndpoint;
  now = 0;
  /** Counts and times of the server, while {@linkcode measuring}. */
  counts: ServerCounts = zeroCounts();
  measuring = false;
  established = 0;
  readonly #clients: BenchClient[] = [];
  readonly #wire = new PriorityQueue<Flight>();
  readonly #clientTimers = new PriorityQueue<BenchClient>();
  readonly #out: { to: string; bytes: Uint8Array }[] = [];
  readonly #byAddress = new Map<string, BenchClient>();
  #linkFreeAt = 0;
  #serverDeadline: number | null = null;
  #serverFiredAt = -Infinity;

  constructor(transfers: number, active: number, seed = 1) {
    const prng = new Prng(seed);
    const random = (bytes: Uint8Array) => prng.fill(bytes);
    const source = new BlockSource(prng);
    this.endpoint = new ServerEndpoint({ random, idleTimeoutMs: IDLE_TIMEOUT_MS });
    for (let i = 0; i < transfers; i++) {
      const token = new Uint8Array(16);
      random(token);
      const direction = i < active ? "download" : "upload";
      const key = new Uint8Array(32);
      random(key);
      const terms = { transferId: i + 1, token, key, direction, size: ENDLESS_BYTES } as const;
      this.endpoint.expect({ ...terms, source, expiresAt: 1e12 });
      const conn = new ClientConnection({ ...terms, random, source }, 0);
      const address = `10.1.${i >> 8}.${i & 0xff}:4000`;
      const client: BenchClient = {
        conn,
        address,
        quiet: i >= active,
        frozen: false,
        established: false,
        timer: null,
      };
      this.#clients.push(client);
      this.#byAddress.set(address, client);
      this.#afterClientInput(client);
    }
  }

  /** Runs until `done()` holds; throws when nothing is left to happen. */
  run(done: () => boolean): void {
    while (!done()) {
      const next = this.#next();
      if (next === null) throw new Error(`Scaling world stalled at ${this.now} ms`);
      this.now = Math.max(this.now, next);
      this.#step();
    }
  }

  /**
   * One turn of the server's driver, as `UdpDriver` runs it: the input, then its events, then
   * every datagram it has to send, then its next deadline. Timed part by part.
   */
  serverCycle(input: () => void): void {
    const t0 = performance.now();
    input();
    const t1 = performance.now();
    for (let e = this.endpoint.pollEvent(); e !== null; e = this.endpoint.pollEvent()) {
      this.#onServerEvent(e);
    }
    const t2 = performance.now();
    const out = this.#out;
    for (let d = this.endpoint.pollTransmit(this.now); d !== null;) {
      out.push(d);
      d = this.endpoint.pollTransmit(this.now);
    }
    const t3 = performance.now();
    this.#serverDeadline = this.endpoint.pollTimeout();
    const t4 = performance.now();
    if (this.measuring) {
      const c = this.counts;
      c.cycles++;
      c.datagramsOut += out.length;
      c.input += t1 - t0;
      c.events += t2 - t1;
      c.transmit += t3 - t2;
      c.timeout += t4 - t3;
    }
    for (const d of out) this.#toClient(d.to, d.bytes);
    out.length = 0;
  }

  #next(): number | null {
    let next = this.#wire.peek()?.key ?? null;
    const server = this.#serverDeadline;
    if (server !== null && server !== this.#serverFiredAt && (next === null || server < next)) {
      next = server;
    }
    const client = this.#clientTimers.peek()?.key;
    if (client !== undefined && (next === null || client < next)) next = client;
    return next;
  }

  #step(): void {
    const now = this.now;
    for (let top = this.#wire.peek(); top !== null && top.key <= now; top = this.#wire.peek()) {
      const flight = this.#wire.pop()!;
      if (flight.to === null) {
        if (this.measuring) this.counts.datagramsIn++;
        this.serverCycle(() => this.endpoint.handleDatagram(now, flight.bytes, flight.from));
      } else if (!flight.to.frozen) {
        flight.to.conn.handleDatagram(now, flight.bytes, SERVER);
        this.#afterClientInput(flight.to);
      }
    }
    const deadline = this.#serverDeadline;
    if (deadline !== null && deadline <= now && deadline !== this.#serverFiredAt) {
      this.#serverFiredAt = deadline; // a deadline left in place is not run again at once
      this.serverCycle(() => this.endpoint.handleTimeout(now));
    }
    for (let top = this.#clientTimers.peek(); top !== null && top.key <= now;) {
      const client = this.#clientTimers.pop()!;
      client.timer = null;
      client.conn.handleTimeout(now);
      this.#afterClientInput(client);
      top = this.#clientTimers.peek();
    }
  }

  #afterClientInput(client: BenchClient): void {
    const conn = client.conn;
    for (let e = conn.pollEvent(); e !== null; e = conn.pollEvent()) {
      if (e.kind === "established") client.established = true;
      if (e.kind === "failed") throw new Error(`Client ${client.address} failed: ${e.message}`);
    }
    for (let b = conn.pollTransmit(this.now); b !== null; b = conn.pollTransmit(this.now)) {
      this.#wire.push({ to: null, from: client.address, bytes: b }, this.now + SCALING_DELAY_MS);
    }
    if (client.quiet && client.established) client.frozen = true;
    const at = client.frozen ? null : conn.pollTimeout();
    if (at === null) {
      if (client.timer !== null) this.#clientTimers.remove(client.timer);
      client.timer = null;
    } else if (client.timer === null) {
      client.timer = this.#clientTimers.push(client, at);
    } else if (client.timer.key !== at) {
      this.#clientTimers.update(client.timer, at);
    }
  }

  #toClient(address: string, bytes: Uint8Array): void {
    const client = this.#byAddress.get(address);
    if (client === undefined) throw new Error(`Datagram to nobody: ${address}`);
    const departs = Math.max(this.now, this.#linkFreeAt) + bytes.length / SCALING_LINK_BYTES_PER_MS;
    this.#linkFreeAt = departs;
    this.#wire.push({ to: client, from: SERVER, bytes }, departs + SCALING_DELAY_MS);
  }

  #onServerEvent(event: ServerEvent): void {
    if (event.kind === "established") this.established++;
    if (event.kind === "failed") {
      throw new Error(`Transfer ${event.transferId} failed: ${event.code} ${event.message}`);
    }
  }
}

/** Counters at zero. */
export function zeroCounts(): ServerCounts {
  return {
    cycles: 0,
    datagramsIn: 0,
    datagramsOut: 0,
    input: 0,
    events: 0,
    transmit: 0,
    timeout: 0,
  };
}

/** File bytes that cost nothing to read: views of one random block. */
class BlockSource implements ChunkSource {
  static readonly PERIOD = 1 << 20;
  readonly #block = new Uint8Array(2 * BlockSource.PERIOD);

  constructor(prng: Prng) {
    const half = this.#block.subarray(0, BlockSource.PERIOD);
    prng.fill(half);
    this.#block.set(half, BlockSource.PERIOD);
  }

  read(offset: number, length: number): Uint8Array {
    if (length > BlockSource.PERIOD) throw new RangeError(`Cannot read ${length} bytes at once`);
    const at = offset % BlockSource.PERIOD;
    return this.#block.subarray(at, at + length);
  }
}
