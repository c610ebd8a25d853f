/**
 * A bump allocator of byte views: many small buffers carved one after another out of large
 * zero-filled slabs, so that code making one buffer per datagram or per line allocates a slab
 * now and then instead of a buffer each time (an `ArrayBuffer` each costs an allocation of its
 * own, and the garbage collector's work to free it).
 *
 * @module
 */

/**
 * Hands out views of shared slabs. A region is never handed out twice or written by the
 * arena again, so each view is its owner's for as long as it is kept, and reads as zeros until
 * its owner writes it; a slab lives as long as any view of it does.
 *
 * @example
 * ```ts
 * import { ByteArena } from "./byte_arena.ts";
 * const arena = new ByteArena(4096);
 * const a = arena.take(100);
 * const b = arena.take(100);
 * a.buffer === b.buffer && a.byteOffset + 100 === b.byteOffset; // true
 * ```
 */
export class ByteArena {
  readonly #slabBytes: number;
  #slab: Uint8Array;
  #used = 0;
  /** Whether a reserve may have left bytes past `#used` that are not zero. */
  #dirty = false;

  /** @param slabBytes size of a fresh slab; a larger request gets a slab of its own size */
  constructor(slabBytes: number) {
    if (!Number.isInteger(slabBytes) || slabBytes <= 0) {
      throw new RangeError(`Cannot make an arena of ${slabBytes}-byte slabs`);
    }
    this.#slabBytes = slabBytes;
    this.#slab = new Uint8Array(slabBytes);
  }

  /**
   * A zero-filled view of at least `bytes` bytes where the next region starts, to write into
   * before {@linkcode commit} says how much of it was used. Nothing is handed out yet.
   */
  reserve(bytes: number): Uint8Array {
    const room = this.#room(bytes);
    this.#dirty = true;
    return room;
  }

  #room(bytes: number): Uint8Array {
    if (this.#used + bytes > this.#slab.length) {
      this.#slab = new Uint8Array(Math.max(this.#slabBytes, bytes));
      this.#used = 0;
      this.#dirty = false;
    }
    return this.#slab.subarray(this.#used);
  }

  /** Hands out the first `bytes` bytes of the last {@linkcode reserve}, as a view. */
  commit(bytes: number): Uint8Array {
    if (this.#used + bytes > this.#slab.length) {
      throw new RangeError(`Cannot commit ${bytes} bytes: more than was reserved`);
    }
    const start = this.#used;
    this.#used += bytes;
    return this.#slab.subarray(start, this.#used);
  }

  /** A fresh zero-filled view of `bytes` bytes. */
  take(bytes: number): Uint8Array {
    this.#room(bytes);
    const out = this.commit(bytes);
    if (this.#dirty) out.fill(0);
    return out;
  }

  /** A copy of `bytes` the caller owns. */
  copy(bytes: Uint8Array): Uint8Array {
    this.#room(bytes.length);
    const out = this.commit(bytes.length);
    out.set(bytes);
    return out;
  }
}
