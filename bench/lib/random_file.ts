/**
 * Files of seeded pseudo-random bytes, for benchmarks and transfer tests: the same seed gives the
 * same file, and nothing in it compresses.
 * @module
 */

import { createHash } from "node:crypto";
import { Prng } from "../../lib/netsim/prng.ts";

/** Writes `size` seeded pseudo-random bytes to `path`; returns their SHA-256 in hex. */
export async function writeRandomFile(path: string, size: number, seed = 1): Promise<string> {
  const prng = new Prng(seed);
  const hash = createHash("sha256");
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const block = new Uint8Array(1 << 20);
  for (let done = 0; done < size;) {
    const piece = block.subarray(0, Math.min(block.length, size - done));
    prng.fill(piece);
    hash.update(piece);
    for (let written = 0; written < piece.length;) {
      written += await file.write(piece.subarray(written));
    }
    done += piece.length;
  }
  return hash.digest("hex");
}
