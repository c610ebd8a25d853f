/**
 * Where received file bytes go: a `.part` file written in order, hashed as it grows.
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { hashInto } from "./file_hash.ts";
import { once } from "./_once.ts";

const BUFFER_BYTES = 1024 * 1024;

/** What a sink writes through: the part of `Deno.FsFile` it uses (tests inject a failing one). */
export type SinkFile = Pick<Deno.FsFile, "read" | "truncate" | "seek" | "writeSync" | "close">;

/** Settings of {@linkcode FileSink.open}. */
export interface FileSinkOptions {
  /** How much of an existing file is kept (default all); the rest is cut off. */
  limit?: number;
  /**
   * Refuse to open anything that exists at `path` (default false): the file is created by this
   * open, so nothing planted there (a FIFO, a symlink) is opened instead.
   */
  createNew?: boolean;
  /** Called exactly once when the sink holds no handle: after a failed open or a close. */
  onReleased?: () => void;
  /** Opens the file (default `Deno.open`); tests inject one whose writes fail. */
  open?: (path: string, options: Deno.OpenOptions) => Promise<SinkFile>;
}

/**
 * An in-order writer into a partial file that keeps a running SHA-256 of everything in it,
 * including what was there before a resume. Whatever fails (a full disk, say), `close()` and
 * `finish()` close the file.
 */
export class FileSink {
  readonly path: string;
  readonly #file: SinkFile;
  readonly #hash: Hash;
  readonly #released: () => void;
  // Datagram-size writes are gathered into large ones.
  readonly #buffer = new Uint8Array(BUFFER_BYTES);
  #buffered = 0;
  // How much of the buffer a flush cut short by an error wrote: a retry goes on from there.
  #flushed = 0;
  // How much of the buffer is in the hash: it takes buffered bytes a megabyte at a time, not a
  // datagram at a time (each update is a call into native code).
  #hashed = 0;
  #size: number;
  #closed = false;
  // The first write error: the file no longer ends where the sink thinks, so no more writes.
  #failure: Error | null = null;

  private constructor(
    path: string,
    file: SinkFile,
    hash: Hash,
    size: number,
    released: () => void,
  ) {
    this.path = path;
    this.#file = file;
    this.#hash = hash;
    this.#size = size;
    this.#released = released;
  }

  /**
   * Opens `path` to continue writing at its current end (a resume), or creates it. Hashes what
   * is there already, read through the handle it then writes to.
   */
  static async open(path: string, options: FileSinkOptions = {}): Promise<FileSink> {
    const released = once(options.onReleased);
    const open = options.open ?? ((path, how) => Deno.open(path, how));
    let file: SinkFile;
    try {
      file = await open(path, {
        read: true,
        write: true,
        ...(options.createNew ? { createNew: true } : { create: true }),
      });
    } catch (error) {
      released();
      throw error;
    }
    try {
      const hash = createHash("sha256");
      const size = await hashInto(hash, file, options.limit ?? Infinity);
      await file.truncate(size);
      await file.seek(size, Deno.SeekMode.Start);
      return new FileSink(path, file, hash, size, released);
    } catch (error) {
      closeQuietly(file);
      released();
      throw error;
    }
  }

  /** Bytes accepted so far (some may still be buffered). */
  get size(): number {
    return this.#size;
  }

  /** Hex SHA-256 of what the file holds so far (the sink goes on). */
  digestSoFar(): string {
    this.#hashBuffered();
    return this.#hash.copy().digest("hex");
  }

  /** Appends bytes that must start exactly at the current end; throws if writing fails. */
  write(offset: number, bytes: Uint8Array): void {
    if (this.#closed) throw new TypeError("Cannot write: the sink is closed");
    if (this.#failure !== null) throw this.#failure;
    if (offset !== this.#size) {
      throw new RangeError(`Cannot write at ${offset}: the file ends at ${this.#size}`);
    }
    try {
      if (this.#buffered + bytes.length > this.#buffer.length) this.#flush();
      if (bytes.length > this.#buffer.length) {
        this.#hash.update(bytes);
        this.#writeFully(bytes);
      }
    } catch (error) {
      this.#failure = error instanceof Error ? error : new Error(String(error));
      throw this.#failure;
    }
    if (bytes.length <= this.#buffer.length) {
      this.#buffer.set(bytes, this.#buffered);
      this.#buffered += bytes.length;
    }
    this.#size += bytes.length;
  }

  /**
   * Writes out what is buffered, closes the file and returns the hex SHA-256 of its content.
   * If the last write fails the file is closed all the same and the error is thrown.
   */
  finish(): string {
    if (this.#closed) throw new TypeError("Cannot finish: the sink is closed");
    try {
      if (this.#failure !== null) throw this.#failure;
      this.#flush();
    } finally {
      this.#closeFile();
    }
    return this.#hash.digest("hex");
  }

  /**
   * Writes out what is buffered and closes the file, keeping it for a later resume. Never throws:
   * returns why the last write failed (what it held is then lost), or `null`.
   */
  close(): Error | null {
    if (this.#closed) return null;
    let failure: Error | null = null;
    try {
      this.#flush();
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      this.#closeFile();
    }
    return failure;
  }

  #closeFile(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeQuietly(this.#file);
    this.#released();
  }

  #hashBuffered(): void {
    if (this.#hashed === this.#buffered) return;
    this.#hash.update(this.#buffer.subarray(this.#hashed, this.#buffered));
    this.#hashed = this.#buffered;
  }

  #flush(): void {
    this.#hashBuffered();
    while (this.#flushed < this.#buffered) {
      this.#flushed += this.#file.writeSync(this.#buffer.subarray(this.#flushed, this.#buffered));
    }
    this.#buffered = 0;
    this.#flushed = 0;
    this.#hashed = 0;
  }

  #writeFully(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += this.#file.writeSync(bytes.subarray(done));
  }
}

function closeQuietly(file: SinkFile): void {
  try {
    file.close();
  } catch {
    // Closed already; nothing is held.
  }
}
