/**
 * The table of named deadlines a connection keeps. The driver only ever sees the earliest.
 *
 * @module
 */

/** Names of the connection's timers. */
export type TimerName = "idle" | "recovery" | "ack" | "pacing" | "close" | "pmtu" | "nudge";

// A record, so that a name left out does not compile.
const HANDLING_ORDER: Record<TimerName, number> = {
  idle: 0,
  close: 1,
  recovery: 2,
  pmtu: 3,
  nudge: 4,
  ack: 5,
  pacing: 6,
};

/**
 * Every timer name, in the order expired timers are handled: the ones that end the connection
 * (idle, close) first, so that nothing runs on a connection they ended.
 */
export const TIMER_NAMES: readonly TimerName[] = (Object.keys(HANDLING_ORDER) as TimerName[])
  .sort((a, b) => HANDLING_ORDER[a] - HANDLING_ORDER[b]);

/**
 * Absolute deadlines in ms, one per name; null means unset.
 *
 * @example
 * ```ts
 * const timers = new Timers();
 * timers.set("ack", 25);
 * timers.set("idle", 30000);
 * timers.earliest(); // 25
 * ```
 */
export class Timers {
  /** Deadlines by handling order; `Infinity` means unset (a read of six numbers per poll). */
  readonly #at = new Float64Array(TIMER_NAMES.length).fill(Infinity);

  /** Sets (or with null clears) the deadline of `name`. */
  set(name: TimerName, at: number | null): void {
    this.#at[HANDLING_ORDER[name]] = at ?? Infinity;
  }

  /** The deadline of `name`, or null. */
  get(name: TimerName): number | null {
    const at = this.#at[HANDLING_ORDER[name]]!;
    return at === Infinity ? null : at;
  }

  /** Whether `name` is set and due at `now`. */
  expired(name: TimerName, now: number): boolean {
    return now >= this.#at[HANDLING_ORDER[name]]!;
  }

  /** The earliest deadline, or null when none is set. */
  earliest(): number | null {
    let min = Infinity;
    for (const at of this.#at) if (at < min) min = at;
    return min === Infinity ? null : min;
  }

  /** Clears every deadline. */
  clear(): void {
    this.#at.fill(Infinity);
  }
}
