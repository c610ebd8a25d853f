/**
 * A transfer-rate meter over a sliding window, fed explicit times: sans-IO, so the rate a
 * transfer view shows is deterministic in tests.
 * @module
 */

/** Default averaging window of {@link RateMeter}. */
export const RATE_WINDOW_MS = 5_000;

/** Options of {@link RateMeter}. */
export interface RateMeterOptions {
  /** Bytes older than this stop counting. Default {@link RATE_WINDOW_MS}. */
  windowMs?: number;
}

/** Bytes recorded within one slot of the window, and the time of the latest. */
interface Slot {
  time: number;
  bytes: number;
}

/** Slots per window: bounds memory however often bytes are recorded. */
const SLOTS_PER_WINDOW = 50;

/**
 * A transfer-rate meter averaging over a sliding window of time, fed explicit times so it is
 * deterministic. The first {@link RateMeter.record} marks the start: the bytes it reports were
 * done before the start, so they count in no rate.
 *
 * @example
 * ```ts
 * const meter = new RateMeter();
 * meter.record(0, 0);
 * meter.record(1_000, 4096);
 * meter.bytesPerSecond(1_000); // 4096
 * ```
 */
export class RateMeter {
  readonly #windowMs: number;
  readonly #slotMs: number;
  #slots: Slot[] = [];
  #start: number | undefined;
  #last = -Infinity;

  constructor(options: RateMeterOptions = {}) {
    const windowMs = options.windowMs ?? RATE_WINDOW_MS;
    if (!Number.isFinite(windowMs) || windowMs <= 0) {
      throw new RangeError(`Cannot create rate meter: windowMs must be positive, got ${windowMs}`);
    }
    this.#windowMs = windowMs;
    this.#slotMs = windowMs / SLOTS_PER_WINDOW;
  }

  /** Records `bytes` transferred since the previous record, at time `now` (ms). */
  record(now: number, bytes: number): void {
    if (!Number.isFinite(bytes) || bytes < 0) {
      throw new RangeError(`Cannot record: bytes must be a non-negative number, got ${bytes}`);
    }
    const time = this.#advance(now);
    if (this.#start === undefined) {
      this.#start = time;
      return;
    }
    const latest = this.#slots[this.#slots.length - 1];
    if (
      latest !== undefined &&
      Math.floor(latest.time / this.#slotMs) === Math.floor(time / this.#slotMs)
    ) {
      latest.bytes += bytes;
      latest.time = time;
    } else {
      this.#slots.push({ time, bytes });
    }
    const horizon = time - this.#windowMs;
    while ((this.#slots[0]?.time ?? Infinity) <= horizon) this.#slots.shift();
  }

  /** The average rate over the window ending at `now`; NaN before any time has passed. */
  bytesPerSecond(now: number): number {
    const time = this.#advance(now);
    if (this.#start === undefined) return Number.NaN;
    const from = Math.max(this.#start, time - this.#windowMs);
    const span = time - from;
    if (span <= 0) return Number.NaN;
    let bytes = 0;
    for (const slot of this.#slots) if (slot.time > from) bytes += slot.bytes;
    return (bytes * 1000) / span;
  }

  /** Validates `now` and keeps time from running backwards (a late caller is not an error). */
  #advance(now: number): number {
    if (!Number.isFinite(now)) {
      throw new RangeError(`Cannot measure rate: now must be a finite number, got ${now}`);
    }
    this.#last = Math.max(this.#last, now);
    return this.#last;
  }
}
