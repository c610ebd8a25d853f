import assert from "node:assert/strict";
import { waitAtMost, type Waiters, waitFor, wakeAll } from "../../lib/net/waiting.ts";

Deno.test("waitFor resolves when woken, and leaves nobody waiting", async () => {
  const waiters: Waiters = [];
  const woken = waitFor(waiters, 10_000);
  assert.equal(waiters.length, 1);
  wakeAll(waiters);
  await woken;
  assert.equal(waiters.length, 0);
});

Deno.test("waitFor resolves after its bound when nobody wakes it", async () => {
  const waiters: Waiters = [];
  const start = performance.now();
  await waitFor(waiters, 20);
  assert.ok(performance.now() - start >= 19);
  assert.equal(waiters.length, 0);
});

Deno.test("waitAtMost gives the value, or null once the bound passes", async () => {
  assert.equal(await waitAtMost(Promise.resolve(5), 1000), 5);
  assert.equal(await waitAtMost(new Promise(() => {}), 10), null);
});
