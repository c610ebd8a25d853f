/**
 * A real UDP relay that puts the simulator's impairment model on live traffic: clients send to
 * the relay, which forwards to a target from one socket per client (so replies map back) and
 * delays, drops, duplicates, reorders or corrupts each direction through its own
 * {@linkcode Impairment}.
 *
 * Timers in Deno sleep about 1.15 ms longer than asked, and at least ~2 ms: the relay arms its
 * timer early by that much, and every wake-up (a timer or a received datagram) sends everything
 * due, so deliveries are batched per wake-up rather than one timer each.
 *
 * @module
 */

import type { ImpairmentOptions, ImpairmentStats } from "../../lib/netsim/impairment.ts";
import { Impairment } from "../../lib/netsim/impairment.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { DatagramOutbox, type OutboxStats } from "./datagram_outbox.ts";
import { DeliverySchedule } from "./delivery_schedule.ts";
import { addressKey } from "../../lib/net/udp_driver.ts";

/** Receive buffer: one more than the largest UDP payload, so nothing is cut silently. */
export const RELAY_RECEIVE_BYTES = 65_536;
/** A client silent this long (both ways) loses its socket on the next sweep, in ms. */
export const FLOW_IDLE_MS = 60_000;
/** Default most clients relayed at once. */
export const MAX_FLOWS = 1024;
/** How much later than asked a Deno timer fires, in ms (measured: 1.1 to 1.3). */
const TIMER_OVERSHOOT_MS = 1;
/** A delivery due this soon is sent at once: no timer could wait so little, in ms. */
const DELIVERY_SLACK_MS = 0.25;

/** A host and port; `hostname` is an IP address. */
export interface RelayAddress {
  hostname: string;
  port: number;
}

/** A direction through the relay. */
export type RelayDirection = "toServer" | "toClient";

/** Settings of a {@linkcode UdpRelay}. */
export interface UdpRelayOptions {
  /** Where clients send. Port 0 picks a free one. */
  listen: RelayAddress;
  /** The server datagrams are forwarded to. */
  target: RelayAddress;
  /** Impairment of datagrams from clients to the target. */
  toServer: ImpairmentOptions;
  /** Impairment of datagrams from the target back to clients. */
  toClient: ImpairmentOptions;
  /** Seed of the random choices; each direction draws from its own generator. */
  seed: number;
  /** Most clients at once; datagrams from more are dropped (default {@linkcode MAX_FLOWS}). */
  maxFlows?: number;
  /** Silence after which a client's socket is closed, ms (default {@linkcode FLOW_IDLE_MS}). */
  flowIdleMs?: number;
  /** Clock in ms (default `performance.now`). */
  clock?: () => number;
  /**
   * Sees every datagram as received, before impairment; `bytes` is valid during the call only.
   * For tracing and tests. Default none.
   */
  tap?: (direction: RelayDirection, bytes: Uint8Array, client: string) => void;
  /**
   * Picks datagrams to lose on purpose, after the tap and before impairment (counted in
   * `chosenDrops`): for tests that need one particular datagram lost. Default none.
   */
  drop?: (direction: RelayDirection, bytes: Uint8Array, client: string) => boolean;
}

/** Counters of one direction; the send counters come from the relay's own queues. */
export interface RelayDirectionStats extends OutboxStats {
  /** What the impairment model did (`sent` counts datagrams received by the relay). */
  impairment: ImpairmentStats;
  receivedBytes: number;
}

/** A snapshot of the relay's counters. */
export interface UdpRelayStats {
  toServer: RelayDirectionStats;
  toClient: RelayDirectionStats;
  /** Clients with a socket now. */
  flows: number;
  flowsOpened: number;
  /** Datagrams dropped because {@linkcode UdpRelayOptions.maxFlows} clients were relayed. */
  flowsRefused: number;
  /** Datagrams a client socket received from anyone but the target (dropped). */
  strangers: number;
  /** Datagrams the {@linkcode UdpRelayOptions.drop} choice lost. */
  chosenDrops: number;
  /** Deliveries scheduled and not yet sent. */
  scheduled: number;
}

interface Flow {
  readonly client: Deno.NetAddr;
  readonly outbox: DatagramOutbox;
  lastSeen: number;
  receiving: Promise<void>;
}

interface Scheduled {
  bytes: Uint8Array;
  outbox: DatagramOutbox;
  to: Deno.NetAddr;
}

