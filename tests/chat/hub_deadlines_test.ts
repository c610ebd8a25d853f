import assert from "node:assert/strict";
import { createHubClient, type HubClient } from "../../lib/chat/hub_client.ts";
import { deadlineDue } from "../../lib/chat/hub_deadlines.ts";

const TIMINGS = { heartbeatMs: 1000, idleTimeoutMs: 3000, loginTimeoutMs: 500 };
const LIMITS = { maxQueueBytes: 1024, rate: null };

/** The code of the error due, or what else is due. */
function due(client: HubClient, now: number): string | null {
  const deadline = deadlineDue(client, now, TIMINGS);
  return deadline === null || deadline === "ping" ? deadline : deadline.code;
}

Deno.test("deadlineDue closes a connection not logged in at loginTimeoutMs, not before", () => {
  const client = createHubClient(1, 0, LIMITS);
  assert.equal(due(client, 499), null);
  assert.equal(due(client, 500), "LOGIN_TIMEOUT");
  client.name = "ann";
  assert.equal(due(client, 500), null);
});

Deno.test("deadlineDue pings after heartbeatMs of silence, once per heartbeat", () => {
  const client = createHubClient(1, 0, LIMITS);
  client.name = "ann";
  assert.equal(due(client, 999), null);
  assert.equal(due(client, 1000), "ping");
  client.lastPingAt = 1000;
  assert.equal(due(client, 1999), null);
  assert.equal(due(client, 2000), "ping");
});

Deno.test("deadlineDue closes a silent connection at idleTimeoutMs with IDLE_TIMEOUT", () => {
  const client = createHubClient(1, 0, LIMITS);
  client.name = "ann";
  client.lastPingAt = 2500;
  assert.equal(due(client, 2999), null);
  assert.equal(due(client, 3000), "IDLE_TIMEOUT");
  client.lastHeardAt = 2900;
  assert.equal(due(client, 3000), null);
});
