/**
 * Pacing by bounded credit. Drivers may wake late (a timer in Deno sleeps at least
 * ~2 ms), so the pacer is a token bucket: tokens accrue at the pacing rate since the last send,
 * and a sender woken late may spend what it is owed, up to `rate * burstIntervalMs`, never the
 * whole backlog. A burst is capped by what half of the receiver's kernel buffer
 * ({@linkcode RECEIVER_BUFFER_BYTES}) holds of such datagrams, which it can absorb while the
 * receiver is busy, and by `maxBurstBytes`; it is never less than one datagram. Ack clocking
 * fills the gaps between wake-ups.
 *
 * @module
 */
import { halfBufferDatagrams, RECEIVER_BUFFER_BYTES } from "../connection/transport_options.ts";

/** Default longest lateness credited at the pacing rate, in ms (several ~2 ms timer sleeps). */
export const PACING_BURST_INTERVAL_MS = 10;
/** Default cap on one burst, in bytes: half the receiver's kernel buffer (104 KiB). */
export const MAX_BURST_BYTES = RECEIVER_BUFFER_BYTES / 2;

const MIN_WAIT_MS = 0.001;

/** Options of {@linkcode Pacer}. */
export interface PacerOptions {
  /** Longest lateness credited at the pacing rate, in ms. Default {@linkcode PACING_BURST_INTERVAL_MS}. */
  burstIntervalMs?: number;
  /** Largest burst in bytes. Default {@linkcode MAX_BURST_BYTES}. */
  maxBurstBytes?: number;
}

/**
 * Token-bucket pacer; rates are in bytes per ms.
 *
 * @example
 * ```ts
 * const pacer = new Pacer();
 * pacer.canSend(0, 1200, 10, 1200); // true: the bucket starts full
 * ```
 */
export class Pacer {
  #tokens: number | null = null;
  #last = 0;
  readonly #burstIntervalMs: number;
  readonly #maxBurstBytes: number;
  #receiverBuffer = RECEIVER_BUFFER_BYTES;

  /** Creates a pacer whose bucket starts full. */
  constructor(options: PacerOptions = {}) {
    this.#burstIntervalMs = options.burstIntervalMs ?? PACING_BURST_INTERVAL_MS;
    this.#maxBurstBytes = options.maxBurstBytes ?? MAX_BURST_BYTES;
    if (!(this.#burstIntervalMs > 0) || !(this.#maxBurstBytes > 0)) {
      throw new RangeError("Cannot create pacer: burst interval and size must be positive");
    }
  }

  /** The receiver's socket buffer, bytes: a burst fits in half of it. */
  setReceiverBuffer(bytes: number): void {
    this.#receiverBuffer = bytes;
  }

  /** Largest burst of datagrams of `datagramBytes`, whatever the rate (at least one datagram). */
  burstCap(datagramBytes: number): number {
    const fit = halfBufferDatagrams(datagramBytes, this.#receiverBuffer) * datagramBytes;
    return Math.max(Math.min(this.#maxBurstBytes, fit), datagramBytes);
  }

  /** Bucket size for `rate` and datagrams of `datagramBytes`. */
  capacity(rate: number, datagramBytes: number): number {
    const burst = Math.min(rate * this.#burstIntervalMs, this.burstCap(datagramBytes));
    return Math.max(burst, datagramBytes);
  }

  /** Whether `bytes` may leave at `now`. */
  canSend(now: number, bytes: number, rate: number, datagramBytes: number): boolean {
    return this.#refill(now, rate, datagramBytes) >= bytes;
  }

  /** Spends tokens for a datagram of `bytes` sent at `now`. */
  onSend(now: number, bytes: number, rate: number, datagramBytes: number): void {
    this.#tokens = this.#refill(now, rate, datagramBytes) - bytes;
  }

  /** Earliest time at which `bytes` may leave (`now` when they may already). */
  nextSendTime(now: number, bytes: number, rate: number, datagramBytes: number): number {
    const tokens = this.#refill(now, rate, datagramBytes);
    if (tokens >= bytes) return now;
    // At least a microsecond ahead, so rounding can never produce a deadline that is already due.
    return now + Math.max((bytes - tokens) / Math.max(rate, Number.MIN_VALUE), MIN_WAIT_MS);
  }

  #refill(now: number, rate: number, datagramBytes: number): number {
    const cap = this.capacity(rate, datagramBytes);
    const elapsed = Math.max(0, now - this.#last);
    this.#last = Math.max(this.#last, now);
    this.#tokens = Math.min(cap, this.#tokens === null ? cap : this.#tokens + elapsed * rate);
    return this.#tokens;
  }
}
