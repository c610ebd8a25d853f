/**
 * Which writes in progress are stuck on peers that stopped reading, so that their long queues
 * stop pausing everyone's reads. Sans-IO: fed the time.
 * @module
 */

/**
 * A write that made no progress for this long is stuck on a peer that stopped reading, not a
 * sign of a busy room: it no longer counts toward the backlog pause (see
 * `Hub.backloggedClients`), and a flush no longer waits for it. Its queue then grows until the
 * peer is dropped as a slow consumer. A slow reader still makes progress, and so still counts.
 */
export const STALLED_WRITE_MS = 100;

// The states of a write; `ENDED` ones are skipped when met.
const YOUNG = 0;
const STALLED = 1;
const ENDED = 2;

/** One write in progress, as handed out by {@linkcode WriteStalls.started}. */
export interface PendingWrite {
  readonly since: number;
  state: typeof YOUNG | typeof STALLED | typeof ENDED;
}

/**
 * Counts the writes without progress for {@linkcode STALLED_WRITE_MS} or more. Writes start
 * (and progress) in time order, so the young ones form a queue whose head is the next to
 * stall: every call costs O(1) amortised, never a scan of every connection.
 *
 * @example
 * ```ts
 * import { WriteStalls } from "./write_stalls.ts";
 * const stalls = new WriteStalls(100);
 * const write = stalls.started(0);
 * stalls.update(99); // 0
 * stalls.update(100); // 1
 * stalls.ended(write);
 * stalls.stalled; // 0
 * ```
 */
export class WriteStalls {
  readonly #stallMs: number;
  #young: PendingWrite[] = [];
  #head = 0;
  #stalled = 0;

  /** @param stallMs how long a write may pend before it counts as stalled */
  constructor(stallMs: number = STALLED_WRITE_MS) {
    if (!(stallMs > 0)) throw new RangeError("stallMs must be positive");
    this.#stallMs = stallMs;
  }

  /** Writes stalled as of the last {@linkcode update} (or start). */
  get stalled(): number {
    return this.#stalled;
  }

  /** Notes a write starting at `now` (times must not go back); pass what it returns to `ended`. */
  started(now: number): PendingWrite {
    const write: PendingWrite = { since: now, state: YOUNG };
    this.#young.push(write);
    this.update(now);
    return write;
  }

  /**
   * Notes that a write made progress at `now` (part of it was written): it is young again.
   * Returns what stands for it from now on.
   */
  progressed(write: PendingWrite, now: number): PendingWrite {
    this.ended(write);
    return this.started(now);
  }

  /** Notes that a write finished, however it did. */
  ended(write: PendingWrite): void {
    if (write.state === STALLED) this.#stalled--;
    write.state = ENDED;
  }

  /** Marks the writes pending since `now - stallMs` or before as stalled; returns how many are. */
  update(now: number): number {
    const young = this.#young;
    while (this.#head < young.length) {
      const write = young[this.#head]!;
      if (write.state === YOUNG && now - write.since < this.#stallMs) break;
      if (write.state === YOUNG) {
        write.state = STALLED;
        this.#stalled++;
      }
      this.#head++;
    }
    this.#compact();
    return this.#stalled;
  }

  /** When the oldest young write will count as stalled, or `null` if none is pending. */
  nextStallAt(): number | null {
    const young = this.#young;
    while (this.#head < young.length && young[this.#head]!.state === ENDED) this.#head++;
    const oldest = young[this.#head];
    return oldest === undefined ? null : oldest.since + this.#stallMs;
  }

  #compact(): void {
    if (this.#head === this.#young.length) {
      this.#young = [];
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#young.length) {
      this.#young = this.#young.slice(this.#head);
      this.#head = 0;
    }
  }
}

const COMPACT_AFTER = 1024;
