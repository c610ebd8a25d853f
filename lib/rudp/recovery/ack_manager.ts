/**
 * The receiving half of acknowledgement: which packet numbers arrived, and when an ACK is due.
 * ACKs are delayed until every {@linkcode ACK_ELICITING_THRESHOLD}th ack-eliciting packet or
 * {@linkcode MAX_ACK_DELAY_MS}, and sent at once when packets arrive out of order (a gap), so
 * the sender's loss detection learns about holes quickly.
 *
 * @module
 */
import type { AckFrame } from "../wire/frame.ts";
import { RangeSet } from "../streams/range_set.ts";

/**
 * Longest an ACK is held back, in ms (the sender's probe timeout allows for it). Short, because
 * with {@linkcode ACK_ELICITING_THRESHOLD} packets per ACK a window's last few packets wait for it.
 */
export const MAX_ACK_DELAY_MS = 5;
/**
 * Ack-eliciting packets that make an ACK due at once. Each ACK costs the receiver a send (a system
 * call, the largest cost per datagram in Deno) and the sender an ACK to process, and on the wire
 * some 85 bytes, so it covers several packets: 16 rather than 8 took the ACKs from 0.86% of the
 * file to 0.52% at 5% loss. Out-of-order arrivals are still acknowledged at once, for loss
 * detection; the sender's window is far larger than 16 datagrams once it has started (see
 * `bbr.ts`), and before that {@linkcode QUICK_ACK_PACKETS} are acknowledged more often.
 */
export const ACK_ELICITING_THRESHOLD = 16;
/**
 * Ack-eliciting packets acknowledged every {@linkcode QUICK_ACK_THRESHOLD} at the start of a
 * connection, as TCP's quick-ack mode does: the sender's initial window (10 datagrams of 1,472
 * bytes) is smaller than {@linkcode ACK_ELICITING_THRESHOLD}, and would otherwise wait out the
 * ACK delay, then grows with what is acknowledged; 64 packets are about three rounds of it.
 */
export const QUICK_ACK_PACKETS = 64;
/** Ack-eliciting packets that make an ACK due during the first {@linkcode QUICK_ACK_PACKETS}. */
export const QUICK_ACK_THRESHOLD = 2;
/**
 * Fewest ranges put in one ACK frame, the newest. Packet numbers are never reused, so the gap a
 * lost packet leaves stays open for good: 32 ranges meant re-reporting the last 32 losses in
 * every ACK, 1.2% of the file on the wire at 5% loss. Eight still cover some twenty ACKs' worth
 * of packets (at 5% loss), ample against lost ACKs; 0.7% of the file, and no more resends.
 */
export const MAX_ACK_RANGES = 8;
/**
 * Most ranges put in one ACK frame. An ACK carries every range newer than what the ACK before
 * the last one reported, so that each packet is reported in two ACKs at least: a driver that
 * hands the connection a whole burst of datagrams before it sends (the batched receive path:
 * up to 128) answers them all with one ACK, whose gaps can outnumber
 * {@linkcode MAX_ACK_RANGES}, and a packet reported in none is resent for nothing.
 */
export const MAX_ACK_RANGES_AFTER_BURST = 64;
/** Most ranges remembered; older ones are forgotten (their packets were long acknowledged). */
export const MAX_TRACKED_ACK_RANGES = 64;

/**
 * Received packet numbers and the ACK timer.
 *
 * @example
 * ```ts
 * const acks = new AckManager();
 * acks.onPacket(0, 0, true);
 * acks.onPacket(1, 1, true);
 * acks.ackDueNow(1); // true: two ack-eliciting packets
 * ```
 */
export class AckManager {
  readonly #received = new RangeSet();
  #largest = -1;
  #largestTime = 0;
  #unacked = 0;
  #elicitingReceived = 0;
  #deadline: number | null = null;
  #immediate = false;
  #pending = false;
  /** The largest packet number of the ACK before the last one sent, and of the last one. */
  #reportedBefore = -1;
  #reportedLast = -1;

  /**
   * Records packet `number` received at `now`; returns false if it is a duplicate (the caller
   * then ignores its frames).
   */
  onPacket(now: number, number: number, ackEliciting: boolean): boolean {
    if (this.#received.has(number)) {
      // The peer may have missed our ACK: answer soon, but do not let copies force a storm.
      if (ackEliciting && this.#deadline === null) this.#deadline = now + MAX_ACK_DELAY_MS;
      return false;
    }
    const outOfOrder = this.#largest >= 0 && number !== this.#largest + 1;
    this.#received.add(number, number + 1);
    this.#received.truncateBottom(MAX_TRACKED_ACK_RANGES);
    if (number > this.#largest) {
      this.#largest = number;
      this.#largestTime = now;
    }
    // A packet that asks for no ACK is reported in the next ACK that goes anyway, but never
    // makes one worth sending: a data sender acknowledging the receiver's ACKs spent ~2.5 bytes
    // of every data packet's room on ACK frames nobody needs (0.2% of the file at 5% loss).
    if (!ackEliciting) return true;
    this.#pending = true;
    this.#unacked++;
    const quick = this.#elicitingReceived++ < QUICK_ACK_PACKETS;
    const threshold = quick ? QUICK_ACK_THRESHOLD : ACK_ELICITING_THRESHOLD;
    if (outOfOrder || this.#unacked >= threshold) this.#immediate = true;
    else if (this.#deadline === null) this.#deadline = now + MAX_ACK_DELAY_MS;
    return true;
  }

  /** Makes an ACK due at once, if there is anything to acknowledge (the last byte came, say). */
  ackNow(): void {
    if (this.#pending) this.#immediate = true;
  }

  /**
   * Makes an ACK of what was received due at once even with nothing new in it (a nudge: the
   * last ones may have been lost), if anything was ever received.
   */
  repeatNow(): void {
    if (this.#largest >= 0) this.#immediate = true;
  }

  /** Whether an ACK must go out now (threshold, gap, or the delay timer ran out). */
  ackDueNow(now: number): boolean {
    return this.#immediate || (this.#deadline !== null && now >= this.#deadline);
  }

  /** Whether an ack-eliciting packet is not yet acknowledged (worth piggybacking an ACK). */
  get hasPending(): boolean {
    return this.#pending;
  }

  /** The delayed-ACK deadline, or null. */
  get deadline(): number | null {
    return this.#immediate ? null : this.#deadline;
  }

  /**
   * Builds an ACK frame for what was received, or null before anything was: the
   * {@linkcode MAX_ACK_RANGES} newest ranges, and any older one that reaches above what the
   * ACK before the last reported, up to {@linkcode MAX_ACK_RANGES_AFTER_BURST}.
   */
  buildFrame(now: number): AckFrame | null {
    if (this.#largest < 0) return null;
    const ranges: AckFrame["ranges"] = [];
    for (const r of this.#received.descending(MAX_ACK_RANGES_AFTER_BURST)) {
      if (ranges.length >= MAX_ACK_RANGES && r.end - 1 <= this.#reportedBefore) break;
      ranges.push({ first: r.start, last: r.end - 1 });
    }
    const ackDelayMicros = Math.max(0, Math.round((now - this.#largestTime) * 1000));
    return { type: "ack", ackDelayMicros, ranges };
  }

  /** An ACK frame left in a packet: nothing is due until new packets arrive. */
  onAckSent(): void {
    if (this.#pending) {
      this.#reportedBefore = this.#reportedLast;
      this.#reportedLast = this.#largest;
    }
    this.#unacked = 0;
    this.#deadline = null;
    this.#immediate = false;
    this.#pending = false;
  }
}
