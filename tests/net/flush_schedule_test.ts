import assert from "node:assert/strict";
import {
  FLUSH_CHUNK_WRITERS,
  FLUSH_SPACING_MS_PER_WRITER,
  FlushSchedule,
  flushSpacingMs,
  MAX_FLUSH_SPACING_MS,
  MAX_FLUSH_WAIT_MS,
  MIN_FLUSH_SPACING_MS,
  SPACED_FLUSH_WRITERS,
} from "../../lib/net/flush_schedule.ts";

const tick = () => new Promise((ok) => setTimeout(ok, 0));

Deno.test("FlushSchedule starts one write per connection, once the current input is handled", async () => {
  const started: number[] = [];
  const flushes = new FlushSchedule((id) => started.push(id), () => 0);
  flushes.add(1);
  flushes.add(2);
  flushes.add(1);
  assert.deepEqual(started, [], "nothing during the call that queued output");
  await tick();
  assert.deepEqual(started, [1, 2]);
});

Deno.test("FlushSchedule cuts a big flush into chunks with the event loop running between", async () => {
  const started: number[] = [];
  const flushes = new FlushSchedule((id) => started.push(id), () => 0);
  const total = FLUSH_CHUNK_WRITERS * 2 + 5;
  for (let id = 1; id <= total; id++) flushes.add(id);
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(started.length, FLUSH_CHUNK_WRITERS, "the first chunk only, before any macrotask");
  await new Promise((ok) => setTimeout(ok, 20));
  assert.equal(started.length, total);
  assert.deepEqual(started.slice(0, 3), [1, 2, 3]);
});

Deno.test("FlushSchedule spaces the flush after a big one", async () => {
  const startedAt: number[] = [];
  const flushes = new FlushSchedule(() => startedAt.push(performance.now()), () => 0);
  for (let id = 1; id <= 1000; id++) flushes.add(id);
  await new Promise((ok) => setTimeout(ok, 30));
  const bigEnded = performance.now();
  flushes.add(1);
  await new Promise((ok) => setTimeout(ok, 30));
  assert.equal(startedAt.length, 1001);
  // The big flush ended before `bigEnded`; 1000 writers mean this much spacing at least.
  const spacing = 1000 * FLUSH_SPACING_MS_PER_WRITER;
  assert.ok(startedAt[1000]! - startedAt[999]! >= spacing - 1, "spaced after a big flush");
  assert.ok(startedAt[1000]! >= bigEnded);
});

Deno.test("FlushSchedule spaces the flush after one to a room of 100 by MIN_FLUSH_SPACING_MS", async () => {
  const startedAt: number[] = [];
  const flushes = new FlushSchedule(() => startedAt.push(performance.now()), () => 0);
  for (let id = 1; id <= 100; id++) flushes.add(id);
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(startedAt.length, 100, "one chunk, written at once");
  flushes.add(1);
  await new Promise((ok) => setTimeout(ok, 20));
  assert.equal(startedAt.length, 101);
  assert.ok(startedAt[100]! - startedAt[99]! >= MIN_FLUSH_SPACING_MS / 2, "spaced after 100");
});

Deno.test("flushSpacingMs: none for a small flush, the per-writer spacing within its bounds", () => {
  assert.equal(flushSpacingMs(SPACED_FLUSH_WRITERS - 1), 0, "a small room is not held back");
  assert.equal(flushSpacingMs(SPACED_FLUSH_WRITERS), MIN_FLUSH_SPACING_MS);
  assert.equal(flushSpacingMs(99), MIN_FLUSH_SPACING_MS);
  assert.equal(flushSpacingMs(1000), 1000 * FLUSH_SPACING_MS_PER_WRITER);
  assert.equal(flushSpacingMs(100_000), MAX_FLUSH_SPACING_MS);
});

Deno.test("FlushSchedule does not space a flush to a small room", async () => {
  const startedAt: number[] = [];
  const flushes = new FlushSchedule(() => startedAt.push(performance.now()), () => 0);
  // Ten members: a small room's senders wait for their lines, and no write waits for company.
  for (let id = 1; id <= 10; id++) flushes.add(id);
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(startedAt.length, 10);
  flushes.add(1);
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(startedAt.length, 11, "the next flush at once");
});

Deno.test("FlushSchedule waits for busy writers, but no longer than MAX_FLUSH_WAIT_MS", async () => {
  const started: number[] = [];
  let busy = 3;
  const flushes = new FlushSchedule((id) => started.push(id), () => busy);
  flushes.add(7);
  await tick();
  assert.deepEqual(started, [], "writers of the previous flush are still busy");
  busy = 0;
  flushes.writersIdle();
  await tick();
  assert.deepEqual(started, [7]);
  busy = 5;
  const before = performance.now();
  flushes.add(8);
  await new Promise((ok) => setTimeout(ok, MAX_FLUSH_WAIT_MS + 15));
  assert.deepEqual(started, [7, 8], "flushed anyway after the longest wait");
  assert.ok(performance.now() - before >= MAX_FLUSH_WAIT_MS);
});

Deno.test("FlushSchedule writes an urgent reply before a big flush in progress ends, and unspaced", async () => {
  const started: number[] = [];
  const flushes = new FlushSchedule((id) => started.push(id), () => 0);
  const total = FLUSH_CHUNK_WRITERS * 5;
  for (let id = 1; id <= total; id++) flushes.add(id);
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(started.length, FLUSH_CHUNK_WRITERS, "the big flush has begun");
  // A login handled meanwhile: its welcome does not wait for the room's join notices.
  flushes.add(9999, true);
  await Promise.resolve();
  assert.equal(started.length, FLUSH_CHUNK_WRITERS + 1);
  assert.equal(started.at(-1), 9999);
  await new Promise((ok) => setTimeout(ok, 30));
  assert.equal(started.length, total + 1);
});

Deno.test("FlushSchedule does not space an urgent reply after a big flush", async () => {
  const started: number[] = [];
  const flushes = new FlushSchedule((id) => started.push(id), () => 0);
  for (let id = 1; id <= 2000; id++) flushes.add(id);
  // 2000 writers: the next flush waits MAX_FLUSH_SPACING_MS after this one ends.
  for (let turn = 0; turn < 40 && started.length < 2000; turn++) await tick();
  assert.equal(started.length, 2000);
  flushes.add(1);
  flushes.add(9999, true);
  await Promise.resolve();
  assert.deepEqual(started.slice(2000), [9999], "the reply at once, the flush later");
  await new Promise((ok) => setTimeout(ok, 30));
  assert.deepEqual(started.slice(2000), [9999, 1]);
});
