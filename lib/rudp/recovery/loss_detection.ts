/**
 * Sent-packet tracking and loss detection as in RFC 9002 §6: a packet is lost when a packet
 * sent at least {@linkcode PACKET_THRESHOLD} later was acknowledged, or when it is older than
 * 9/8 of the RTT while a later one was acknowledged. A probe timeout (PTO) with exponential
 * back-off covers tails. Packet numbers are never reused, so every RTT sample is unambiguous,
 * and an acknowledgement that newly acknowledges nothing (a duplicate) changes nothing.
 *
 * @module
 */
import type { PacketRange } from "../wire/frame.ts";
import type { DeliverySnapshot } from "./delivery_rate.ts";
import type { RttEstimator } from "./rtt.ts";

/** Reordering tolerated, in packets, before a packet is declared lost. */
export const PACKET_THRESHOLD = 3;
/** Largest PTO back-off exponent: the timeout stops doubling after this many probes. */
export const MAX_PTO_BACKOFF_EXPONENT = 6;

/** What a lost packet carried that may need sending again. */
export interface Retransmittable {
  /** File byte ranges `[offset, offset + length)`. */
  data: { offset: number; length: number }[];
  /** The packet held the client's hello. */
  hello: boolean;
  /** The packet held the client's confirm. */
  confirm: boolean;
}

/** A packet we sent and have not yet seen acknowledged or declared lost. */
export interface SentPacket {
  number: number;
  sentTime: number;
  /** Datagram size in bytes. */
  bytes: number;
  /** Whether the packet asks for an ack; such packets count as in flight. */
  ackEliciting: boolean;
  content: Retransmittable;
  delivery: DeliverySnapshot;
}

/** Outcome of processing one acknowledgement. */
export interface AckOutcome {
  acked: SentPacket[];
  lost: SentPacket[];
  /** Whether the largest acknowledged packet was newly acknowledged (an RTT sample was taken). */
  rttSampled: boolean;
}

/**
 * Tracks packets in flight for one connection and direction.
 *
 * @example
 * ```ts
 * const loss = new LossDetection(new RttEstimator());
 * loss.bytesInFlight; // 0
 * ```
 */
export class LossDetection {
  /** Bytes of ack-eliciting packets sent and neither acknowledged nor lost. */
  bytesInFlight = 0;
  /** Largest packet number the peer acknowledged, -1 before any. */
  largestAcked = -1;
  /** Probe timeouts fired since the last acknowledgement. */
  ptoCount = 0;
  #packets: (SentPacket | null)[] = [];
  #base = 0; // packet number of #packets[#head]
  #head = 0;
  #lossTime: number | null = null;
  #lastAckElicitingSent = -Infinity;
  #ackElicitingInFlight = 0;

  /** Creates a tracker that feeds and reads `rtt`. */
  constructor(readonly rtt: RttEstimator) {}

  /** Number of ack-eliciting packets in flight. */
  get ackElicitingInFlight(): number {
    return this.#ackElicitingInFlight;
  }

  /** Records a sent packet; numbers must increase (gaps are untracked packets). */
  onSent(packet: SentPacket): void {
    const expected = this.#base + this.#packets.length - this.#head;
    if (this.#packets.length === this.#head) {
      this.#base = packet.number;
    } else if (packet.number < expected) {
      throw new RangeError("Cannot track packet: numbers must increase");
    } else {
      for (let pn = expected; pn < packet.number; pn++) this.#packets.push(null);
    }
    this.#packets.push(packet);
    if (packet.ackEliciting) {
      this.bytesInFlight += packet.bytes;
      this.#ackElicitingInFlight++;
      this.#lastAckElicitingSent = packet.sentTime;
    }
  }

  /** Processes an ack frame's `ranges` (descending) received at `now`. */
  onAck(now: number, ranges: PacketRange[], ackDelayMs: number): AckOutcome {
    const acked: SentPacket[] = [];
    let rttSampled = false;
    for (const range of ranges) {
      const last = Math.min(range.last, this.#base + this.#packets.length - this.#head - 1);
      for (let pn = last; pn >= Math.max(range.first, this.#base); pn--) {
        const packet = this.#take(pn);
        if (packet !== null) acked.push(packet);
      }
    }
    if (acked.length === 0) return { acked, lost: [], rttSampled };
    const newest = acked[0]!;
    if (newest.number > this.largestAcked) {
      this.largestAcked = newest.number;
      if (newest.number === ranges[0]?.last && acked.some((p) => p.ackEliciting)) {
        this.rtt.update(now - newest.sentTime, ackDelayMs);
        rttSampled = true;
      }
    }
    this.ptoCount = 0;
    return { acked, lost: this.detectLost(now), rttSampled };
  }

  /** Declares lost what the thresholds say is lost and re-arms the time-threshold timer. */
  detectLost(now: number): SentPacket[] {
    const lost: SentPacket[] = [];
    this.#lossTime = null;
    const lossDelay = this.rtt.lossDelay();
    const end = Math.min(this.largestAcked - this.#base + this.#head, this.#packets.length - 1);
    for (let i = this.#head; i <= end; i++) {
      const packet = this.#packets[i];
      if (packet === null || packet === undefined) continue;
      if (
        packet.number <= this.largestAcked - PACKET_THRESHOLD || packet.sentTime + lossDelay <= now
      ) {
        lost.push(this.#take(packet.number)!);
      } else {
        const at = packet.sentTime + lossDelay;
        this.#lossTime = this.#lossTime === null ? at : Math.min(this.#lossTime, at);
      }
    }
    return lost;
  }

  /** Time-threshold deadline, or null. */
  get lossTime(): number | null {
    return this.#lossTime;
  }

  /**
   * PTO deadline with back-off, or null when nothing ack-eliciting is in flight and
   * `armWhenIdle` is false. `armWhenIdle` keeps probing when the sender must hear from the
   * peer though nothing is in flight (flow control blocked, handshake unfinished). The back-off
   * stops growing at `maxIntervalMs` (never below one plain probe timeout).
   */
  ptoDeadline(
    maxAckDelayMs: number,
    armWhenIdle: boolean,
    maxIntervalMs = Infinity,
  ): number | null {
    if (this.#ackElicitingInFlight === 0 && !armWhenIdle) return null;
    const base = Number.isFinite(this.#lastAckElicitingSent) ? this.#lastAckElicitingSent : 0;
    const backoff = 2 ** Math.min(this.ptoCount, MAX_PTO_BACKOFF_EXPONENT);
    const pto = this.rtt.pto(maxAckDelayMs);
    return base + Math.min(pto * backoff, Math.max(maxIntervalMs, pto));
  }

  /** Every packet still tracked (oldest first); used to drop state on close. */
  *outstanding(): Iterable<SentPacket> {
    for (let i = this.#head; i < this.#packets.length; i++) {
      const p = this.#packets[i];
      if (p) yield p;
    }
  }

  #take(pn: number): SentPacket | null {
    const index = pn - this.#base + this.#head;
    const packet = this.#packets[index];
    if (packet === null || packet === undefined) return null;
    this.#packets[index] = null;
    if (packet.ackEliciting) {
      this.bytesInFlight -= packet.bytes;
      this.#ackElicitingInFlight--;
    }
    this.#compact();
    return packet;
  }

  #compact(): void {
    while (this.#head < this.#packets.length && this.#packets[this.#head] === null) {
      this.#head++;
      this.#base++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#packets.length) {
      this.#packets = this.#packets.slice(this.#head);
      this.#head = 0;
    }
  }
}
