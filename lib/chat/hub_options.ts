/**
 * The hub's settings with every default filled in, and the greeting they make.
 * @module
 */

import type { HubOptions } from "./hub_types.ts";
import { encodeLine } from "./json_line.ts";
import {
  BACKLOG_BYTES,
  DEFAULT_MAX_CLIENTS,
  DEFAULT_MAX_PER_ADDRESS,
  DEFAULT_MAX_ROOMS,
  DEFAULT_RATE_BURST,
  DEFAULT_RATE_PER_SECOND,
  HEARTBEAT_MS,
  LOGIN_TIMEOUT_MS,
  MAX_LINE_BYTES,
  MAX_QUEUE_BYTES,
  MAX_UNAUTHENTICATED,
  PRESENCE_COALESCE_MS,
  PROTOCOL_VERSION,
} from "./limits.ts";

/** Settings of a hub, none left out. */
export type HubSettings = Required<HubOptions>;

/**
 * Fills in the defaults of {@linkcode HubOptions}.
 *
 * @example
 * ```ts
 * import { resolveHubOptions } from "./hub_options.ts";
 * resolveHubOptions({ heartbeatMs: 1000 }).idleTimeoutMs; // 3000
 * ```
 */
export function resolveHubOptions(options: HubOptions): HubSettings {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const maxQueueBytes = options.maxQueueBytes ?? MAX_QUEUE_BYTES;
  return {
    maxClients: options.maxClients ?? DEFAULT_MAX_CLIENTS,
    maxPerAddress: options.maxPerAddress ?? DEFAULT_MAX_PER_ADDRESS,
    maxUnauthenticated: options.maxUnauthenticated ?? MAX_UNAUTHENTICATED,
    rate: options.rate === undefined
      ? { perSecond: DEFAULT_RATE_PER_SECOND, burst: DEFAULT_RATE_BURST }
      : options.rate,
    heartbeatMs,
    idleTimeoutMs: options.idleTimeoutMs ?? 3 * heartbeatMs,
    loginTimeoutMs: options.loginTimeoutMs ?? LOGIN_TIMEOUT_MS,
    maxRooms: options.maxRooms ?? DEFAULT_MAX_ROOMS,
    maxQueueBytes,
    backlogBytes: options.backlogBytes ?? Math.min(BACKLOG_BYTES, maxQueueBytes / 4),
    presenceCoalesceMs: options.presenceCoalesceMs ?? PRESENCE_COALESCE_MS,
    serverName: options.serverName ?? "deno-chat/0.1.0",
    wallClock: options.wallClock ?? null,
    history: options.history ?? null,
    accounts: options.accounts ?? null,
    serverPassword: options.serverPassword ?? null,
    allowInsecureLogin: options.allowInsecureLogin ?? false,
  };
}

/** The `hello` line a hub with these settings greets every connection with. */
export function helloLine(settings: HubSettings): Uint8Array {
  return encodeLine({
    type: "hello",
    protocol: PROTOCOL_VERSION,
    server: settings.serverName,
    maxLineBytes: MAX_LINE_BYTES,
    heartbeatMs: settings.heartbeatMs,
    rate: settings.rate,
    ...(settings.accounts === null ? {} : { accounts: true }),
    ...(settings.serverPassword === null ? {} : { serverPassword: true }),
  });
}
