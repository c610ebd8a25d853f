/**
 * A connection's deadlines, as the hub's `tick` checks them: the login deadline, the idle
 * timeout, and the heartbeat that pings a quiet peer.
 * @module
 */

import { type ProtocolError, protocolError } from "./errors.ts";
import type { HubClient } from "./hub_client.ts";
import type { HubSettings } from "./hub_options.ts";

/** The timings the deadlines run on, in ms of the monotonic clock. */
export type DeadlineTimings = Pick<HubSettings, "heartbeatMs" | "idleTimeoutMs" | "loginTimeoutMs">;

/**
 * What is due for `client` at `now`: the error to close it with (`LOGIN_TIMEOUT` when not
 * logged in after `loginTimeoutMs`, `IDLE_TIMEOUT` after `idleTimeoutMs` of silence), `"ping"`
 * after `heartbeatMs` of silence and as long since the last ping, or `null`.
 *
 * @example
 * ```ts ignore
 * deadlineDue(client, now, { heartbeatMs: 1000, idleTimeoutMs: 3000, loginTimeoutMs: 5000 });
 * ```
 */
export function deadlineDue(
  client: HubClient,
  now: number,
  timings: DeadlineTimings,
): ProtocolError | "ping" | null {
  const { heartbeatMs, idleTimeoutMs, loginTimeoutMs } = timings;
  if (client.name === null && now - client.connectedAt >= loginTimeoutMs) {
    return protocolError("LOGIN_TIMEOUT", "No login in time");
  }
  if (now - client.lastHeardAt >= idleTimeoutMs) {
    return protocolError("IDLE_TIMEOUT", "Nothing heard for too long");
  }
  if (now - client.lastHeardAt >= heartbeatMs && now - client.lastPingAt >= heartbeatMs) {
    return "ping";
  }
  return null;
}
