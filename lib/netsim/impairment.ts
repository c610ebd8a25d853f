/**
 * A pure model of one direction of a network path. Given a datagram and the time it was sent,
 * it decides when (and whether, how often, and in what shape) it arrives. It keeps no clock of
 * its own, so the same model drives the virtual-time simulator and a real UDP relay.
 *
 * Stages, in order: MTU (drop larger), bottleneck rate with a byte-limited queue (tail drop),
 * loss (random and Gilbert-Elliott bursts), corruption (bit flips), duplication, delay with
 * jitter, and reordering (an extra delay for some datagrams).
 *
 * @module
 */

/** Gilbert-Elliott burst loss: a two-state chain stepped once per datagram. */
export interface BurstLoss {
  /** Probability of moving from the good to the bad state. */
  enter: number;
  /** Probability of moving from the bad back to the good state. */
  exit: number;
  /** Loss probability in the bad state. Default 1. */
  lossInBad?: number;
}

/** Parameters of one direction; every field defaults to "no impairment". */
export interface ImpairmentOptions {
  /** One-way delay, ms. Default 0. */
  delayMs?: number;
  /** Extra delay drawn uniformly from [0, jitterMs), ms; may reorder. Default 0. */
  jitterMs?: number;
  /** Independent loss probability. Default 0. */
  loss?: number;
  /** Burst loss on top of `loss`. Default none. */
  burst?: BurstLoss;
  /** Probability a datagram is delivered twice. Default 0. */
  duplicate?: number;
  /** Probability a datagram is held back by `reorderDelayMs`. Default 0. */
  reorder?: number;
  /** Extra delay of a reordered datagram, ms. Default 5. */
  reorderDelayMs?: number;
  /** Probability a datagram arrives with 1 to 3 bits flipped. Default 0. */
  corrupt?: number;
  /** Bottleneck rate, bytes per second. Default unlimited. */
  rateBytesPerSecond?: number;
  /** Bytes the bottleneck queue holds before dropping. Default 212,992 (a Linux UDP buffer). */
  queueBytes?: number;
  /** Largest datagram carried; larger ones are dropped. Default unlimited. */
  mtu?: number;
}

/** A datagram to hand over at time `at` (ms). */
export interface Delivery {
  at: number;
  bytes: Uint8Array;
}

/** What happened to the datagrams that went through. */
export interface ImpairmentStats {
  sent: number;
  delivered: number;
  lost: number;
  queueDrops: number;
  mtuDrops: number;
  duplicated: number;
  corrupted: number;
  reordered: number;
}

/** Default bottleneck queue: the kernel's default UDP receive buffer, in bytes. */
export const DEFAULT_QUEUE_BYTES = 212_992;

/**
 * One direction of a path.
 *
 * @example
 * ```ts
 * const path = new Impairment({ delayMs: 10 }, () => prng.next());
 * path.process(0, new Uint8Array(100)); // [{ at: 10, bytes }]
 * ```
 */
export class Impairment {
  readonly stats: ImpairmentStats = {
    sent: 0,
    delivered: 0,
    lost: 0,
    queueDrops: 0,
    mtuDrops: 0,
    duplicated: 0,
    corrupted: 0,
    reordered: 0,
  };
  #bad = false;
  #busyUntil = 0;
  #mtu: number | undefined;

  /** Creates the model; `random` returns uniform numbers in [0, 1) (a seeded PRNG in tests). */
  constructor(readonly options: ImpairmentOptions, private readonly random: () => number) {
    for (const key of ["loss", "duplicate", "reorder", "corrupt"] as const) {
      const p = options[key] ?? 0;
      if (!(p >= 0 && p <= 1)) throw new RangeError(`Cannot use ${key} ${p}: must be within 0..1`);
    }
    this.#mtu = options.mtu;
  }

  /** The largest datagram carried now, or undefined for no limit. */
  get mtu(): number | undefined {
    return this.#mtu;
  }

  /** Changes the largest datagram carried from now on (a route change mid-run); undefined lifts it. */
  setMtu(mtu: number | undefined): void {
    if (mtu !== undefined && !(mtu > 0)) {
      throw new RangeError(`Cannot use mtu ${mtu}: must be positive`);
    }
    this.#mtu = mtu;
  }

  /** Decides the fate of `bytes` sent at `now`. The input is never modified. */
  process(now: number, bytes: Uint8Array): Delivery[] {
    this.stats.sent++;
    const o = this.options;
    if (this.#mtu !== undefined && bytes.length > this.#mtu) {
      this.stats.mtuDrops++;
      return [];
    }
    const departure = this.#queue(now, bytes.length);
    if (departure === null) {
      this.stats.queueDrops++;
      return [];
    }
    if (this.#lose()) {
      this.stats.lost++;
      return [];
    }
    const copies = this.random() < (o.duplicate ?? 0) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    const out: Delivery[] = [];
    for (let i = 0; i < copies; i++) {
      out.push({ at: departure + this.#delay(), bytes: this.#maybeCorrupt(bytes) });
    }
    this.stats.delivered += out.length;
    return out;
  }

  /** Departure time after the bottleneck, or null when its queue is full. */
  #queue(now: number, size: number): number | null {
    const rate = this.options.rateBytesPerSecond;
    if (rate === undefined) return now;
    const perMs = rate / 1000;
    const backlog = Math.max(0, this.#busyUntil - now) * perMs;
    if (backlog + size > (this.options.queueBytes ?? DEFAULT_QUEUE_BYTES)) return null;
    this.#busyUntil = Math.max(now, this.#busyUntil) + size / perMs;
    return this.#busyUntil;
  }

  #lose(): boolean {
    const burst = this.options.burst;
    if (burst !== undefined) {
      this.#bad = this.#bad ? this.random() >= burst.exit : this.random() < burst.enter;
      if (this.#bad && this.random() < (burst.lossInBad ?? 1)) return true;
    }
    return this.random() < (this.options.loss ?? 0);
  }

  #delay(): number {
    const o = this.options;
    let delay = (o.delayMs ?? 0) + (o.jitterMs ? this.random() * o.jitterMs : 0);
    if (o.reorder && this.random() < o.reorder) {
      this.stats.reordered++;
      delay += o.reorderDelayMs ?? 5;
    }
    return delay;
  }

  #maybeCorrupt(bytes: Uint8Array): Uint8Array {
    if (!(this.random() < (this.options.corrupt ?? 0)) || bytes.length === 0) return bytes;
    this.stats.corrupted++;
    const copy = bytes.slice();
    const flips = 1 + Math.floor(this.random() * 3);
    for (let i = 0; i < flips; i++) {
      const bit = Math.floor(this.random() * copy.length * 8);
      copy[bit >>> 3] = copy[bit >>> 3]! ^ (1 << (bit & 7));
    }
    return copy;
  }
}
