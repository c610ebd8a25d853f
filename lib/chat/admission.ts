/**
 * Who may stay connected: the limits on connections in all, per address, and not logged in
 * yet, and which waiting connection gives way to a newcomer when the room is full.
 * @module
 */

import type { ProtocolError } from "./errors.ts";

/** The limits {@linkcode Admission} enforces. */
export interface AdmissionLimits {
  /** Most connections at once. */
  maxClients: number;
  /** Most connections at once from one address. */
  maxPerAddress: number;
  /** Most connections at once that have not logged in. */
  maxUnauthenticated: number;
}

/** A connection as admission sees it: where it comes from (`null`: unknown, not limited). */
export interface Admittee {
  readonly address: string | null;
}

/**
 * What becomes of a newcomer: it stays; it stays and `victim` (a connection still waiting to
 * log in) must be closed with `error`; or it must be closed itself with `error`.
 */
export type AdmissionVerdict<T> =
  | { kind: "admit" }
  | { kind: "displace"; victim: T; error: ProtocolError }
  | { kind: "refuse"; error: ProtocolError };

/**
 * Counts connections per address and those waiting to log in, and decides on newcomers.
 *
 * A full room (`maxClients` or `maxUnauthenticated` reached) does not simply refuse: idle
 * sockets that never log in would then lock every real user out. A newcomer instead takes the
 * place of the oldest waiting connection of the address with the most waiting connections, if
 * that address has at least two more than the newcomer's; otherwise the newcomer is refused.
 * So one crowded address cannot keep others out, and equals never push each other out in turn.
 * Sans-IO and synchronous; the hub calls it on every connect, login and departure.
 *
 * @example
 * ```ts
 * import { Admission } from "./admission.ts";
 * const admission = new Admission({ maxClients: 10, maxPerAddress: 1, maxUnauthenticated: 5 });
 * admission.admit({ address: "10.0.0.1" }).kind; // "admit"
 * admission.admit({ address: "10.0.0.1" }).kind; // "refuse" (TOO_MANY_CONNECTIONS)
 * ```
 */
export class Admission<T extends Admittee> {
  readonly #limits: AdmissionLimits;
  readonly #perAddress = new Map<string, number>();
  // Connections not logged in yet, oldest first (a Set keeps insertion order).
  readonly #waiting = new Set<T>();
  #total = 0;

  /** @param limits the three limits; each must be at least 1 */
  constructor(limits: AdmissionLimits) {
    const { maxClients, maxPerAddress, maxUnauthenticated } = limits;
    if (!(Math.min(maxClients, maxPerAddress, maxUnauthenticated) >= 1)) {
      throw new RangeError("Admission limits must be at least 1");
    }
    this.#limits = { maxClients, maxPerAddress, maxUnauthenticated };
  }

  /** Connections counted (every one from {@linkcode admit} until {@linkcode left}). */
  get total(): number {
    return this.#total;
  }

  /** Connections counted that have not logged in. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** Connections counted from `address`. */
  fromAddress(address: string): number {
    return this.#perAddress.get(address) ?? 0;
  }

  /**
   * Counts a newcomer, whatever the verdict (a refused one is counted until it has
   * {@linkcode left}, like any other), and says whether it may stay.
   */
  admit(newcomer: T): AdmissionVerdict<T> {
    const { address } = newcomer;
    const fromThere = address === null ? 0 : this.fromAddress(address);
    this.#total++;
    if (address !== null) this.#perAddress.set(address, fromThere + 1);
    if (fromThere >= this.#limits.maxPerAddress) {
      const most = atMost(this.#limits.maxPerAddress, "connection");
      const message = `Too many connections from your address: the server takes ${most} from one`;
      return { kind: "refuse", error: { code: "TOO_MANY_CONNECTIONS", message } };
    }
    const full = this.#total > this.#limits.maxClients;
    if (!full && this.#waiting.size < this.#limits.maxUnauthenticated) {
      this.#waiting.add(newcomer);
      return { kind: "admit" };
    }
    const victim = this.#displaceable(address);
    if (victim === null) return { kind: "refuse", error: this.#fullError(full) };
    this.#waiting.add(newcomer);
    const message = "Too many connections from your address are waiting to log in";
    return { kind: "displace", victim, error: { code: "TOO_MANY_CONNECTIONS", message } };
  }

  /** Notes that a connection logged in: it no longer counts as waiting. */
  loggedIn(client: T): void {
    this.#waiting.delete(client);
  }

  /** Forgets a connection counted by {@linkcode admit}; call it exactly once per connection. */
  left(client: T): void {
    this.#total--;
    this.#waiting.delete(client);
    const { address } = client;
    if (address === null) return;
    const count = (this.#perAddress.get(address) ?? 1) - 1;
    if (count > 0) this.#perAddress.set(address, count);
    else this.#perAddress.delete(address);
  }

  /**
   * The oldest waiting connection of the address with the most waiting ones, if it has at
   * least two more than `address` (unknown addresses count as one address). Scans the waiting
   * connections: at most `maxUnauthenticated`, and only when the room is full.
   */
  #displaceable(address: string | null): T | null {
    const counts = new Map<string | null, number>();
    for (const client of this.#waiting) {
      counts.set(client.address, (counts.get(client.address) ?? 0) + 1);
    }
    let crowded: string | null = null;
    let most = 0;
    for (const [where, count] of counts) {
      if (count > most) [crowded, most] = [where, count];
    }
    if (most < (counts.get(address) ?? 0) + 2) return null;
    for (const client of this.#waiting) {
      if (client.address === crowded) return client;
    }
    return null;
  }

  #fullError(full: boolean): ProtocolError {
    const message = full
      ? `Server is full: it takes ${atMost(this.#limits.maxClients, "client")} at once`
      : `Server is full: ${this.#limits.maxUnauthenticated} connections are waiting to log in`;
    return { code: "SERVER_FULL", message };
  }
}

function atMost(n: number, noun: string): string {
  return `at most ${n} ${noun}${n === 1 ? "" : "s"}`;
}
