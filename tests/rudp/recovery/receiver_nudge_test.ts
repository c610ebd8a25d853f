import assert from "node:assert/strict";
import {
  MAX_NUDGE_INTERVAL_MS,
  MIN_NUDGE_INTERVAL_MS,
  ReceiverNudge,
} from "../../../lib/rudp/recovery/receiver_nudge.ts";

Deno.test("receiver nudge comes two probe timeouts after the sender was last heard", () => {
  const nudge = new ReceiverNudge();
  nudge.onHeard(1_000);
  assert.equal(nudge.deadline(40), 1_080);
});

Deno.test("receiver nudge doubles its interval per unanswered nudge, up to the longest", () => {
  const nudge = new ReceiverNudge();
  nudge.onHeard(0);
  const gaps: number[] = [];
  let at = 0;
  for (let i = 0; i < 8; i++) {
    const next = nudge.deadline(40);
    gaps.push(next - at);
    nudge.onNudged(next);
    at = next;
  }
  assert.deepEqual(gaps, [80, 160, 320, 640, 1_000, 1_000, 1_000, 1_000]);
  assert.equal(MAX_NUDGE_INTERVAL_MS, 1_000);
  assert.equal(nudge.sent, 8);
});

Deno.test("receiver nudge is due strictly later after each nudge, even with a zero timeout", () => {
  const nudge = new ReceiverNudge();
  nudge.onHeard(5);
  assert.equal(nudge.deadline(0), 5 + MIN_NUDGE_INTERVAL_MS);
  nudge.onNudged(nudge.deadline(0));
  assert.ok(nudge.deadline(0) > 5 + MIN_NUDGE_INTERVAL_MS);
});

Deno.test("receiver nudge starts over when the sender is heard again", () => {
  const nudge = new ReceiverNudge();
  nudge.onHeard(0);
  nudge.onNudged(80);
  nudge.onNudged(240);
  nudge.onHeard(300);
  assert.equal(nudge.deadline(40), 380);
});
