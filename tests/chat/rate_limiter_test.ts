import assert from "node:assert/strict";
import { RateLimiter } from "../../lib/chat/rate_limiter.ts";

Deno.test("RateLimiter allows a burst at once, then asks to wait for the next token", () => {
  const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, 1000);
  assert.deepEqual([limiter.take(1000), limiter.take(1000), limiter.take(1000)], [0, 0, 0]);
  assert.equal(limiter.take(1000), 500);
  assert.equal(limiter.take(1000), 500, "a refused take spends nothing");
});

Deno.test("RateLimiter accepts a request after exactly the wait it announced", () => {
  const limiter = new RateLimiter({ perSecond: 4, burst: 1 }, 0);
  assert.equal(limiter.take(0), 0);
  const wait = limiter.take(0);
  assert.equal(wait, 250);
  assert.ok(limiter.take(wait - 1) > 0);
  assert.equal(limiter.take(wait), 0);
});

Deno.test("RateLimiter counts partial refills toward the wait", () => {
  const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, 0);
  limiter.take(0);
  assert.equal(limiter.take(300), 700);
  assert.equal(limiter.take(999), 1);
  assert.equal(limiter.take(1000), 0);
});

Deno.test("RateLimiter never holds more than its burst, however long it waited", () => {
  const limiter = new RateLimiter({ perSecond: 10, burst: 2 }, 0);
  const now = 3_600_000;
  assert.deepEqual([limiter.take(now), limiter.take(now)], [0, 0]);
  assert.ok(limiter.take(now) > 0);
});

Deno.test("RateLimiter sustains its rate: 100 takes spaced at the rate all pass", () => {
  const limiter = new RateLimiter({ perSecond: 20, burst: 1 }, 0);
  for (let i = 0; i < 100; i++) assert.equal(limiter.take(i * 50), 0, `take ${i}`);
  assert.ok(limiter.take(99 * 50 + 49) > 0);
});

Deno.test({
  name: "RateLimiter's announced wait is always enough, for every rate from 1 to 500/s",
  fn() {
    for (let perSecond = 1; perSecond <= 500; perSecond++) {
      const limiter = new RateLimiter({ perSecond, burst: 2 }, 0);
      let now = 0;
      for (let round = 0; round < 20; round++) {
        let wait = limiter.take(now);
        while (wait === 0) wait = limiter.take(now);
        now += wait;
        assert.equal(limiter.take(now), 0, `rate ${perSecond}/s: refused at ${now} ms`);
        now += round % 3; // leave fractions of tokens behind
      }
    }
  },
});

Deno.test("RateLimiter neither refills nor throws when the clock goes backwards", () => {
  const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, 10_000);
  assert.equal(limiter.take(10_000), 0);
  assert.equal(limiter.take(5_000), 1000);
  assert.ok(limiter.take(10_999) > 0);
  assert.equal(limiter.take(11_000), 0);
});

Deno.test("RateLimiter refuses a rate that is not positive or a burst under one", () => {
  const bad = [
    { perSecond: 0, burst: 1 },
    { perSecond: -1, burst: 1 },
    { perSecond: Number.NaN, burst: 1 },
    { perSecond: 1, burst: 0 },
    { perSecond: 1, burst: 0.5 },
  ];
  for (const rate of bad) {
    assert.throws(() => new RateLimiter(rate, 0), RangeError, JSON.stringify(rate));
  }
});
