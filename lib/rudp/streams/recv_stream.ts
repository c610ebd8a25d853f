/**
 * The data receiver's reassembly buffer and flow-control window. Out-of-order bytes are held
 * until the gap before them fills; contiguous bytes are handed out once, in order. Bytes count
 * against the window until the application takes them, so a slow writer holds the sender back.
 *
 * @module
 */
import { ByteArena } from "../../core/byte_arena.ts";
import { RangeSet } from "./range_set.ts";

/** Default flow-control window, in bytes. */
export const RECEIVE_WINDOW_BYTES = 8 * 1024 * 1024;
/**
 * Bytes of window per out-of-order piece a peer may make us hold. The window bounds the bytes
 * held, not the pieces, and each piece costs far more than its bytes: so at most
 * `window / OUT_OF_ORDER_PIECE_BYTES` pieces (16,384 for the default window), at least
 * {@linkcode MIN_OUT_OF_ORDER_PIECES}. A full window of 1,200-byte datagrams is about 7,300
 * pieces, so only a peer sending tiny fragments out of order reaches the bound; it is then
 * closed with `PROTOCOL_VIOLATION`.
 */
export const OUT_OF_ORDER_PIECE_BYTES = 512;
/** Fewest out-of-order pieces allowed whatever the window, so a tiny window still works. */
export const MIN_OUT_OF_ORDER_PIECES = 64;

/** Bytes ready for the application, at an absolute offset. */
export interface IncomingChunk {
  offset: number;
  bytes: Uint8Array;
}

/**
 * Why a data frame was refused: past the window, past the end, or one out-of-order piece
 * too many (`PROTOCOL_VIOLATION`).
 */
export type RecvError = "FLOW_CONTROL_ERROR" | "FINAL_SIZE_ERROR" | "PROTOCOL_VIOLATION";

/**
 * Bytes of each slab that in-order data is copied into out of the reused receive buffer, shared
 * by every connection: one allocation per forty-odd datagrams. Drivers take data events at once
 * (one at a time while a write is under way), so a slab is soon free: with a thousand
 * connections each holding one event, at most 64 MiB stays pinned. Out-of-order pieces, which
 * may be held long, get buffers of their own.
 */
export const RECEIVED_SLAB_BYTES = 64 * 1024;
const RECEIVED = new ByteArena(RECEIVED_SLAB_BYTES);

const RECV_ERROR_TEXT: Record<RecvError, string> = {
  FLOW_CONTROL_ERROR: "Data past the advertised window",
  FINAL_SIZE_ERROR: "Data past the end of the file",
  PROTOCOL_VIOLATION: "Too many out-of-order pieces",
};

/** A sentence for a close reason. */
export function describeRecvError(error: RecvError): string {
  return RECV_ERROR_TEXT[error];
}

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
  readonly #maxPieces: number;

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
    this.#maxPieces = Math.max(
      MIN_OUT_OF_ORDER_PIECES,
      Math.ceil(this.#window / OUT_OF_ORDER_PIECE_BYTES),
    );
    this.#delivered = start;
    this.#consumed = start;
    this.#advertised = this.maxData;
  }

  /** Offset below which all bytes were handed out. */
  get deliveredOffset(): number {
    return this.#delivered;
  }

  /** Most out-of-order pieces held before the peer is refused. */
  get maxPieces(): number {
    return this.#maxPieces;
  }

  /** Out-of-order pieces held now (each a part of a frame that arrived before a gap filled). */
  get pieces(): number {
    return this.#pending.size;
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
   * peer broke flow control, wrote past the end or holds too many pieces. `bytes` is copied:
   * it may be a view into a reused receive buffer.
   */
  onData(offset: number, bytes: Uint8Array): IncomingChunk[] | RecvError {
    const end = offset + bytes.length;
    if (end > this.end) return "FINAL_SIZE_ERROR";
    if (end > this.#advertised && end > this.maxData) return "FLOW_CONTROL_ERROR";
    if (offset === this.#delivered && this.#pending.size === 0) {
      this.#delivered = end;
      return bytes.length === 0 ? [] : [{ offset, bytes: RECEIVED.copy(bytes) }];
    }
    const from = Math.max(offset, this.#delivered);
    let fresh = 0;
    for (const gap of this.#received.gaps(from, end)) {
      // A piece of its own: one held long must not pin a slab of in-order data.
      this.#pending.set(gap.start, bytes.slice(gap.start - offset, gap.end - offset));
      this.#received.add(gap.start, gap.end);
      fresh += gap.end - gap.start;
    }
    this.duplicateBytes += bytes.length - fresh;
    const out = this.#drain();
    return this.#pending.size > this.#maxPieces ? "PROTOCOL_VIOLATION" : out;
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
