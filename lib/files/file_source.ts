/**
 * A file as the synchronous byte source the file channel's sender pulls from.
 * @module
 */

import type { ChunkSource } from "../rudp/chunk_source.ts";

const BLOCK_BYTES = 1024 * 1024;
const EMPTY = new Uint8Array(0);

/**
 * Reads a file at offsets through a one-block cache: the sender reads forward in datagram-size
 * pieces, so one 1 MiB read serves hundreds of them. Retransmissions of older ranges read again.
 */
export class FileSource implements ChunkSource {
  readonly #file: Deno.FsFile;
  // Allocated at the first read: a granted transfer the client never opens costs no memory.
  #block = EMPTY;
  #blockStart = 0;
  #blockLength = 0;

  /** What the open file is (after any symlink): compare with an `lstat` to catch a swap. */
  readonly info: Deno.FileInfo;

  /** Opens `path` for reading; throws if it cannot be opened. */
  constructor(path: string) {
    this.#file = Deno.openSync(path, { read: true });
    this.info = this.#file.statSync();
  }

  /** Returns exactly `length` bytes at `offset`; throws past the end of the file. */
  read(offset: number, length: number): Uint8Array {
    const end = offset + length;
    if (offset >= this.#blockStart && end <= this.#blockStart + this.#blockLength) {
      return this.#block.subarray(offset - this.#blockStart, end - this.#blockStart);
    }
    if (length > BLOCK_BYTES) return this.#readDirect(offset, length);
    this.#fill(offset);
    if (end > this.#blockStart + this.#blockLength) {
      throw new RangeError(`Cannot read ${length} bytes at ${offset}: past the end of the file`);
    }
    return this.#block.subarray(0, length);
  }

  /** Closes the file. */
  close(): void {
    this.#file.close();
  }

  #fill(offset: number): void {
    if (this.#block === EMPTY) this.#block = new Uint8Array(BLOCK_BYTES);
    this.#file.seekSync(offset, Deno.SeekMode.Start);
    this.#blockStart = offset;
    this.#blockLength = this.#readFully(this.#block);
  }

  #readDirect(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.#file.seekSync(offset, Deno.SeekMode.Start);
    if (this.#readFully(out) < length) {
      throw new RangeError(`Cannot read ${length} bytes at ${offset}: past the end of the file`);
    }
    return out;
  }

  #readFully(into: Uint8Array): number {
    let filled = 0;
    while (filled < into.length) {
      const n = this.#file.readSync(into.subarray(filled));
      if (n === null || n === 0) break;
      filled += n;
    }
    return filled;
  }
}
