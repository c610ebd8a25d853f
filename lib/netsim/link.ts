/**
 * A deterministic simulated network with a virtual clock. Parties that speak the sans-IO poll
 * interface (a `ServerEndpoint`, `ClientConnection`s, or anything adapted to {@linkcode SimNode})
 * exchange datagrams through per-direction {@linkcode Impairment}s; time jumps straight to the
 * next delivery or deadline, so minutes of transfer run in a blink and a seed replays a run.
 *
 * @module
 */
import { PriorityQueue } from "../core/priority_queue.ts";
import { type Delivery, Impairment, type ImpairmentOptions } from "./impairment.ts";
import { Prng } from "./prng.ts";

/** A party on the simulated network. */
export interface SimNode {
  /** Its address, "ip:port". */
  readonly address: string;
  handleDatagram(now: number, bytes: Uint8Array, from: string): void;
  handleTimeout(now: number): void;
  pollTransmit(now: number): { to: string; bytes: Uint8Array } | null;
  pollTimeout(): number | null;
  /** Called after every step, e.g. to drain events. Optional. */
  service?(now: number): void;
}

/** Options of {@linkcode SimLink}. */
export interface SimLinkOptions {
  /** Seed of every random choice the network makes. */
  seed: number;
  /** Impairment of datagrams from `from` to `to`; default: none. Called once per direction. */
  path?: (from: string, to: string) => ImpairmentOptions;
  /** Timer wake-ups are rounded up to a multiple of this, ms (a driver's sleep). Default 0. */
  wakeGranularityMs?: number;
  /** Observes every datagram as it is sent (before impairment). */
  onSend?: (now: number, from: string, to: string, bytes: Uint8Array) => void;
  /** Return false to drop a datagram as it is sent (targeted loss in tests). Default: keep all. */
  filter?: (now: number, from: string, to: string, bytes: Uint8Array) => boolean;
}

/** How a run ended. */
export interface RunResult {
  /** Virtual time at the end, ms. */
  now: number;
  /** Loop iterations. */
  steps: number;
}

interface InFlight extends Delivery {
  from: string;
  to: string;
}

/**
 * The simulator. Add nodes, then {@linkcode run} until a condition holds.
 *
 * @example
 * ```ts
 * const link = new SimLink({ seed: 1, path: () => ({ delayMs: 10, loss: 0.05 }) });
 * link.add(serverNode);
 * link.add(clientNode);
 * link.run(() => done, { maxTimeMs: 60_000 });
 * ```
 */
export class SimLink {
  /** Virtual time, ms. */
  now = 0;
  /** Datagrams addressed to no node. */
  undeliverable = 0;
  /** Datagrams the filter dropped. */
  filtered = 0;
  readonly #nodes = new Map<string, SimNode>();
  readonly #paths = new Map<string, Impairment>();
  // By delivery time; deliveries at equal times keep their send order.
  readonly #queue = new PriorityQueue<InFlight>();
  readonly #prng: Prng;

  /** Creates an empty network. */
  constructor(readonly options: SimLinkOptions) {
    this.#prng = new Prng(options.seed);
  }

  /** Adds a party. */
  add(node: SimNode): void {
    if (this.#nodes.has(node.address)) {
      throw new TypeError(`Cannot add node: ${node.address} exists`);
    }
    this.#nodes.set(node.address, node);
  }

  /** The impairment model of the direction `from` to `to` (created on first use). */
  path(from: string, to: string): Impairment {
    const key = `${from}>${to}`;
    let path = this.#paths.get(key);
    if (path === undefined) {
      const options = this.options.path?.(from, to) ?? {};
      path = new Impairment(options, () => this.#prng.next());
      this.#paths.set(key, path);
    }
    return path;
  }

  /** Puts a datagram on the wire as if `from` sent it at `at` (spoofing), bypassing impairment. */
  inject(at: number, from: string, to: string, bytes: Uint8Array): void {
    this.#queue.push({ at, bytes, from, to }, at);
  }

  /**
   * Runs until `done()` holds. Throws (naming the seed) when nothing is left to happen or
   * `maxTimeMs` of virtual time pass first.
   */
  run(done: () => boolean, limits: { maxTimeMs?: number; maxSteps?: number } = {}): RunResult {
    const maxTime = limits.maxTimeMs ?? 600_000;
    const maxSteps = limits.maxSteps ?? 50_000_000;
    let steps = 0;
    for (;;) {
      this.#flushTransmits();
      if (done()) return { now: this.now, steps };
      const next = this.#nextEventTime();
      if (next === null) {
        throw new Error(`Simulation stalled at ${this.now} ms (seed ${this.options.seed})`);
      }
      if (next > maxTime || ++steps > maxSteps) {
        throw new Error(`Simulation ran out of time at ${this.now} ms (seed ${this.options.seed})`);
      }
      this.now = Math.max(this.now, next);
      this.#step();
    }
  }

  #step(): void {
    const now = this.now;
    while ((this.#queue.peek()?.key ?? Infinity) <= now) {
      const item = this.#queue.pop()!;
      const node = this.#nodes.get(item.to);
      if (node === undefined) this.undeliverable++;
      else node.handleDatagram(now, item.bytes, item.from);
    }
    for (const node of this.#nodes.values()) {
      const at = node.pollTimeout();
      if (at !== null && this.#wake(at) <= now) node.handleTimeout(now);
    }
    for (const node of this.#nodes.values()) node.service?.(now);
  }

  #flushTransmits(): void {
    const now = this.now;
    for (const node of this.#nodes.values()) {
      for (let out = node.pollTransmit(now); out !== null; out = node.pollTransmit(now)) {
        this.options.onSend?.(now, node.address, out.to, out.bytes);
        if (this.options.filter && !this.options.filter(now, node.address, out.to, out.bytes)) {
          this.filtered++;
          continue;
        }
        for (const d of this.path(node.address, out.to).process(now, out.bytes)) {
          this.#queue.push({ ...d, from: node.address, to: out.to }, d.at);
        }
      }
    }
  }

  #nextEventTime(): number | null {
    let next = this.#queue.peek()?.key ?? null;
    for (const node of this.#nodes.values()) {
      const at = node.pollTimeout();
      if (at === null) continue;
      const wake = Math.max(this.#wake(at), this.now);
      if (next === null || wake < next) next = wake;
    }
    return next;
  }

  #wake(at: number): number {
    const g = this.options.wakeGranularityMs ?? 0;
    return g > 0 ? Math.ceil(at / g) * g : at;
  }
}
