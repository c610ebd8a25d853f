import assert from "node:assert/strict";
import * as limits from "../../lib/chat/limits.ts";

Deno.test("limits match the values the protocol document promises", () => {
  assert.equal(limits.PROTOCOL_VERSION, 5);
  assert.equal(limits.OLDEST_PROTOCOL_VERSION, 1);
  assert.equal(limits.MAX_ROOMS_PER_USER, 20);
  assert.equal(limits.DEFAULT_MAX_ROOMS, 4_096);
  assert.equal(limits.MAX_RESTING_ROOMS, 1_024);
  assert.equal(limits.MAX_TOPIC_CHARS, 300);
  assert.equal(limits.JOIN_RATE_PER_SECOND, 1);
  assert.equal(limits.JOIN_RATE_BURST, 20);
  assert.equal(limits.MAX_LINE_BYTES, 65_536);
  assert.equal(limits.MAX_TEXT_CHARS, 4_096);
  assert.equal(limits.MAX_REQUEST_ID_CHARS, 64);
  assert.equal(limits.MAX_PROTOCOL_ERRORS, 10);
  assert.equal(limits.MAX_QUEUE_BYTES, 1_048_576);
  assert.equal(limits.LOGIN_TIMEOUT_MS, 10_000);
  assert.equal(limits.HEARTBEAT_MS, 15_000);
  assert.equal(limits.DEFAULT_RATE_PER_SECOND, 20);
  assert.equal(limits.DEFAULT_RATE_BURST, 40);
  assert.equal(limits.DEFAULT_MAX_PER_ADDRESS, 16);
  assert.equal(limits.MAX_UNAUTHENTICATED, 64);
  assert.equal(limits.CONTROL_RATE_PER_SECOND, 5);
  assert.equal(limits.CONTROL_RATE_BURST, 10);
  assert.equal(limits.HISTORY_RATE_PER_SECOND, 5);
  assert.equal(limits.HISTORY_RATE_BURST, 50);
});

Deno.test("the idle timeout is three heartbeats", () => {
  assert.equal(limits.IDLE_TIMEOUT_MS, 3 * limits.HEARTBEAT_MS);
});

Deno.test("the longest line fits in an outbound queue, so a reply never overflows it alone", () => {
  assert.ok(limits.MAX_QUEUE_BYTES > limits.MAX_LINE_BYTES + 1);
});
