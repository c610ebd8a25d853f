/**
 * The data receiver's reassembly buffer and flow-control window. Out-of-order bytes are held
 * until the gap before them fills; contiguous bytes are handed out once, in order. Bytes count
 * against the window until the application takes them, so a slow writer holds the sender back.
 *
 * @module
 */
import { RangeSet } from "./range_set.ts";

/** Default flow-control window, in bytes. */
export const RECEIVE_WINDOW_BYTES = 8 * 1024 * 1024;

/** Bytes ready for the application, at an absolute offset. */
export interface IncomingChunk {
  offset: number;
  bytes: Uint8Array;
}

/** Why a data frame was refused. */
export type RecvError = "FLOW_CONTROL_ERROR" | "FINAL_SIZE_ERROR";

/**
 * Reassembly over `[start, end)` of the file.
 *
 * @example
 * ```ts
 * const stream = new RecvStream(0, 4, { windowBytes: 4 });
 * stream.onData(2, new Uint8Array([3, 4])); // [] (held: bytes 0-1 missing)
 * stream.onData(0, new Uint8Array([1, 2])).length; // 2
 * ```
 */
export class RecvStream {
  /** Bytes that arrived more than once (not delivered twice). */
  duplicateBytes = 0;
  #delivered: number;
  #consumed: number;
  #advertised: number;
  readonly #received = new RangeSet();
  readonly #pending = new Map<number, Uint8Array>();
  readonly #window: number;

  /** Creates a buffer for `[start, end)`; `windowBytes` defaults to {@linkcode RECEIVE_WINDOW_BYTES}. */
  constructor(
    readonly start: number,
    readonly end: number,
    options: { windowBytes?: number } = {},
  ) {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new RangeError(`Cannot create receive stream: bad range [${start}, ${end})`);
    }
    this.#window = options.windowBytes ?? RECEIVE_WINDOW_BYTES;
    if (!(this.#window > 0)) {
      throw new RangeError("Cannot create receive stream: window must be positive");
    }
    this.#delivered = start;
    this.#consumed = start;
    this.#advertised = this.maxData;
  }

  /** Offset below which all bytes were handed out. */
  get deliveredOffset(): number {
    return this.#delivered;
  }

  /** Whether all of `[start, end)` was handed out. */
  get complete(): boolean {
    return this.#delivered === this.end;
  }

  /** The flow-control limit to advertise: consumed offset plus window, at most the end. */
  get maxData(): number {
    return Math.min(this.end, this.#consumed + this.#window);
  }

  /** Whether the limit moved far enough (a quarter window) to be worth a packet on its own. */
  get windowUpdateDue(): boolean {
    return this.maxData > this.#advertised &&
      (this.maxData - this.#advertised >= this.#window / 4 || this.maxData === this.end);
  }

  /** Records that `maximum` was sent to the peer. */
  onAdvertised(maximum: number): void {
    this.#advertised = Math.max(this.#advertised, maximum);
  }

  /** The application took the bytes below `offset`, freeing window. */
  onConsumed(offset: number): void {
    this.#consumed = Math.max(this.#consumed, Math.min(offset, this.#delivered));
  }

  /**
   * Accepts a data frame; returns the chunks now deliverable in order, or an error when the
   * peer broke flow control or wrote past the end. `bytes` is copied: it may be a view into a
   * reused receive buffer.
   */
  onData(offset: number, bytes: Uint8Array): IncomingChunk[] | RecvError {
    const end = offset + bytes.length;
    if (end > this.end) return "FINAL_SIZE_ERROR";
    if (end > this.#advertised && end > this.maxData) return "FLOW_CONTROL_ERROR";
    if (offset === this.#delivered && this.#pending.size === 0) {
      this.#delivered = end;
      return bytes.length === 0 ? [] : [{ offset, bytes: bytes.slice() }];
    }
    const from = Math.max(offset, this.#delivered);
    let fresh = 0;
    for (const gap of this.#received.gaps(from, end)) {
      this.#pending.set(gap.start, bytes.slice(gap.start - offset, gap.end - offset));
      this.#received.add(gap.start, gap.end);
      fresh += gap.end - gap.start;
    }
    this.duplicateBytes += bytes.length - fresh;
    return this.#drain();
  }

  #drain(): IncomingChunk[] {
    const out: IncomingChunk[] = [];
    for (;;) {
      const bytes = this.#pending.get(this.#delivered);
      if (bytes === undefined) break;
      this.#pending.delete(this.#delivered);
      out.push({ offset: this.#delivered, bytes });
      this.#delivered += bytes.length;
    }
    if (out.length > 0) this.#received.remove(0, this.#delivered);
    return out;
  }
}