/**
 * Relays UDP between clients and one target, impairing both directions.
 *
 * @example
 * ```ts ignore
 * const relay = new UdpRelay({
 *   listen: { hostname: "127.0.0.1", port: 0 },
 *   target: { hostname: "127.0.0.1", port: 50000 },
 *   toServer: { delayMs: 10, loss: 0.01 },
 *   toClient: { delayMs: 10, loss: 0.01 },
 *   seed: 1,
 * });
 * console.log(relay.port, relay.stats());
 * await relay.close();
 * ```
 */
export class UdpRelay {
  readonly #options: UdpRelayOptions;
  readonly #clock: () => number;
  readonly #target: Deno.NetAddr;
  readonly #listener: DatagramOutbox;
  readonly #paths: Record<RelayDirection, Impairment>;
  readonly #flows = new Map<string, Flow>();
  readonly #receiving: Promise<void>;
  readonly #counts = { flowsOpened: 0, flowsRefused: 0, strangers: 0, chosenDrops: 0 };
  readonly #receivedBytes: Record<RelayDirection, number> = { toServer: 0, toClient: 0 };
  // Send counters of client sockets closed since, so totals never go down.
  readonly #closedFlows: OutboxStats = sumStats([]);
  readonly #sweptReceiving = new Set<Promise<void>>();
  readonly #schedule = new DeliverySchedule<Scheduled>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerFor = Infinity;
  #lastSweep = 0;
  #closed = false;

