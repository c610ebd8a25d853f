/**
 * The line an IRC client prints when the local date turns between two messages.
 * @module
 */

/**
 * Remembers the local day of the last line shown and says when a later one falls on another
 * day. Times are milliseconds since the epoch, read in the local time zone.
 *
 * @example
 * ```ts
 * import { DayChange } from "./day_change.ts";
 * const days = new DayChange(new Date(2025, 10, 25, 23, 59).getTime());
 * days.check(new Date(2025, 10, 26, 0, 1).getTime()); // "--- Day changed to Wednesday 2025-11-26"
 * ```
 */
export class DayChange {
  #day: string;

  /** @param now the time the session started: its day is taken as already shown */
  constructor(now: number) {
    this.#day = dayOf(now);
  }

  /** The line to print before a line stamped `ts`, or `null` when the day is the same. */
  check(ts: number): string | null {
    if (!Number.isFinite(ts)) return null;
    const day = dayOf(ts);
    if (day === this.#day) return null;
    this.#day = day;
    return `--- Day changed to ${WEEKDAYS[new Date(ts).getDay()]} ${day}`;
  }
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** The local date as YYYY-MM-DD. */
function dayOf(ts: number): string {
  const date = new Date(ts);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
