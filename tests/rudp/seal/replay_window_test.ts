import assert from "node:assert/strict";
import { REPLAY_WINDOW_PACKETS, ReplayWindow } from "../../../lib/rudp/seal/replay_window.ts";

Deno.test("ReplayWindow refuses a packet number it accepted before", () => {
  const window = new ReplayWindow();
  for (const n of [0, 1, 2, 5]) {
    assert.ok(window.isFresh(n));
    window.accept(n);
  }
  for (const n of [0, 1, 2, 5]) assert.equal(window.isFresh(n), false, `${n} again`);
});

Deno.test("ReplayWindow accepts numbers that arrive late within the window, once", () => {
  const window = new ReplayWindow();
  window.accept(10_000);
  for (const n of [9_999, 10_000 - REPLAY_WINDOW_PACKETS + 1, 9_000]) {
    assert.ok(window.isFresh(n), `${n} reordered`);
    window.accept(n);
    assert.equal(window.isFresh(n), false);
  }
  assert.ok(window.isFresh(9_001), "a neighbour of an accepted number is still fresh");
});

Deno.test("ReplayWindow refuses numbers too far below the largest accepted", () => {
  const window = new ReplayWindow();
  window.accept(3);
  window.accept(3 + REPLAY_WINDOW_PACKETS);
  assert.equal(window.isFresh(2), false, "never seen, but below the window");
  assert.equal(window.isFresh(3), false);
  assert.ok(window.isFresh(4), "the lowest number the window still covers");
});

Deno.test("ReplayWindow forgets what slid out: a number skipped over, then reached, is fresh", () => {
  const window = new ReplayWindow();
  window.accept(1);
  // Bit of 1 + W is the bit of 1: moving past must clear it, not report 1 + W as seen.
  window.accept(REPLAY_WINDOW_PACKETS);
  assert.ok(window.isFresh(1 + REPLAY_WINDOW_PACKETS));
  window.accept(5 * REPLAY_WINDOW_PACKETS + 7); // a jump past the whole window
  assert.ok(window.isFresh(5 * REPLAY_WINDOW_PACKETS + 6));
  assert.equal(window.isFresh(5 * REPLAY_WINDOW_PACKETS + 7), false);
});
