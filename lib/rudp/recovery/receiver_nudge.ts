/**
 * The downloading client's nudge: when the server falls silent before the file is complete,
 * the client repeats its acknowledgement, at growing intervals.
 *
 * Loss recovery is the sender's (its probe timeout), and its probes back off exponentially.
 * When the receiver's ACKs are what gets lost (a sender's receive queue overflowing under
 * load drops most of them), every probe the receiver answers may go unheard, and the sender
 * backs off further each time: both ends wait in silence until an idle timeout ends the
 * transfer. A repeated ACK tells the sender what arrived, freeing its window, without waiting
 * for its next probe. Nudges carry no ack-eliciting frame, so they need no acknowledgement and
 * cost the sender nothing to ignore; they never reset the receiver's own idle timer, so a
 * sender that is gone is still given up on in time.
 *
 * @module
 */

/** Shortest interval between hearing from the sender and the first nudge, ms. */
export const MIN_NUDGE_INTERVAL_MS = 25;
/** Longest interval between two nudges, ms: at most this many ms pass without one. */
export const MAX_NUDGE_INTERVAL_MS = 1_000;

/**
 * When the next nudge is due: twice the receiver's probe timeout after it last heard from the
 * sender (so that the sender's own first probe comes first), doubling after each nudge that
 * went unanswered, within {@linkcode MIN_NUDGE_INTERVAL_MS}..{@linkcode MAX_NUDGE_INTERVAL_MS}.
 * Each nudge moves the deadline strictly later, so a deadline is never due twice.
 *
 * @example
 * ```ts
 * const nudge = new ReceiverNudge();
 * nudge.onHeard(0);
 * nudge.deadline(50); // 100
 * nudge.onNudged(100);
 * nudge.deadline(50); // 300
 * ```
 */
export class ReceiverNudge {
  #since = 0;
  #unanswered = 0;
  /** Nudges sent in all. */
  sent = 0;

  /** A new packet came from the sender at `now`. */
  onHeard(now: number): void {
    this.#since = now;
    this.#unanswered = 0;
  }

  /** A nudge is leaving at `now`. */
  onNudged(now: number): void {
    this.#since = now;
    this.#unanswered++;
    this.sent++;
  }

  /** When the next nudge is due, given the receiver's probe timeout `ptoMs` (absolute ms). */
  deadline(ptoMs: number): number {
    const grown = 2 * ptoMs * 2 ** Math.min(this.#unanswered, 16);
    const interval = Math.min(Math.max(grown, MIN_NUDGE_INTERVAL_MS), MAX_NUDGE_INTERVAL_MS);
    return this.#since + interval;
  }
}
