/**
 * What the hub keeps per connection.
 * @module
 */

import type { ConnId } from "./hub_types.ts";
import type { RateInfo } from "./events.ts";
import { LineDecoder } from "./line_decoder.ts";
import { OutboundQueue } from "./outbound_queue.ts";
import { RateLimiter } from "./rate_limiter.ts";

/** One connection's state in the hub. */
export interface HubClient {
  readonly conn: ConnId;
  readonly decoder: LineDecoder;
  readonly queue: OutboundQueue;
  readonly limiter: RateLimiter | null;
  readonly connectedAt: number;
  /** The name logged in with, `null` before login. */
  name: string | null;
  joinedAt: number;
  lastHeardAt: number;
  lastPingAt: number;
  errorsInRow: number;
  /** Output waits to be taken, and a `write` action for it is out. */
  dirty: boolean;
  /** The queue reached the hub's `backlogBytes` since it was last taken. */
  backlogged: boolean;
}

/** A fresh connection's state. */
export function createHubClient(
  conn: ConnId,
  now: number,
  limits: { maxQueueBytes: number; rate: RateInfo | null },
): HubClient {
  return {
    conn,
    decoder: new LineDecoder(),
    queue: new OutboundQueue(limits.maxQueueBytes),
    limiter: limits.rate === null ? null : new RateLimiter(limits.rate, now),
    connectedAt: now,
    name: null,
    joinedAt: now,
    lastHeardAt: now,
    lastPingAt: now,
    errorsInRow: 0,
    dirty: false,
    backlogged: false,
  };
}
