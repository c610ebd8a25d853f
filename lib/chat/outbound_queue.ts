/**
 * One client's bounded queue of bytes waiting to be written, coalesced into one write.
 * @module
 */

import { concatBytes } from "./concat_bytes.ts";

/**
 * Bounded byte queue. Broadcasts push the same encoded bytes into many queues; the writer
 * takes everything queued as one buffer, so a client that fell behind catches up in one write.
 *
 * @example
 * ```ts
 * import { OutboundQueue } from "./outbound_queue.ts";
 * const queue = new OutboundQueue(1024);
 * queue.push(new Uint8Array([1, 2]));
 * queue.push(new Uint8Array([3]));
 * queue.take(); // Uint8Array [1, 2, 3]
 * ```
 */
export class OutboundQueue {
  readonly #maxBytes: number;
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  // End, in its buffer, of the last chunk's range (which may run past the view stored).
  #tailEnd = 0;

  /** @param maxBytes most bytes held before {@linkcode push} refuses */
  constructor(maxBytes: number) {
    if (!(maxBytes > 0)) throw new RangeError("maxBytes must be positive");
    this.#maxBytes = maxBytes;
  }

  /** Bytes waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Queues bytes, which must not be changed afterwards; false (and nothing queued) if full. */
  push(chunk: Uint8Array): boolean {
    if (this.#bytes + chunk.length > this.#maxBytes) return false;
    this.force(chunk);
    return true;
  }

  /** Queues bytes whatever the limit: for the last line before a close. */
  force(chunk: Uint8Array): void {
    this.#bytes += chunk.length;
    // Lines encoded one after another in one buffer (see LineArena) extend the last range,
    // so a client's backlog is usually written without copying. The view of a range is made
    // only when it is complete: one per write, not one per line.
    const tail = this.#chunks[this.#chunks.length - 1];
    if (tail !== undefined && tail.buffer === chunk.buffer && this.#tailEnd === chunk.byteOffset) {
      this.#tailEnd += chunk.length;
      return;
    }
    this.#sealTail();
    this.#chunks.push(chunk);
    this.#tailEnd = chunk.byteOffset + chunk.length;
  }

  /** Removes and returns everything queued as one buffer, or `null` if empty. */
  take(): Uint8Array | null {
    this.#sealTail();
    const chunks = this.#chunks;
    if (chunks.length === 0) return null;
    const total = this.#bytes;
    this.#chunks = [];
    this.#bytes = 0;
    if (chunks.length === 1) return chunks[0]!;
    return concatBytes(chunks, total);
  }

  #sealTail(): void {
    const last = this.#chunks.length - 1;
    const tail = this.#chunks[last];
    if (tail === undefined || tail.byteOffset + tail.length === this.#tailEnd) return;
    this.#chunks[last] = new Uint8Array(
      tail.buffer,
      tail.byteOffset,
      this.#tailEnd - tail.byteOffset,
    );
  }

  /** Drops everything queued. */
  clear(): void {
    this.#chunks = [];
    this.#bytes = 0;
    this.#tailEnd = 0;
  }
}
