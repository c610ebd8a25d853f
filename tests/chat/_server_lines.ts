/** Checking how the client reads lines from the hub: what it accepts, and why it refuses. */
import assert from "node:assert/strict";
import { parseServerMessage, type ServerMessage } from "../../lib/chat/events.ts";

/** What the client makes of `value` sent as a line. */
export const parsed = (value: unknown) => parseServerMessage(JSON.stringify(value));

/** The message a line parses to; fails the test if it is refused. */
export function accepted(value: unknown): ServerMessage {
  const result = parsed(value);
  assert.ok(result.ok, `refused: ${JSON.stringify(value)}: ${!result.ok && result.problem}`);
  return result.message;
}

/** The problem a line is refused for; fails the test if it is accepted. */
export function problem(value: unknown): string {
  const result = parsed(value);
  assert.ok(!result.ok, `accepted: ${JSON.stringify(value)}`);
  return result.problem;
}
