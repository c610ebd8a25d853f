/**
 * The server's book of transfer grants: what each connection and the whole server hold, which
 * upload names are claimed, and whose turn it is to hash. Sans-IO: it only counts, so each
 * decision is made synchronously, the moment a request arrives, before any file is touched.
 * @module
 */

import type { ConnId } from "../chat/hub_types.ts";

/**
 * Transfers one chat connection may hold at once: being prepared (opening, hashing), granted and
 * not yet started, or running. Past it: `TOO_MANY_TRANSFERS`.
 */
export const MAX_TRANSFERS_PER_CONNECTION = 8;

/** Transfers the whole server holds at once, counted as per connection. Past it: `SERVER_BUSY`. */
export const MAX_TRANSFERS = 256;

/**
 * File handles the server's transfers hold or are opening at once, counting opens given up on
 * (a FIFO) until they return. Every transfer needs one; with the 1,024-descriptor limit common
 * on Linux this leaves about 700 for sockets. Past it: `SERVER_BUSY`.
 */
export const MAX_OPEN_FILES = 320;

/**
 * Files one connection's requests may be hashing at once (a whole file for a download's SHA-256,
 * or a resume's prefix); its further requests that need hashing wait their turn.
 */
export const HASHES_PER_CONNECTION = 1;

/** Why a request is refused: a stable code and a sentence for the user. */
export interface Refusal {
  code: "TOO_MANY_TRANSFERS" | "SERVER_BUSY" | "TRANSFER_REFUSED";
  message: string;
}

/** One reserved transfer: a grant slot and a file slot, and for an upload a claimed name. */
export interface Ticket {
  /** Unique for the ledger's lifetime; used as the transfer id. */
  readonly id: number;
  readonly conn: ConnId;
  /** The upload name this ticket claims, or `null` for a download. */
  readonly claim: string | null;
}

/** The answer to {@linkcode GrantLedger.reserve}. */
export type Reservation = { ok: true; ticket: Ticket } | { ok: false; refusal: Refusal };

/** The limits a ledger keeps; each defaults to the constant of that name. */
export interface GrantLimits {
  /** Default {@linkcode MAX_TRANSFERS_PER_CONNECTION}. */
  perConnection: number;
  /** Default {@linkcode MAX_TRANSFERS}. */
  transfers: number;
  /** Default {@linkcode MAX_OPEN_FILES}. */
  openFiles: number;
  /** Default {@linkcode HASHES_PER_CONNECTION}. */
  hashesPerConnection: number;
}

interface Entry {
  ticket: Ticket;
  holdsGrant: boolean;
  holdsFile: boolean;
  cancelled: boolean;
}

interface HashTurns {
  running: Set<number>;
  waiting: Ticket[];
}

/**
 * Grants and file handles, counted from the moment a request is accepted until every failure
 * or success path gives them back. The grant slot (with its name claim) and the file slot are
 * released separately: a file may outlive its grant (an open given up on has not returned yet).
 *
 * @example
 * ```ts
 * import { GrantLedger } from "./grant_ledger.ts";
 * const ledger = new GrantLedger({ perConnection: 1 });
 * const first = ledger.reserve(1);
 * ledger.reserve(1).ok; // false: TOO_MANY_TRANSFERS
 * if (first.ok) ledger.release(first.ticket);
 * ledger.reserve(1).ok; // true
 * ```
 */
export class GrantLedger {
  readonly #limits: GrantLimits;
  readonly #entries = new Map<number, Entry>();
  readonly #byConn = new Map<ConnId, Set<number>>();
  readonly #claims = new Set<string>();
  readonly #hashTurns = new Map<ConnId, HashTurns>();
  #grants = 0;
  #files = 0;
  #nextId = 1;

