/**
 * Delivery-rate estimation (after draft-cheng-iccrg-delivery-rate-estimation): each sent packet
 * remembers how much had been delivered when it left; when it is acknowledged, the bytes
 * delivered since, over the elapsed time, give a bandwidth sample that is immune to ack
 * compression and does not count lost bytes.
 *
 * @module
 */

/** Per-packet snapshot taken at send time. */
export interface DeliverySnapshot {
  /** Total bytes delivered when the packet was sent. */
  delivered: number;
  /** Time of the last delivery when the packet was sent, in ms. */
  deliveredTime: number;
  /** Send time of the first packet of the current flight, in ms. */
  firstSentTime: number;
  /** Whether the sender was limited by the application (not the network) at send time. */
  appLimited: boolean;
}

/** One bandwidth sample. */
export interface RateSample {
  /** Bytes per ms. */
  bytesPerMs: number;
  /** Bytes delivered over the sample interval. */
  delivered: number;
  /** Sample interval, in ms. */
  intervalMs: number;
  /** Total delivered when the newest acked packet was sent (for round counting). */
  priorDelivered: number;
  /** Whether the sample was taken while application-limited (it may underestimate). */
  appLimited: boolean;
}

/**
 * Tracks delivered bytes and turns acknowledgements into rate samples.
 *
 * @example
 * ```ts
 * const rate = new DeliveryRate();
 * const snap = rate.onSend(0, 0);
 * rate.onAcked(20, snap, 0, 1200);
 * rate.takeSample(0)?.bytesPerMs; // 60
 * ```
 */
export class DeliveryRate {
  /** Total bytes acknowledged so far. */
  delivered = 0;
  #deliveredTime = 0;
  #firstSentTime = 0;
  #appLimitedUntil = 0;
  // The sample under construction for the current ack.
  #prior: DeliverySnapshot | null = null;
  #sendElapsed = 0;
  #ackElapsed = 0;

  /** Takes the snapshot for a packet sent at `now` with `bytesInFlight` before it. */
  onSend(now: number, bytesInFlight: number): DeliverySnapshot {
    if (bytesInFlight === 0) {
      this.#firstSentTime = now;
      this.#deliveredTime = now;
    }
    return {
      delivered: this.delivered,
      deliveredTime: this.#deliveredTime,
      firstSentTime: this.#firstSentTime,
      appLimited: this.#appLimitedUntil > this.delivered,
    };
  }

  /** Records that a packet sent at `sentTime` with `snap` and `bytes` was acknowledged at `now`. */
  onAcked(now: number, snap: DeliverySnapshot, sentTime: number, bytes: number): void {
    this.delivered += bytes;
    this.#deliveredTime = now;
    if (this.#prior === null || snap.delivered >= this.#prior.delivered) {
      this.#prior = snap;
      this.#sendElapsed = sentTime - snap.firstSentTime;
      this.#ackElapsed = now - snap.deliveredTime;
      this.#firstSentTime = sentTime;
    }
  }

  /** Marks the sender as application-limited until what is in flight now is delivered. */
  markAppLimited(bytesInFlight: number): void {
    this.#appLimitedUntil = Math.max(this.delivered + bytesInFlight, 1);
  }

  /**
   * Completes the sample for the acks recorded since the last call; null when there is none
   * or its interval is shorter than `minRttMs` (too short to be trusted).
   */
  takeSample(minRttMs: number): RateSample | null {
    const prior = this.#prior;
    this.#prior = null;
    if (prior === null) return null;
    const intervalMs = Math.max(this.#sendElapsed, this.#ackElapsed);
    const delivered = this.delivered - prior.delivered;
    if (!(intervalMs > 0) || intervalMs < minRttMs || delivered <= 0) return null;
    return {
      bytesPerMs: delivered / intervalMs,
      delivered,
      intervalMs,
      priorDelivered: prior.delivered,
      appLimited: prior.appLimited,
    };
  }
}
