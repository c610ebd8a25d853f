/**
 * SHA-256 of files, whole or a prefix, read in large blocks from an open handle; and a bounded
 * cache of results keyed by file version, so one version's prefix is hashed at most once at a time.
 * @module
 */

import { createHash, type Hash } from "node:crypto";

const BLOCK_BYTES = 1024 * 1024;

/**
 * Results a {@linkcode HashCache} remembers (about 200 bytes each); past this the least recently
 * used is forgotten.
 */
export const MAX_CACHED_HASHES = 1024;

/** What hashing reads through: the part of `Deno.FsFile` it uses. */
export type HashableFile = Pick<Deno.FsFile, "read">;

/** Settings of {@linkcode hashInto}. */
export interface HashIntoOptions {
  /** Stops the reading between blocks (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Told the size of every block read, to count the hashing work. */
  onRead?: (bytes: number) => void;
}

/**
 * Feeds the next `length` bytes of an open file into `hash` (up to its end when `length` is
 * omitted) and returns how many bytes it read: fewer than asked if the file is shorter.
 */
export async function hashInto(
  hash: Hash,
  file: HashableFile,
  length = Infinity,
  options: HashIntoOptions = {},
): Promise<number> {
  const buffer = new Uint8Array(Math.min(BLOCK_BYTES, Math.max(1, length)));
  let total = 0;
  while (total < length) {
    options.signal?.throwIfAborted();
    const want = Math.min(buffer.length, length - total);
    const n = await file.read(buffer.subarray(0, want));
    if (n === null) break;
    options.onRead?.(n);
    hash.update(buffer.subarray(0, n));
    total += n;
  }
  return total;
}

/** Hex SHA-256 of the whole file at `path`. */
export async function sha256File(path: string): Promise<string> {
  using file = await Deno.open(path, { read: true });
  const hash = createHash("sha256");
  await hashInto(hash, file);
  return hash.digest("hex");
}

/**
 * The cache key of the first `length` bytes of one version of a file: its name and what `fstat`
 * says of the opened handle (device, inode, size, modification and change times). A file
 * rewritten in place changes its times; one replaced by another changes its inode.
 */
export function versionKey(name: string, info: Deno.FileInfo, length: number): string {
  const times = `${info.mtime?.getTime() ?? "?"}:${info.ctime?.getTime() ?? "?"}`;
  return `${info.dev}:${info.ino ?? "?"}:${info.size}:${times}:${length}:${name}`;
}

/**
 * Remembers hashes by {@linkcode versionKey}. Requests for a key being computed share that one
 * computation; finished results are kept up to a bound, the least recently used going first.
 * A failed computation is forgotten, so the next request tries again.
 *
 * @example
 * ```ts
 * import { HashCache } from "./file_hash.ts";
 * const cache = new HashCache();
 * let runs = 0;
 * const compute = () => Promise.resolve(String(++runs));
 * await Promise.all([cache.get("k", compute), cache.get("k", compute)]);
 * runs; // 1
 * ```
 */
export class HashCache {
  readonly #done = new Map<string, string>();
  readonly #running = new Map<string, Promise<string>>();
  readonly #maxEntries: number;

  /** @param options.maxEntries results kept (default {@linkcode MAX_CACHED_HASHES}) */
  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? MAX_CACHED_HASHES;
    if (!Number.isSafeInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new RangeError(`Cannot create hash cache: bad size ${this.#maxEntries}`);
    }
  }

  /** Results remembered (not counting computations under way). */
  get size(): number {
    return this.#done.size;
  }

  /** The hash under `key` if it is known or being computed, else `null`; costs no work. */
  lookup(key: string): Promise<string> | null {
    const done = this.#done.get(key);
    if (done !== undefined) {
      this.#done.delete(key); // re-inserted as the most recently used
      this.#done.set(key, done);
      return Promise.resolve(done);
    }
    return this.#running.get(key) ?? null;
  }

  /** The hash under `key`: remembered, shared with a computation under way, or computed now. */
  get(key: string, compute: () => Promise<string>): Promise<string> {
    const known = this.lookup(key);
    if (known !== null) return known;
    const running = compute().then((hash) => {
      this.#remember(key, hash);
      return hash;
    }).finally(() => this.#running.delete(key));
    this.#running.set(key, running);
    return running;
  }

  #remember(key: string, hash: string): void {
    this.#done.set(key, hash);
    if (this.#done.size > this.#maxEntries) {
      const oldest = this.#done.keys().next();
      if (!oldest.done) this.#done.delete(oldest.value);
    }
  }
}