  /** @param limits overrides of the default limits */
  constructor(limits: Partial<GrantLimits> = {}) {
    this.#limits = {
      perConnection: limits.perConnection ?? MAX_TRANSFERS_PER_CONNECTION,
      transfers: limits.transfers ?? MAX_TRANSFERS,
      openFiles: limits.openFiles ?? MAX_OPEN_FILES,
      hashesPerConnection: limits.hashesPerConnection ?? HASHES_PER_CONNECTION,
    };
    for (const [name, value] of Object.entries(this.#limits)) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`Cannot create grant ledger: ${name} must be a positive integer`);
      }
    }
  }

  /** Grant slots held, server-wide. */
  get transfers(): number {
    return this.#grants;
  }

  /** File slots held, server-wide. */
  get openFiles(): number {
    return this.#files;
  }

  /** Grant slots `conn` holds. */
  heldBy(conn: ConnId): number {
    return this.#byConn.get(conn)?.size ?? 0;
  }

  /**
   * Reserves a grant slot and a file slot for a request of `conn` (claiming `claim` for an
   * upload), or says why not. Counted at once: the next call sees this one.
   */
  reserve(conn: ConnId, claim: string | null = null): Reservation {
    const refusal = this.#refusal(conn, claim);
    if (refusal !== null) return { ok: false, refusal };
    const ticket: Ticket = { id: this.#nextId++, conn, claim };
    this.#entries.set(ticket.id, { ticket, holdsGrant: true, holdsFile: true, cancelled: false });
    let held = this.#byConn.get(conn);
    if (held === undefined) this.#byConn.set(conn, held = new Set());
    held.add(ticket.id);
    if (claim !== null) this.#claims.add(claim);
    this.#grants++;
    this.#files++;
    return { ok: true, ticket };
  }

  /** Gives back the ticket's grant slot and name claim; a second call does nothing. */
  release(ticket: Ticket): void {
    const entry = this.#entries.get(ticket.id);
    if (entry === undefined || !entry.holdsGrant) return;
    entry.holdsGrant = false;
    this.#grants--;
    const held = this.#byConn.get(ticket.conn);
    held?.delete(ticket.id);
    if (held?.size === 0) this.#byConn.delete(ticket.conn);
    if (ticket.claim !== null) this.#claims.delete(ticket.claim);
    this.#forgetIfDone(entry);
  }

  /** Gives back the ticket's file slot; a second call does nothing. */
  releaseFile(ticket: Ticket): void {
    const entry = this.#entries.get(ticket.id);
    if (entry === undefined || !entry.holdsFile) return;
    entry.holdsFile = false;
    this.#files--;
    this.#forgetIfDone(entry);
  }

  /** Marks every ticket of `conn` cancelled: the connection is gone, nothing more is granted. */
  cancelConnection(conn: ConnId): void {
    for (const id of this.#byConn.get(conn) ?? []) {
      const entry = this.#entries.get(id);
      if (entry !== undefined) entry.cancelled = true;
    }
  }

  /** Whether the ticket's connection went away, or its grant slot was given back. */
  isCancelled(ticket: Ticket): boolean {
    const entry = this.#entries.get(ticket.id);
    return entry === undefined || entry.cancelled || !entry.holdsGrant;
  }

  /**
   * Asks for the ticket's turn to hash: `true` if it may start now, `false` if it waits (a later
   * {@linkcode endHashTurn} hands it the turn). A ticket that asked must end its turn, whatever
   * happens.
   */
  requestHashTurn(ticket: Ticket): boolean {
    let turns = this.#hashTurns.get(ticket.conn);
    if (turns === undefined) {
      this.#hashTurns.set(ticket.conn, turns = { running: new Set(), waiting: [] });
    }
    if (turns.running.size < this.#limits.hashesPerConnection) {
      turns.running.add(ticket.id);
      return true;
    }
    turns.waiting.push(ticket);
    return false;
  }

  /** Ends the ticket's turn to hash (or its wait); returns the tickets whose turn starts now. */
  endHashTurn(ticket: Ticket): Ticket[] {
    const turns = this.#hashTurns.get(ticket.conn);
    if (turns === undefined) return [];
    turns.running.delete(ticket.id);
    const waiting = turns.waiting.indexOf(ticket);
    if (waiting >= 0) turns.waiting.splice(waiting, 1);
    const started: Ticket[] = [];
    while (turns.running.size < this.#limits.hashesPerConnection && turns.waiting.length > 0) {
      const next = turns.waiting.shift()!;
      turns.running.add(next.id);
      started.push(next);
    }
    if (turns.running.size === 0) this.#hashTurns.delete(ticket.conn);
    return started;
  }

  #refusal(conn: ConnId, claim: string | null): Refusal | null {
    if (claim !== null && this.#claims.has(claim)) {
      return { code: "TRANSFER_REFUSED", message: `'${claim}' is being uploaded already` };
    }
    const limits = this.#limits;
    if (this.heldBy(conn) >= limits.perConnection) {
      return {
        code: "TOO_MANY_TRANSFERS",
        message: `At most ${limits.perConnection} transfers at once per connection`,
      };
    }
    if (this.#grants >= limits.transfers) {
      return {
        code: "SERVER_BUSY",
        message: `The server runs ${limits.transfers} transfers already; try again later`,
      };
    }
    if (this.#files >= limits.openFiles) {
      return {
        code: "SERVER_BUSY",
        message: `The server holds ${limits.openFiles} open files already; try again later`,
      };
    }
    return null;
  }

  #forgetIfDone(entry: Entry): void {
    if (!entry.holdsGrant && !entry.holdsFile) this.#entries.delete(entry.ticket.id);
  }
}
