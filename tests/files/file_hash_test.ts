import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  HashCache,
  hashInto,
  MAX_CACHED_HASHES,
  sha256File,
  versionKey,
} from "../../lib/files/file_hash.ts";

function info(fields: Partial<Deno.FileInfo> = {}): Deno.FileInfo {
  return {
    isFile: true,
    size: 100,
    ino: 7,
    dev: 1,
    mtime: new Date(1000),
    ctime: new Date(2000),
    ...fields,
  } as Deno.FileInfo;
}

Deno.test("HashCache shares one computation among concurrent requests for a key", async () => {
  const cache = new HashCache();
  let runs = 0;
  const { promise, resolve } = Promise.withResolvers<string>();
  const compute = () => (runs++, promise);
  const requests = Array.from({ length: 40 }, () => cache.get("k", compute));
  assert.notEqual(cache.lookup("k"), null, "a computation under way is found");
  resolve("h");
  assert.deepEqual(new Set(await Promise.all(requests)), new Set(["h"]));
  assert.equal(runs, 1);
  assert.equal(await cache.get("k", compute), "h");
  assert.equal(runs, 1, "and the result is remembered");
});

Deno.test("HashCache forgets a failed computation so the next request tries again", async () => {
  const cache = new HashCache();
  await assert.rejects(cache.get("k", () => Promise.reject(new Error("disk"))), /disk/);
  assert.equal(cache.lookup("k"), null);
  assert.equal(await cache.get("k", () => Promise.resolve("h")), "h");
});

Deno.test("HashCache keeps at most its bound, forgetting the least recently used first", async () => {
  assert.equal(MAX_CACHED_HASHES, 1024);
  const cache = new HashCache({ maxEntries: 2 });
  await cache.get("a", () => Promise.resolve("1"));
  await cache.get("b", () => Promise.resolve("2"));
  await cache.lookup("a"); // a is now the most recently used
  await cache.get("c", () => Promise.resolve("3"));
  assert.equal(cache.size, 2);
  assert.equal(cache.lookup("b"), null, "b went first");
  assert.equal(await cache.lookup("a"), "1");
  assert.equal(await cache.lookup("c"), "3");
  assert.throws(() => new HashCache({ maxEntries: 0 }), RangeError);
});

Deno.test("versionKey tells apart every change of the file, the prefix and the name", () => {
  const base = versionKey("a.bin", info(), 50);
  assert.equal(versionKey("a.bin", info(), 50), base);
  const changed = [
    versionKey("b.bin", info(), 50),
    versionKey("a.bin", info(), 51),
    versionKey("a.bin", info({ size: 101 }), 50),
    versionKey("a.bin", info({ ino: 8 }), 50),
    versionKey("a.bin", info({ dev: 2 }), 50),
    versionKey("a.bin", info({ mtime: new Date(1001) }), 50),
    versionKey("a.bin", info({ ctime: new Date(2001) }), 50),
  ];
  assert.equal(new Set([base, ...changed]).size, changed.length + 1);
});

Deno.test("hashInto reads no more than asked and counts what it read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "a.bin");
    const data = new Uint8Array(3 * 1024 * 1024 + 17).fill(9);
    await Deno.writeFile(path, data);
    using file = await Deno.open(path);
    let counted = 0;
    const hash = createHash("sha256");
    const read = await hashInto(hash, file, 2 * 1024 * 1024 + 1, { onRead: (n) => counted += n });
    assert.equal(read, 2 * 1024 * 1024 + 1);
    assert.equal(counted, read);
    const expected = createHash("sha256").update(data.subarray(0, read)).digest("hex");
    assert.equal(hash.digest("hex"), expected);
    assert.equal(await sha256File(path), createHash("sha256").update(data).digest("hex"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
