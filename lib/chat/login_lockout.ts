/**
 * The lockout of password guessing: failed logins counted per name and per address, each in a
 * sliding window. Sans-IO: every call is given `now`.
 * @module
 */

import {
  LOCKOUT_WINDOW_MS,
  MAX_FAILED_LOGINS_PER_ADDRESS,
  MAX_FAILED_LOGINS_PER_NAME,
  MAX_LOCKOUT_ENTRIES,
} from "./limits.ts";

/** Limits of a {@linkcode LoginLockout}; each has the default of its constant. */
export interface LockoutLimits {
  /** Failures of one name in the window that lock it (`MAX_FAILED_LOGINS_PER_NAME`). */
  perName?: number;
  /** Failures from one address in the window that lock it (`MAX_FAILED_LOGINS_PER_ADDRESS`). */
  perAddress?: number;
  /** The window, in ms (`LOCKOUT_WINDOW_MS`). */
  windowMs?: number;
  /** Names and addresses remembered, each (`MAX_LOCKOUT_ENTRIES`). */
  maxEntries?: number;
}

/**
 * Counts failed logins. A name or an address with `limit` failures in the last window is locked
 * until the oldest of them leaves the window; a name locked says nothing of other names, an
 * address locked nothing of other addresses.
 *
 * @example
 * ```ts
 * import { LoginLockout } from "./login_lockout.ts";
 * const lockout = new LoginLockout({ perName: 2, windowMs: 1000 });
 * lockout.failed(0, "ann", "192.0.2.1");
 * lockout.failed(10, "ann", "192.0.2.2");
 * lockout.retryMs(20, "ann", "192.0.2.3"); // 980: ann is locked, from anywhere
 * lockout.retryMs(20, "bob", "192.0.2.3"); // 0
 * ```
 */
export class LoginLockout {
  readonly #names: FailureLog;
  readonly #addresses: FailureLog;

  constructor(limits: LockoutLimits = {}) {
    const windowMs = limits.windowMs ?? LOCKOUT_WINDOW_MS;
    const maxEntries = limits.maxEntries ?? MAX_LOCKOUT_ENTRIES;
    this.#names = new FailureLog(
      limits.perName ?? MAX_FAILED_LOGINS_PER_NAME,
      windowMs,
      maxEntries,
    );
    this.#addresses = new FailureLog(
      limits.perAddress ?? MAX_FAILED_LOGINS_PER_ADDRESS,
      windowMs,
      maxEntries,
    );
  }

  /**
   * How long until a login for `name` (a name key, or `null` for the server password alone) from
   * `address` (`null`: not counted per address) may be tried, in ms; 0 when it may now.
   */
  retryMs(now: number, name: string | null, address: string | null): number {
    const byName = name === null ? 0 : this.#names.retryMs(now, name);
    const byAddress = address === null ? 0 : this.#addresses.retryMs(now, address);
    return Math.max(byName, byAddress);
  }

  /** Counts a failed login for `name` (if any) from `address` (if known). */
  failed(now: number, name: string | null, address: string | null): void {
    if (name !== null) this.#names.add(now, name);
    if (address !== null) this.#addresses.add(now, address);
  }

  /** Names and addresses remembered (for tests and memory bounds). */
  get size(): { names: number; addresses: number } {
    return { names: this.#names.size, addresses: this.#addresses.size };
  }
}

/** The last `limit` failure times of each key, oldest key first (by its last failure). */
class FailureLog {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxEntries: number;
  // Insertion order is the order of last failures: a key is moved to the end on each.
  readonly #times = new Map<string, number[]>();

  constructor(limit: number, windowMs: number, maxEntries: number) {
    if (!(limit >= 1) || !(windowMs > 0) || !(maxEntries >= 1)) {
      throw new RangeError("Lockout needs a limit, a window and entries of at least 1");
    }
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#times.size;
  }

  retryMs(now: number, key: string): number {
    const times = this.#times.get(key);
    if (times === undefined || times.length < this.#limit) return 0;
    return Math.max(0, Math.ceil(times[0]! + this.#windowMs - now));
  }

  add(now: number, key: string): void {
    const times = (this.#times.get(key) ?? []).filter((at) => now - at < this.#windowMs);
    times.push(now);
    if (times.length > this.#limit) times.shift();
    this.#times.delete(key);
    this.#times.set(key, times);
    this.#forgetOld(now);
  }

  /** Drops keys whose failures have all left the window, then the oldest past the bound. */
  #forgetOld(now: number): void {
    for (const [key, times] of this.#times) {
      if (this.#times.size <= this.#maxEntries && now - times.at(-1)! < this.#windowMs) return;
      this.#times.delete(key);
    }
  }
}