  /** Binds the listening socket (throws if it cannot) and starts relaying. */
  constructor(options: UdpRelayOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => performance.now());
    this.#target = { transport: "udp", ...options.target };
    const seeds = new Prng(options.seed);
    this.#paths = {
      toServer: new Impairment(options.toServer, prngFunction(seeds.nextU32())),
      toClient: new Impairment(options.toClient, prngFunction(seeds.nextU32())),
    };
    const socket = Deno.listenDatagram({ ...options.listen, transport: "udp" });
    this.#listener = new DatagramOutbox(socket);
    this.#receiving = receiveLoop(socket, (bytes, from) => this.#fromClient(bytes, from));
  }

  /** The port clients send to. */
  get port(): number {
    return (this.#listener.socket.addr as Deno.NetAddr).port;
  }

  /** A snapshot of the counters. */
  stats(): UdpRelayStats {
    const flowOut = [...this.#flows.values()].map((f) => f.outbox.stats);
    return {
      toServer: {
        impairment: { ...this.#paths.toServer.stats },
        receivedBytes: this.#receivedBytes.toServer,
        ...sumStats([...flowOut, this.#closedFlows]),
      },
      toClient: {
        impairment: { ...this.#paths.toClient.stats },
        receivedBytes: this.#receivedBytes.toClient,
        ...sumStats([this.#listener.stats]),
      },
      flows: this.#flows.size,
      ...this.#counts,
      scheduled: this.#schedule.size,
    };
  }

  /** Stops relaying, drops what is still scheduled and closes every socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#schedule.clear();
    const flows = [...this.#flows.values()];
    for (const box of [this.#listener, ...flows.map((f) => f.outbox)]) box.close();
    await Promise.all([
      this.#receiving,
      this.#listener.idle,
      ...flows.flatMap((f) => [f.receiving, f.outbox.idle]),
      ...this.#sweptReceiving,
    ]);
  }

  #fromClient(bytes: Uint8Array, from: Deno.NetAddr): void {
    const now = this.#clock();
    if (now - this.#lastSweep > (this.#options.flowIdleMs ?? FLOW_IDLE_MS) / 4) this.#sweep(now);
    const key = addressKey(from);
    const flow = this.#flows.get(key) ?? this.#openFlow(key, from, now);
    if (flow === null) return;
    flow.lastSeen = now;
    this.#options.tap?.("toServer", bytes, key);
    if (this.#options.drop?.("toServer", bytes, key)) return void this.#counts.chosenDrops++;
    this.#impair("toServer", now, bytes, flow.outbox, this.#target);
  }

  #fromServer(flow: Flow, key: string, bytes: Uint8Array, from: Deno.NetAddr): void {
    if (from.port !== this.#target.port || from.hostname !== this.#target.hostname) {
      this.#counts.strangers++;
      return;
    }
    const now = this.#clock();
    flow.lastSeen = now;
    this.#options.tap?.("toClient", bytes, key);
    if (this.#options.drop?.("toClient", bytes, key)) return void this.#counts.chosenDrops++;
    this.#impair("toClient", now, bytes, this.#listener, flow.client);
  }

  #openFlow(key: string, client: Deno.NetAddr, now: number): Flow | null {
    if (this.#closed || this.#flows.size >= (this.#options.maxFlows ?? MAX_FLOWS)) {
      this.#counts.flowsRefused++;
      return null;
    }
    let socket: Deno.DatagramConn;
    try {
      socket = Deno.listenDatagram({
        hostname: bindAddressFor(this.#target.hostname),
        port: 0,
        transport: "udp",
      });
    } catch {
      this.#counts.flowsRefused++; // out of sockets (EMFILE): this client waits for a sweep
      return null;
    }
    const outbox = new DatagramOutbox(socket);
    const flow: Flow = { client, outbox, lastSeen: now, receiving: Promise.resolve() };
    flow.receiving = receiveLoop(socket, (bytes, from) => this.#fromServer(flow, key, bytes, from));
    this.#flows.set(key, flow);
    this.#counts.flowsOpened++;
    return flow;
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    const idle = this.#options.flowIdleMs ?? FLOW_IDLE_MS;
    for (const [key, flow] of this.#flows) {
      if (now - flow.lastSeen < idle) continue;
      this.#flows.delete(key);
      flow.outbox.close();
      Object.assign(this.#closedFlows, sumStats([this.#closedFlows, flow.outbox.stats]));
      const ending = flow.receiving.finally(() => this.#sweptReceiving.delete(ending));
      this.#sweptReceiving.add(ending);
    }
  }

  /** Runs a datagram through the direction's model and schedules what survives. */
  #impair(
    direction: RelayDirection,
    now: number,
    bytes: Uint8Array,
    outbox: DatagramOutbox,
    to: Deno.NetAddr,
  ): void {
    this.#receivedBytes[direction] += bytes.length;
    let copy: Uint8Array | null = null; // `bytes` is the receive buffer: copy what is kept
    for (const delivery of this.#paths[direction].process(now, bytes)) {
      const kept = delivery.bytes === bytes ? (copy ??= bytes.slice()) : delivery.bytes;
      this.#schedule.add(delivery.at, { bytes: kept, outbox, to });
    }
    this.#flushDue(now);
  }

  #flushDue(now: number): void {
    this.#schedule.takeDue(
      now + DELIVERY_SLACK_MS,
      (item) => item.outbox.push(item.bytes, item.to),
    );
    this.#arm(now);
  }

  #arm(now: number): void {
    if (this.#closed) return;
    const next = this.#schedule.next;
    if (next === undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#timerFor = Infinity;
      return;
    }
    if (this.#timer !== undefined && this.#timerFor <= next) return;
    clearTimeout(this.#timer);
    this.#timerFor = next;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerFor = Infinity;
      this.#flushDue(this.#clock());
    }, Math.max(0, next - now - TIMER_OVERSHOOT_MS));
  }
}

/** Receives into one reused buffer until the socket is closed. */
async function receiveLoop(
  socket: Deno.DatagramConn,
  onDatagram: (bytes: Uint8Array, from: Deno.NetAddr) => void,
): Promise<void> {
  const buffer = new Uint8Array(RELAY_RECEIVE_BYTES);
  for (;;) {
    let received: [Uint8Array, Deno.Addr];
    try {
      received = await socket.receive(buffer);
    } catch (error) {
      if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
        return;
      }
      continue; // An ICMP error from an earlier send: the socket itself is fine.
    }
    onDatagram(received[0], received[1] as Deno.NetAddr);
  }
}

/** Sums the send counters of the sockets of one direction. */
function sumStats(parts: OutboxStats[]): OutboxStats {
  const total = { forwarded: 0, forwardedBytes: 0, sendErrors: 0, queueOverflows: 0 };
  for (const part of parts) {
    total.forwarded += part.forwarded;
    total.forwardedBytes += part.forwardedBytes;
    total.sendErrors += part.sendErrors;
    total.queueOverflows += part.queueOverflows;
  }
  return total;
}

/** Client sockets bind to the target's loopback when it is local, else to every address. */
function bindAddressFor(target: string): string {
  if (target.startsWith("127.")) return "127.0.0.1";
  if (target === "::1") return "::1";
  return target.includes(":") ? "::" : "0.0.0.0";
}

function prngFunction(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}
