/**
 * What one recipient checks of every message it gets, as a real client would: each sender's
 * messages arrive once, all of them, in the order sent. Counts gaps, duplicates and
 * reorderings, and keeps the recipient's own latency figures.
 * @module
 */

/** Gaps remembered per sender, so a late arrival counts as reordered rather than duplicated. */
export const MAX_REMEMBERED_GAPS = 4096;

/** What a {@linkcode DeliveryChecker} has counted so far. */
export interface DeliveryCounts {
  /** Messages accepted: first arrivals, in order or late. */
  delivered: number;
  /** Messages still missing: skipped over by a later one and not (yet) arrived. */
  gaps: number;
  /** Messages that arrived again after their first arrival. */
  duplicates: number;
  /** Messages that arrived after a later message of the same sender (they filled a gap). */
  reordered: number;
  /** Lines that claimed to be a message but carried no readable sender, number or time. */
  malformed: number;
}

/**
 * One recipient's check of the messages it receives, keyed by sender. Numbers start at 1
 * per sender; the first number seen from a sender is taken as where it started.
 *
 * @example
 * ```ts
 * import { DeliveryChecker } from "./delivery_checker.ts";
 * const checker = new DeliveryChecker();
 * checker.accept("c0", 1, 0, 10);
 * checker.accept("c0", 3, 0, 10); // gap: 2 missing
 * checker.accept("c0", 2, 0, 10); // 2 arrives late: reordered, the gap is filled
 * checker.counts(); // { delivered: 3, gaps: 0, duplicates: 0, reordered: 1, malformed: 0 }
 * ```
 */
export class DeliveryChecker {
  readonly #senders = new Map<string, SenderState>();
  #delivered = 0;
  #gaps = 0;
  #duplicates = 0;
  #reordered = 0;
  #malformed = 0;
  /** Highest latency seen, µs. */
  maxLatencyUs = 0;
  /** Sum of the latencies of accepted messages, µs. */
  latencySumUs = 0;

  /**
   * Checks one message: `seq` from `sender`, sent at `sentUs`, received at `nowUs` (both µs,
   * one clock). Returns whether it was a first arrival (in order or late).
   */
  accept(sender: string, seq: number, sentUs: number, nowUs: number): boolean {
    let state = this.#senders.get(sender);
    if (state === undefined) {
      state = { highest: seq - 1, missing: new Set() };
      this.#senders.set(sender, state);
    }
    if (seq > state.highest) {
      // Bounded: a hostile number far ahead must not make this loop long.
      const last = Math.min(seq, state.highest + 1 + MAX_REMEMBERED_GAPS);
      for (let skipped = state.highest + 1; skipped < last; skipped++) remember(state, skipped);
      this.#gaps += seq - state.highest - 1;
      state.highest = seq;
    } else if (state.missing.delete(seq)) {
      this.#gaps--;
      this.#reordered++;
    } else {
      this.#duplicates++;
      return false;
    }
    this.#delivered++;
    const latency = nowUs - sentUs;
    this.latencySumUs += latency;
    if (latency > this.maxLatencyUs) this.maxLatencyUs = latency;
    return true;
  }

  /** Counts a line that looked like a message but could not be read as one of ours. */
  malformed(): void {
    this.#malformed++;
  }

  /** What has been counted so far. */
  counts(): DeliveryCounts {
    return {
      delivered: this.#delivered,
      gaps: this.#gaps,
      duplicates: this.#duplicates,
      reordered: this.#reordered,
      malformed: this.#malformed,
    };
  }
}

interface SenderState {
  /** Highest number accepted. */
  highest: number;
  /** Numbers below `highest` not yet arrived (at most {@linkcode MAX_REMEMBERED_GAPS}). */
  missing: Set<number>;
}

function remember(state: SenderState, seq: number): void {
  if (state.missing.size < MAX_REMEMBERED_GAPS) state.missing.add(seq);
}

/** Sums the counts of many recipients. */
export function sumCounts(all: Iterable<DeliveryCounts>): DeliveryCounts {
  const total = { delivered: 0, gaps: 0, duplicates: 0, reordered: 0, malformed: 0 };
  for (const c of all) {
    total.delivered += c.delivered;
    total.gaps += c.gaps;
    total.duplicates += c.duplicates;
    total.reordered += c.reordered;
    total.malformed += c.malformed;
  }
  return total;
}

/** `after` minus `before`, field by field: what happened between two readings. */
export function diffCounts(after: DeliveryCounts, before: DeliveryCounts): DeliveryCounts {
  return {
    delivered: after.delivered - before.delivered,
    gaps: after.gaps - before.gaps,
    duplicates: after.duplicates - before.duplicates,
    reordered: after.reordered - before.reordered,
    malformed: after.malformed - before.malformed,
  };
}
