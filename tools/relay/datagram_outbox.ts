/**
 * A bounded queue of datagrams waiting for one UDP socket, sent one at a time.
 * @module
 */

/** Default most datagrams waiting before new ones are dropped. */
export const MAX_QUEUED_DATAGRAMS = 8192;
const COMPACT_AFTER = 4096;

/** What an outbox did. */
export interface OutboxStats {
  /** Datagrams and bytes handed to the kernel. */
  forwarded: number;
  forwardedBytes: number;
  /** Sends the kernel refused: each is a lost datagram. */
  sendErrors: number;
  /** Datagrams dropped because the queue was full. */
  queueOverflows: number;
}

/**
 * Sends queued datagrams on a socket one at a time, so a process that also receives is never
 * starved (many sends in flight stall its receive loop). A full queue drops new datagrams, and
 * a send that rejects counts as a drop: neither ever throws.
 *
 * @example
 * ```ts ignore
 * const outbox = new DatagramOutbox(socket);
 * outbox.push(bytes, { transport: "udp", hostname: "127.0.0.1", port: 50000 });
 * outbox.close();
 * await outbox.idle;
 * ```
 */
export class DatagramOutbox {
  readonly stats: OutboxStats = {
    forwarded: 0,
    forwardedBytes: 0,
    sendErrors: 0,
    queueOverflows: 0,
  };
  #items: { bytes: Uint8Array; to: Deno.NetAddr }[] = [];
  #head = 0;
  #pumping = false;
  #sending: Promise<void> = Promise.resolve();
  #closed = false;

  /** Sends on `socket`, holding at most `maxQueued` datagrams (default 8192). */
  constructor(readonly socket: Deno.DatagramConn, readonly maxQueued = MAX_QUEUED_DATAGRAMS) {}

  /** Datagrams waiting. */
  get queued(): number {
    return this.#items.length - this.#head;
  }

  /** Resolves once nothing is being sent. */
  get idle(): Promise<void> {
    return this.#sending;
  }

  /** Queues `bytes` (kept by reference: the caller must not reuse them) for `to`. */
  push(bytes: Uint8Array, to: Deno.NetAddr): void {
    if (this.#closed) return;
    if (this.queued >= this.maxQueued) {
      this.stats.queueOverflows++;
      return;
    }
    this.#items.push({ bytes, to });
    if (this.#pumping) return;
    this.#pumping = true;
    this.#sending = this.#pump();
  }

  /** Drops what is queued and closes the socket. */
  close(): void {
    this.#closed = true;
    try {
      this.socket.close();
    } catch {
      // Closed already.
    }
  }

  async #pump(): Promise<void> {
    try {
      while (this.#head < this.#items.length && !this.#closed) {
        const { bytes, to } = this.#items[this.#head++]!;
        try {
          await this.socket.send(bytes, to);
          this.stats.forwarded++;
          this.stats.forwardedBytes += bytes.length;
        } catch {
          if (this.#closed) return;
          this.stats.sendErrors++;
        }
        if (this.#head > COMPACT_AFTER) {
          this.#items = this.#items.slice(this.#head);
          this.#head = 0;
        }
      }
    } finally {
      // Reset in the same step as the last check, so a push can never find a pump that is
      // about to stop without sending what it queued.
      this.#items = [];
      this.#head = 0;
      this.#pumping = false;
    }
  }
}
