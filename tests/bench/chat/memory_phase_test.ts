import assert from "node:assert/strict";
import { settledRssKib } from "../../../bench/chat/memory_phase.ts";
import { readRssKib } from "../../../bench/lib/proc_stats.ts";

Deno.test("settledRssKib reads this process's resident memory after the wait", async () => {
  const start = performance.now();
  const settled = await settledRssKib(Deno.pid, 1_200);
  assert.ok(performance.now() - start >= 1_100);
  const now = await readRssKib(Deno.pid);
  assert.ok(settled !== null && now !== null);
  // Same process, a second apart: within a factor of two of the current figure.
  assert.ok(settled > now / 2 && settled < now * 2, `${settled} vs ${now}`);
});

Deno.test("settledRssKib gives null for a process that does not exist", async () => {
  assert.equal(await settledRssKib(2 ** 22 + 12345, 0), null);
});
