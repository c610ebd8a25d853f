/**
 * SHA-256 of files, whole or a prefix, read in large blocks; and a cache for shared files.
 * @module
 */

import { createHash, type Hash } from "node:crypto";

const BLOCK_BYTES = 1024 * 1024;

/**
 * Feeds the first `length` bytes of a file into `hash` (the whole file when omitted) and
 * returns how many bytes it read: fewer than asked if the file is shorter.
 */
export async function hashFileInto(hash: Hash, path: string, length = Infinity): Promise<number> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(BLOCK_BYTES);
  let total = 0;
  while (total < length) {
    const want = Math.min(buffer.length, length - total);
    const n = await file.read(buffer.subarray(0, want));
    if (n === null) break;
    hash.update(buffer.subarray(0, n));
    total += n;
  }
  return total;
}

/** Hex SHA-256 of a whole file. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  await hashFileInto(hash, path);
  return hash.digest("hex");
}

/**
 * Remembers the SHA-256 of shared files by path, size and modification time, so a file
 * requested by many clients is hashed once; concurrent requests share one computation.
 */
export class HashCache {
  readonly #entries = new Map<string, { key: string; hash: Promise<string> }>();

  /** SHA-256 of the file at `path`, whose current size and mtime are given. */
  get(path: string, info: { size: number; mtime: Date | null }): Promise<string> {
    const key = `${info.size}:${info.mtime?.getTime() ?? "?"}`;
    const cached = this.#entries.get(path);
    if (cached !== undefined && cached.key === key) return cached.hash;
    const hash = sha256File(path);
    this.#entries.set(path, { key, hash });
    hash.catch(() => this.#entries.delete(path));
    return hash;
  }
}
