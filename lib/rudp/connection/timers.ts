/**
 * The table of named deadlines a connection keeps. The driver only ever sees the earliest.
 *
 * @module
 */

/** Names of the connection's timers. */
export type TimerName = "idle" | "recovery" | "ack" | "pacing" | "close" | "pmtu";

// A record, so that a name left out does not compile.
const HANDLING_ORDER: Record<TimerName, number> = {
  idle: 0,
  close: 1,
  recovery: 2,
  pmtu: 3,
  ack: 4,
  pacing: 5,
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
  readonly #at: Record<TimerName, number | null> = {
    idle: null,
    recovery: null,
    ack: null,
    pacing: null,
    close: null,
    pmtu: null,
  };

  /** Sets (or with null clears) the deadline of `name`. */
  set(name: TimerName, at: number | null): void {
    this.#at[name] = at;
  }

  /** The deadline of `name`, or null. */
  get(name: TimerName): number | null {
    return this.#at[name];
  }

  /** Whether `name` is set and due at `now`. */
  expired(name: TimerName, now: number): boolean {
    const at = this.#at[name];
    return at !== null && now >= at;
  }

  /** The earliest deadline, or null when none is set. */
  earliest(): number | null {
    let min: number | null = null;
    for (const name of TIMER_NAMES) {
      const at = this.#at[name];
      if (at !== null && (min === null || at < min)) min = at;
    }
    return min;
  }

  /** Clears every deadline. */
  clear(): void {
    for (const name of TIMER_NAMES) this.#at[name] = null;
  }
}
