/**
 * When a batching writer writes what it holds: once the oldest pending item is
 * {@linkcode MAX_BATCH_AGE_MS} old or {@linkcode MAX_BATCH_ITEMS} are pending, whichever comes
 * first; after a failed write, again after a doubling wait; retention pruning at most every
 * {@linkcode PRUNE_INTERVAL_MS}. Sans-IO: every input carries `now` (ms, monotonic) and
 * {@linkcode FlushPolicy.deadline} is a pure read, so the driver arms one timer at it.
 * @module
 */

/** Longest a pending item waits before it is written, in ms: what a crash may lose at most. */
export const MAX_BATCH_AGE_MS = 1000;
/**
 * Pending items that make a write due at once, however young they are (items). It bounds the
 * pause one batch puts on the event loop: about 2 ms at SQLite's few µs per row.
 */
export const MAX_BATCH_ITEMS = 500;
/** First wait before writing again after a failed write, in ms; doubles per failure. */
export const MIN_RETRY_MS = 1000;
/** Longest wait between attempts while writes keep failing, in ms. */
export const MAX_RETRY_MS = 30_000;
/** Shortest time between two retention passes, in ms. */
export const PRUNE_INTERVAL_MS = 60_000;

/** The policy's tunables; each defaults to the constant of the same meaning. */
export interface FlushPolicyOptions {
  /** Default {@linkcode MAX_BATCH_AGE_MS}. */
  maxAgeMs?: number;
  /** Default {@linkcode MAX_BATCH_ITEMS}. */
  maxItems?: number;
  /** Default {@linkcode MIN_RETRY_MS}. */
  minRetryMs?: number;
  /** Default {@linkcode MAX_RETRY_MS}. */
  maxRetryMs?: number;
  /** Default {@linkcode PRUNE_INTERVAL_MS}. */
  pruneIntervalMs?: number;
}

/**
 * Decides when pending items are written and when retention runs.
 *
 * @example
 * ```ts
 * import { FlushPolicy } from "./flush_policy.ts";
 * const policy = new FlushPolicy({ maxAgeMs: 1000, maxItems: 3 });
 * policy.add(0);
 * policy.deadline(); // 1000: the first item's age limit
 * policy.add(10);
 * policy.add(20);
 * policy.deadline(); // 20: three pending, due at once
 * policy.written(25, 3);
 * policy.deadline(); // null: nothing pending
 * ```
 */
export class FlushPolicy {
  readonly #maxAgeMs: number;
  readonly #maxItems: number;
  readonly #minRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #pruneIntervalMs: number;
  #pending = 0;
  /** When the oldest pending item was added (valid while `#pending > 0`). */
  #oldestAt = 0;
  /** When the `maxItems`-th pending item was added, or null while fewer are pending. */
  #fullAt: number | null = null;
  #failures = 0;
  #retryAt = 0;
  #lastPruneAt: number | null = null;

  constructor(options: FlushPolicyOptions = {}) {
    this.#maxAgeMs = positive(options.maxAgeMs ?? MAX_BATCH_AGE_MS, "maxAgeMs");
    this.#maxItems = positive(options.maxItems ?? MAX_BATCH_ITEMS, "maxItems");
    this.#minRetryMs = positive(options.minRetryMs ?? MIN_RETRY_MS, "minRetryMs");
    this.#maxRetryMs = Math.max(this.#minRetryMs, options.maxRetryMs ?? MAX_RETRY_MS);
    this.#pruneIntervalMs = positive(
      options.pruneIntervalMs ?? PRUNE_INTERVAL_MS,
      "pruneIntervalMs",
    );
  }

  /** Items waiting to be written. */
  get pending(): number {
    return this.#pending;
  }

  /** Writes that failed in a row (0 once one succeeds). */
  get failures(): number {
    return this.#failures;
  }

  /** Notes one item queued at `now`. */
  add(now: number): void {
    if (this.#pending === 0) this.#oldestAt = now;
    this.#pending++;
    if (this.#pending === this.#maxItems) this.#fullAt = now;
  }

  /**
   * When the pending items must be written (a write is due once `now >= deadline()`), or null
   * when nothing is pending. While writes fail, not before the retry wait is over.
   */
  deadline(): number | null {
    if (this.#pending === 0) return null;
    const due = this.#fullAt ?? this.#oldestAt + this.#maxAgeMs;
    return this.#failures === 0 ? due : Math.max(due, this.#retryAt);
  }

  /** Whether a write is due at `now`. */
  due(now: number): boolean {
    const deadline = this.deadline();
    return deadline !== null && now >= deadline;
  }

  /**
   * A write of the `count` oldest pending items succeeded at `now`. Items left over (a backlog
   * written a batch at a time) are older than any new one: they are due at once.
   */
  written(now: number, count: number): void {
    if (count < 0 || count > this.#pending) throw new RangeError(`Cannot write ${count} items`);
    this.#pending -= count;
    this.#failures = 0;
    this.#oldestAt = now;
    this.#fullAt = this.#pending > 0 ? now : null;
  }

  /** A write failed at `now`: the items stay pending and the next attempt waits. */
  failed(now: number): void {
    this.#failures++;
    const wait = this.#minRetryMs * 2 ** Math.min(this.#failures - 1, 30);
    this.#retryAt = now + Math.min(this.#maxRetryMs, wait);
  }

  /** `count` of the oldest pending items were given up (the pending bound was reached). */
  dropped(count: number): void {
    if (count < 0 || count > this.#pending) throw new RangeError(`Cannot drop ${count} items`);
    this.#pending -= count;
    if (this.#pending < this.#maxItems) this.#fullAt = null;
  }

  /** Whether a retention pass is due at `now` (the first one is due at once). */
  pruneDue(now: number): boolean {
    return this.#lastPruneAt === null || now - this.#lastPruneAt >= this.#pruneIntervalMs;
  }

  /** A retention pass ran at `now`. */
  pruned(now: number): void {
    this.#lastPruneAt = now;
  }
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a positive number, not ${value}`);
  }
  return value;
}
