/**
 * The joins a hub holds per room for a short interval, to announce them together. Sans-IO
 * bookkeeping fed `now`: it decides nothing about lines, only what waits and until when.
 * @module
 */

/** The joins of one room held since one moment, in the order they came. */
export interface JoinBatch<R, M> {
  readonly room: R;
  /** When they are to be announced (monotonic ms). */
  readonly deadline: number;
  /** Who joined, in order, with the name each joined under. */
  readonly joiners: readonly { readonly member: M; readonly name: string }[];
  /** Each joiner's place in `joiners`. */
  readonly places: ReadonlyMap<M, number>;
}

interface MutableBatch<R, M> extends JoinBatch<R, M> {
  readonly joiners: { member: M; name: string }[];
  readonly places: Map<M, number>;
}

/** Settings of {@linkcode JoinBatches}. */
export interface JoinBatchLimits {
  /** How long a room's first held join waits, in ms. */
  holdMs: number;
  /** Most joins one batch holds: {@linkcode JoinBatches.add} says when one is full. */
  maxJoins: number;
}

/**
 * Held joins, by room. Every batch waits the same `holdMs`, so the oldest is the first due:
 * {@linkcode pollTimeout} is a read of the first entry, not a search.
 *
 * @example
 * ```ts
 * import { JoinBatches } from "./join_batches.ts";
 * const batches = new JoinBatches<string, string>({ holdMs: 250, maxJoins: 100 });
 * batches.add(0, "#lobby", "ann", "ann");
 * batches.add(10, "#lobby", "bob", "bob");
 * batches.pollTimeout(); // 250
 * batches.takeDue(250).map((b) => b.joiners.length); // [2]
 * ```
 */
export class JoinBatches<R, M> {
  readonly #limits: JoinBatchLimits;
  // In the order they were opened, which is the order of their deadlines.
  readonly #batches = new Map<R, MutableBatch<R, M>>();

  constructor(limits: JoinBatchLimits) {
    if (!(limits.holdMs >= 0) || !(limits.maxJoins >= 1)) {
      throw new RangeError("holdMs must be at least 0 and maxJoins at least 1");
    }
    this.#limits = limits;
  }

  /** Whether any join is held. */
  get empty(): boolean {
    return this.#batches.size === 0;
  }

  /**
   * Holds the join of `member` (as `name`) to `room`; returns the room's batch when it must go
   * out now (it is full, or nothing is held at all: `holdMs` 0), taken out.
   */
  add(now: number, room: R, member: M, name: string): JoinBatch<R, M> | null {
    let batch = this.#batches.get(room);
    if (batch === undefined) {
      batch = { room, deadline: now + this.#limits.holdMs, joiners: [], places: new Map() };
      this.#batches.set(room, batch);
    }
    batch.places.set(member, batch.joiners.length);
    batch.joiners.push({ member, name });
    const due = this.#limits.holdMs === 0 || batch.joiners.length >= this.#limits.maxJoins;
    return due ? this.take(room) : null;
  }

  /** When the first batch is due, or `null` when nothing is held. */
  pollTimeout(): number | null {
    for (const batch of this.#batches.values()) return batch.deadline;
    return null;
  }

  /** Takes out the batches due by `now`, oldest first. */
  takeDue(now: number): JoinBatch<R, M>[] {
    const due: JoinBatch<R, M>[] = [];
    for (const batch of this.#batches.values()) {
      if (batch.deadline > now) break;
      due.push(batch);
    }
    for (const batch of due) this.#batches.delete(batch.room);
    return due;
  }

  /** The batch held for `room`, left in place, or `null`. */
  peek(room: R): JoinBatch<R, M> | null {
    return this.#batches.get(room) ?? null;
  }

  /** Takes out the batch of `room`, if one is held. */
  take(room: R): JoinBatch<R, M> | null {
    const batch = this.#batches.get(room);
    if (batch === undefined) return null;
    this.#batches.delete(room);
    return batch;
  }

  /** Takes out every batch, oldest first. */
  takeAll(): JoinBatch<R, M>[] {
    const all = [...this.#batches.values()];
    this.#batches.clear();
    return all;
  }
}
