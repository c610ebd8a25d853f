/**
 * The data sender's view of the file: which byte ranges are unsent, lost (to resend), or
 * acknowledged, and how far flow control lets it go. Bytes are pulled from a
 * {@linkcode ChunkSource} when a packet is built, so nothing is buffered for retransmission:
 * a lost range is read again.
 *
 * @module
 */
import type { ChunkSource } from "./chunk_source.ts";
import { RangeSet } from "./range_set.ts";

/**
 * Most disjoint acknowledged ranges the sender keeps. A peer that acknowledges every other
 * packet splits them without bound (one per two packets of the file); at the bound no new
 * bytes are sent until retransmissions fill holes and the ranges merge again. A full default
 * window (8 MiB) of 1,200-byte packets with every other one lost is about 3,600 ranges.
 */
export const MAX_ACKED_RANGES = 8192;

/** A chunk ready to go into a data frame. */
export interface OutgoingChunk {
  offset: number;
  bytes: Uint8Array;
  /** Whether these bytes were sent before (counted as retransmitted). */
  retransmit: boolean;
}

/** Thrown by {@linkcode SendStream.nextChunk} when the source fails or misbehaves. */
export class SourceError extends Error {
  /** Stable code. */
  readonly code = "SOURCE_ERROR";
  /** Creates the error with a sentence-case message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SourceError";
  }
}

/**
 * Byte-range bookkeeping for the data sender, over `[start, end)` of the file.
 *
 * @example
 * ```ts
 * const stream = new SendStream({ read: (_o, n) => new Uint8Array(n) }, 0, 10);
 * stream.maxData = 10;
 * stream.nextChunk(4)?.offset; // 0
 * ```
 */
export class SendStream {
  /** Flow-control limit: the peer accepts bytes below this absolute offset. */
  maxData: number;
  /** Bytes sent again after a loss. */
  retransmittedBytes = 0;
  #next: number;
  readonly #lost = new RangeSet();
  readonly #acked = new RangeSet();

  /** Creates a stream sending `[start, end)` of `source`. */
  constructor(private readonly source: ChunkSource, readonly start: number, readonly end: number) {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new RangeError(`Cannot create send stream: bad range [${start}, ${end})`);
    }
    this.#next = start;
    this.maxData = start;
  }

  /** Lowest offset not yet sent for the first time. */
  get nextOffset(): number {
    return this.#next;
  }

  /** Offset below which every byte is acknowledged. */
  get ackedOffset(): number {
    const first = this.#acked.first();
    return first !== undefined && first.start <= this.start ? first.end : this.start;
  }

  /** Whether every byte was acknowledged. */
  get allAcked(): boolean {
    return this.#acked.covers(this.start, this.end);
  }

  /**
   * Whether there is something to send now: lost bytes, or new bytes that flow control allows
   * and {@linkcode MAX_ACKED_RANGES} does not hold back.
   */
  get hasPending(): boolean {
    return !this.#lost.isEmpty || this.#newBytesAllowed() > 0;
  }

  /** Whether new bytes remain but flow control forbids sending them. */
  get blocked(): boolean {
    return this.#lost.isEmpty && this.#next < this.end && this.#next >= this.maxData;
  }

  /** Takes the next chunk of at most `maxLength` bytes: lost bytes first, then new ones. */
  nextChunk(maxLength: number): OutgoingChunk | null {
    if (maxLength <= 0) return null;
    const lost = this.#lost.first();
    if (lost !== undefined) {
      const length = Math.min(maxLength, lost.end - lost.start);
      this.#lost.remove(lost.start, lost.start + length);
      this.retransmittedBytes += length;
      return { offset: lost.start, bytes: this.#read(lost.start, length), retransmit: true };
    }
    const allowed = this.#newBytesAllowed();
    if (allowed <= 0) return null;
    const offset = this.#next;
    const length = Math.min(maxLength, allowed);
    this.#next += length;
    return { offset, bytes: this.#read(offset, length), retransmit: false };
  }

  /** The bytes `[offset, offset + length)` reached the peer. */
  onAcked(offset: number, length: number): void {
    this.#acked.add(offset, offset + length);
    this.#lost.remove(offset, offset + length);
  }

  /** The packet carrying `[offset, offset + length)` was lost: queue what is not acked yet. */
  onLost(offset: number, length: number): void {
    for (const gap of this.#acked.gaps(offset, offset + length)) this.#lost.add(gap.start, gap.end);
  }

  #newBytesAllowed(): number {
    if (this.#acked.count >= MAX_ACKED_RANGES) return 0;
    return Math.min(this.end, this.maxData) - this.#next;
  }

  #read(offset: number, length: number): Uint8Array {
    let bytes: Uint8Array;
    try {
      bytes = this.source.read(offset, length);
    } catch (cause) {
      throw new SourceError(`Cannot read source at ${offset}: ${String(cause)}`, { cause });
    }
    if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
      throw new SourceError(`Cannot read source at ${offset}: expected ${length} bytes`);
    }
    return bytes;
  }
}
