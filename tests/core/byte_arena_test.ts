import assert from "node:assert/strict";
import { ByteArena } from "../../lib/core/byte_arena.ts";

Deno.test("ByteArena carves consecutive views out of one slab", () => {
  const arena = new ByteArena(1024);
  const a = arena.take(100);
  const b = arena.take(200);
  assert(a.buffer === b.buffer);
  assert.deepEqual(b.byteOffset, a.byteOffset + 100);
  assert.deepEqual([a.length, b.length], [100, 200]);
});

Deno.test("ByteArena starts a new slab when one is full and never touches handed-out views", () => {
  const arena = new ByteArena(256);
  const a = arena.copy(new Uint8Array(200).fill(7));
  const b = arena.take(100);
  assert.notStrictEqual(a.buffer, b.buffer);
  b.fill(9);
  assert(a.every((x) => x === 7));
  assert.deepEqual(arena.take(1000).length, 1000); // larger than a slab: a slab of its own
});

Deno.test("ByteArena hands out zeros even where an uncommitted reserve wrote", () => {
  const arena = new ByteArena(256);
  arena.reserve(64).fill(0xff); // written, then abandoned
  const taken = arena.take(64);
  assert(taken.every((x) => x === 0));
  const room = arena.reserve(10);
  room.set([1, 2, 3]);
  assert.deepEqual([...arena.commit(3)], [1, 2, 3]);
});

Deno.test("ByteArena refuses to commit more than was reserved, and bad slab sizes", () => {
  const arena = new ByteArena(16);
  arena.reserve(8);
  assert.throws(() => arena.commit(17), RangeError);
  assert.throws(() => new ByteArena(0), RangeError);
});
