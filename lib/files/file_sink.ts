/**
 * Where received file bytes go: a `.part` file written in order, hashed as it grows.
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { hashFileInto } from "./file_hash.ts";

const BUFFER_BYTES = 1024 * 1024;

/**
 * An in-order writer into a partial file that keeps a running SHA-256 of everything in it,
 * including what was there before a resume.
 */
export class FileSink {
  readonly path: string;
  readonly #file: Deno.FsFile;
  readonly #hash: Hash;
  // Datagram-size writes are gathered into large ones.
  readonly #buffer = new Uint8Array(BUFFER_BYTES);
  #buffered = 0;
  #size: number;

  private constructor(path: string, file: Deno.FsFile, hash: Hash, size: number) {
    this.path = path;
    this.#file = file;
    this.#hash = hash;
    this.#size = size;
  }

  /**
   * Opens `path` to continue writing at its current end (a resume), or creates it. Hashes what
   * is there already; `limit` caps how much of an existing file is kept (the rest is cut off).
   */
  static async open(path: string, limit = Infinity): Promise<FileSink> {
    const hash = createHash("sha256");
    let size = 0;
    try {
      size = await hashFileInto(hash, path, limit);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const file = await Deno.open(path, { write: true, create: true });
    await file.truncate(size);
    await file.seek(size, Deno.SeekMode.Start);
    return new FileSink(path, file, hash, size);
  }

  /** Bytes in the file so far. */
  get size(): number {
    return this.#size;
  }

  /** Hex SHA-256 of what the file holds so far (the sink goes on). */
  digestSoFar(): string {
    return this.#hash.copy().digest("hex");
  }

  /** Appends bytes that must start exactly at the current end. */
  write(offset: number, bytes: Uint8Array): void {
    if (offset !== this.#size) {
      throw new RangeError(`Cannot write at ${offset}: the file ends at ${this.#size}`);
    }
    if (this.#buffered + bytes.length > this.#buffer.length) this.#flush();
    if (bytes.length > this.#buffer.length) {
      this.#writeFully(bytes);
    } else {
      this.#buffer.set(bytes, this.#buffered);
      this.#buffered += bytes.length;
    }
    this.#hash.update(bytes);
    this.#size += bytes.length;
  }

  /** Writes out what is buffered, closes the file and returns the hex SHA-256 of its content. */
  finish(): string {
    this.#flush();
    this.#file.close();
    return this.#hash.digest("hex");
  }

  /** Writes out what is buffered and closes the file, keeping it for a later resume. */
  close(): void {
    try {
      this.#flush();
      this.#file.close();
    } catch {
      // Closed already.
    }
  }

  #flush(): void {
    if (this.#buffered === 0) return;
    this.#writeFully(this.#buffer.subarray(0, this.#buffered));
    this.#buffered = 0;
  }

  #writeFully(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += this.#file.writeSync(bytes.subarray(done));
  }
}
