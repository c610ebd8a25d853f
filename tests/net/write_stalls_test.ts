import assert from "node:assert/strict";
import { STALLED_WRITE_MS, WriteStalls } from "../../lib/net/write_stalls.ts";

Deno.test("WriteStalls counts a write as stalled at exactly STALLED_WRITE_MS, which is 100 ms", () => {
  assert.equal(STALLED_WRITE_MS, 100);
  const stalls = new WriteStalls();
  stalls.started(1000);
  assert.equal(stalls.update(1099), 0);
  assert.equal(stalls.nextStallAt(), 1100);
  assert.equal(stalls.update(1100), 1);
  assert.equal(stalls.nextStallAt(), null);
});

Deno.test("WriteStalls stops counting a stalled write once it ends", () => {
  const stalls = new WriteStalls(100);
  const stuck = stalls.started(0);
  const quick = stalls.started(10);
  stalls.ended(quick);
  assert.equal(stalls.update(500), 1);
  stalls.ended(stuck);
  assert.equal(stalls.stalled, 0);
  assert.equal(stalls.update(1000), 0);
});

Deno.test("WriteStalls never counts writes that end in time, however many", () => {
  const stalls = new WriteStalls(100);
  for (let t = 0; t < 100_000; t++) stalls.ended(stalls.started(t));
  assert.equal(stalls.update(1_000_000), 0);
  assert.equal(stalls.nextStallAt(), null);
});

Deno.test("WriteStalls finds the next stall behind writes that already ended", () => {
  const stalls = new WriteStalls(100);
  stalls.ended(stalls.started(0));
  stalls.started(40);
  assert.equal(stalls.nextStallAt(), 140);
  assert.equal(stalls.update(139), 0);
  assert.equal(stalls.update(140), 1);
});
