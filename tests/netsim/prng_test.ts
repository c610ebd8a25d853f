import assert from "node:assert/strict";
import { Prng } from "../../lib/netsim/prng.ts";

Deno.test("Prng replays the same sequence from the same seed and differs across seeds", () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const c = new Prng(43);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.next()));
});

Deno.test("Prng.next stays in [0, 1) with a roughly uniform mean, and fill writes every byte", () => {
  const p = new Prng(1);
  let sum = 0;
  for (let i = 0; i < 10_000; i++) {
    const x = p.next();
    assert.ok(x >= 0 && x < 1);
    sum += x;
  }
  assert.ok(Math.abs(sum / 10_000 - 0.5) < 0.02);
  const bytes = new Uint8Array(1001);
  p.fill(bytes);
  assert.ok(bytes.filter((b) => b === 0).length < 20);
});
