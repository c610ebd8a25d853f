/**
 * A file as the synchronous byte source the file channel's sender pulls from: opened without
 * blocking the event loop, checked to be a regular file, and hashed from that same handle.
 * @module
 */

import { createHash } from "node:crypto";
import type { ChunkSource } from "../rudp/streams/chunk_source.ts";
import { waitAtMost } from "../net/waiting.ts";
import { FileAccessError } from "./file_access_error.ts";
import { hashInto, type HashIntoOptions } from "./file_hash.ts";
import { once } from "./_once.ts";

/**
 * How long opening a file may take, in ms. Opening runs off the event loop's thread, but a FIFO
 * (or a hung network mount) never finishes opening: past this the open is given up on, and the
 * handle it may still yield is closed when it comes.
 */
export const OPEN_TIMEOUT_MS = 5_000;

const BLOCK_BYTES = 1024 * 1024;
const EMPTY = new Uint8Array(0);

/** What a source reads through: the part of `Deno.FsFile` it uses (tests inject their own). */
export type SourceFile = Pick<
  Deno.FsFile,
  "stat" | "read" | "seek" | "readSync" | "seekSync" | "close"
>;

/** Settings of {@linkcode FileSource.open}. */
export interface FileSourceOptions {
  /** Give up opening after this many ms (default {@linkcode OPEN_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** How the file is named in error messages (default the path, quoted). */
  label?: string;
  /**
   * Called exactly once when the source holds no handle and is opening none: after `close()`,
   * after a failed or refused open, or, for an open given up on, once that open has settled.
   */
  onReleased?: () => void;
  /** Opens the file for reading (default `Deno.open`); tests inject one to swap files. */
  open?: (path: string) => Promise<SourceFile>;
}

/**
 * Reads a file at offsets through a one-block cache: the sender reads forward in datagram-size
 * pieces, so one 1 MiB read serves hundreds of them. Retransmissions of older ranges read again.
 */
export class FileSource implements ChunkSource {
  /** What `fstat` says of the open handle: a regular file (after any symlink). */
  readonly info: Deno.FileInfo;
  readonly #file: SourceFile;
  readonly #released: () => void;
  #closed = false;
  // Allocated at the first read: a granted transfer the client never opens costs no memory.
  #block = EMPTY;
  #blockStart = 0;
  #blockLength = 0;

  private constructor(file: SourceFile, info: Deno.FileInfo, released: () => void) {
    this.#file = file;
    this.info = info;
    this.#released = released;
  }

  /**
   * Opens `path` for reading without blocking the event loop, and refuses (with
   * {@linkcode FileAccessError}) anything that is not a regular file once opened, a file that is
   * not there (`NO_SUCH_FILE`), and an open that takes longer than the timeout.
   */
  static async open(path: string, options: FileSourceOptions = {}): Promise<FileSource> {
    const label = options.label ?? `'${path}'`;
    const timeoutMs = options.timeoutMs ?? OPEN_TIMEOUT_MS;
    const released = once(options.onReleased);
    const opening = (options.open ?? openForReading)(path);
    let file: SourceFile | null;
    try {
      file = await waitAtMost(opening, timeoutMs);
    } catch (error) {
      released();
      throw openError(error, label);
    }
    if (file === null) {
      // The open goes on in a thread of its own; its handle, should it ever come, is closed.
      opening.then((late) => late.close(), () => {}).finally(released);
      throw new FileAccessError("TRANSFER_REFUSED", `${label} did not open within ${timeoutMs} ms`);
    }
    try {
      const info = await file.stat();
      if (!info.isFile) {
        throw new FileAccessError("TRANSFER_REFUSED", `${label} is not a regular file`);
      }
      return new FileSource(file, info, released);
    } catch (error) {
      file.close();
      released();
      throw error;
    }
  }

  /**
   * Hex SHA-256 of the first `length` bytes of this open file (so of exactly what is served).
   * Rejects if the file holds fewer bytes now. Not to be called while the source is being read.
   */
  async sha256(length: number, options: HashIntoOptions = {}): Promise<string> {
    await this.#file.seek(0, Deno.SeekMode.Start);
    const hash = createHash("sha256");
    const read = await hashInto(hash, this.#file, length, options);
    if (read < length) {
      throw new FileAccessError(
        "TRANSFER_REFUSED",
        `The file shrank to ${read} bytes while hashed`,
      );
    }
    return hash.digest("hex");
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

  /** Closes the file; a second call does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#file.close();
    } finally {
      this.#released();
    }
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

  // Reads of a file checked to be regular: bounded by the disk, never by another process.
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

function openForReading(path: string): Promise<SourceFile> {
  return Deno.open(path, { read: true });
}

/** The error an open that failed is reported as; OS messages are left out (they hold paths). */
function openError(error: unknown, label: string): Error {
  if (error instanceof FileAccessError) return error;
  if (error instanceof Deno.errors.NotFound) {
    return new FileAccessError("NO_SUCH_FILE", `No file ${label}`);
  }
  const why = error instanceof Error ? error.name : "unknown error";
  return new FileAccessError("TRANSFER_REFUSED", `Cannot open ${label}: ${why}`);
}
