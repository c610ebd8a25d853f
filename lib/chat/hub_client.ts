/**
 * What the hub keeps per connection.
 * @module
 */

import type { ConnId, GatewaySink } from "./hub_types.ts";
import type { RateInfo } from "./events.ts";
import { CONTROL_RATE_BURST, CONTROL_RATE_PER_SECOND, OLDEST_PROTOCOL_VERSION } from "./limits.ts";
import { LineDecoder } from "./line_decoder.ts";
import { OutboundQueue } from "./outbound_queue.ts";
import { RateLimiter } from "./rate_limiter.ts";

/** One connection's state in the hub. */
export interface HubClient {
  readonly conn: ConnId;
  readonly decoder: LineDecoder;
  readonly queue: OutboundQueue;
  /** Bucket of the requests that do work (`RATE_LIMITED_TYPES`), `null` without a limit. */
  readonly limiter: RateLimiter | null;
  /** Bucket of `login` and `ping`, which the chat rate leaves free (`CONTROL_TYPES`). */
  readonly control: RateLimiter;
  // The buckets below are made at their first request (a bucket starts full, so a late one is
  // the same as an early one): most connections never use them, and each costs memory.
  /** Bucket of `join` requests (`JOIN_RATE_PER_SECOND`), whatever the chat rate. */
  joins: RateLimiter | null;
  /** Bucket of `nick` and `away` requests (`PRESENCE_RATE_PER_SECOND`), whatever the chat rate. */
  presence: RateLimiter | null;
  /** Bucket of `history` requests (`HISTORY_RATE_PER_SECOND`). */
  history: RateLimiter | null;
  /** The peer's address as counted (see `addressKey`), `null` when the driver did not say. */
  readonly address: string | null;
  readonly connectedAt: number;
  /** The connection is encrypted (TLS): it may carry passwords. */
  readonly secure: boolean;
  /** The peer is this host: it may carry passwords without TLS. */
  readonly loopback: boolean;
  /** For an in-process gateway (an IRC link): where `names` answers go; `null` otherwise. */
  readonly gateway: GatewaySink | null;
  /** The account (a name key) whose password this connection gave, `null` for a guest. */
  account: string | null;
  /** The name logged in with, `null` before login. */
  name: string | null;
  /** The protocol version logged in with: version 1 knows nothing of rooms. */
  protocol: number;
  /** When the user logged in, by the wall clock (shown as `since`). */
  joinedAt: number;
  /** When the user last said something (`say` or `msg`), by the monotonic clock: idle time. */
  lastSpokeAt: number;
  /** The away text, `null` while the user is here. */
  away: string | null;
  lastHeardAt: number;
  lastPingAt: number;
  errorsInRow: number;
  /** Output waits to be taken, and a `write` action for it is out. */
  dirty: boolean;
  /** The queue reached the hub's `backlogBytes` since it was last taken. */
  backlogged: boolean;
}

const CONTROL_RATE: RateInfo = { perSecond: CONTROL_RATE_PER_SECOND, burst: CONTROL_RATE_BURST };

/** A fresh connection's state. */
export function createHubClient(
  conn: ConnId,
  now: number,
  limits: { maxQueueBytes: number; rate: RateInfo | null },
  address: string | null = null,
  transport: { secure: boolean; loopback: boolean; gateway?: GatewaySink | null } = {
    secure: false,
    loopback: false,
  },
): HubClient {
  return {
    conn,
    decoder: new LineDecoder(),
    queue: new OutboundQueue(limits.maxQueueBytes),
    limiter: limits.rate === null ? null : new RateLimiter(limits.rate, now),
    control: new RateLimiter(CONTROL_RATE, now),
    joins: null,
    presence: null,
    history: null,
    address,
    connectedAt: now,
    secure: transport.secure,
    loopback: transport.loopback,
    gateway: transport.gateway ?? null,
    account: null,
    name: null,
    protocol: OLDEST_PROTOCOL_VERSION,
    joinedAt: now,
    lastSpokeAt: now,
    away: null,
    lastHeardAt: now,
    lastPingAt: now,
    errorsInRow: 0,
    dirty: false,
    backlogged: false,
  };
}

/** The client's name for a log record, when it has logged in. */
export function nameOf(client: HubClient): { name?: string } {
  return client.name === null ? {} : { name: client.name };
}

/** The client's address for a log record, when the driver gave one. */
export function addressOf(client: HubClient): { address?: string } {
  return client.address === null ? {} : { address: client.address };
}
