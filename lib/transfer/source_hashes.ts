/**
 * SHA-256s of opened shared files for grants and resumes: each file version's prefix is hashed
 * at most once at a time and remembered, and each connection hashes one file at a time.
 * @module
 */

import { HashCache, versionKey } from "../files/file_hash.ts";
import { FileAccessError } from "../files/file_access_error.ts";
import type { FileSource } from "../files/file_source.ts";
import type { GrantLedger, Ticket } from "./grant_ledger.ts";

/**
 * Hashes what a request opened, never a path: a result is keyed by the opened handle's file
 * version, so it always describes the bytes served. Requests for a version being hashed share
 * that work; a request needing new work waits for its connection's turn in the ledger.
 */
export class SourceHashes {
  readonly #ledger: GrantLedger;
  readonly #signal: AbortSignal;
  readonly #cache = new HashCache();
  readonly #turnWaiters = new Map<number, () => void>();
  #hashedBytes = 0;

  /**
   * @param ledger whose hashing turns are taken
   * @param signal stops every hashing under way (the server is stopping)
   */
  constructor(ledger: GrantLedger, signal: AbortSignal) {
    this.#ledger = ledger;
    this.#signal = signal;
  }

  /** Bytes read to compute hashes so far. */
  get hashedBytes(): number {
    return this.#hashedBytes;
  }

  /**
   * SHA-256 of the first `length` bytes of `source` (opened for `name` by `ticket`'s request):
   * remembered, shared with a computation under way, or computed in the connection's turn.
   */
  async hash(ticket: Ticket, name: string, source: FileSource, length: number): Promise<string> {
    const key = versionKey(name, source.info, length);
    const known = this.#cache.lookup(key);
    if (known !== null) return await known;
    await this.#turn(ticket);
    try {
      this.#signal.throwIfAborted();
      if (this.#ledger.isCancelled(ticket)) {
        throw new FileAccessError("TRANSFER_REFUSED", "The connection is gone");
      }
      return await this.#cache.get(key, () =>
        source.sha256(length, {
          signal: this.#signal,
          onRead: (bytes) => this.#hashedBytes += bytes,
        }));
    } finally {
      for (const next of this.#ledger.endHashTurn(ticket)) {
        this.#turnWaiters.get(next.id)?.();
        this.#turnWaiters.delete(next.id);
      }
    }
  }

  /** Resolves when the ticket's connection may start hashing. */
  #turn(ticket: Ticket): Promise<void> {
    if (this.#ledger.requestHashTurn(ticket)) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#turnWaiters.set(ticket.id, resolve);
    return promise;
  }
}
