/**
 * Which requests spend from which bucket, and what a client is told when one is empty.
 * @module
 */

import type { ProtocolError } from "./errors.ts";
import type { HubClient } from "./hub_client.ts";
import { CONTROL_TYPES, RATE_LIMITED_TYPES, type Request } from "./requests.ts";
import {
  HISTORY_RATE_BURST,
  HISTORY_RATE_PER_SECOND,
  JOIN_RATE_BURST,
  JOIN_RATE_PER_SECOND,
  PRESENCE_RATE_BURST,
  PRESENCE_RATE_PER_SECOND,
} from "./limits.ts";
import { RateLimiter } from "./rate_limiter.ts";

const JOIN_RATE = { perSecond: JOIN_RATE_PER_SECOND, burst: JOIN_RATE_BURST };
const PRESENCE_RATE = { perSecond: PRESENCE_RATE_PER_SECOND, burst: PRESENCE_RATE_BURST };
const HISTORY_RATE = { perSecond: HISTORY_RATE_PER_SECOND, burst: HISTORY_RATE_BURST };

/** Why a request is turned down unread; `abuse` counts it as a bad line (`TOO_MANY_ERRORS`). */
export interface Refusal {
  error: ProtocolError;
  abuse: boolean;
}

const LOG_IN_FIRST: ProtocolError = { code: "NOT_LOGGED_IN", message: "Log in first" };

/**
 * Meters a request that costs a reply (everything but `pong` and `quit`), spending a token if
 * it goes ahead; returns why it must be turned down, or `null`. `login` and `ping` spend from
 * the control bucket, logged in or not, and a refusal counts as a bad line, so a flood of them
 * is closed; a request that needs a login comes too early is a bad line as well; the requests
 * that do work spend from the chat rate limit, whose refusals are not held against anyone (a
 * member typing fast is not abusing); a `join` spends from the join bucket as well, a `nick`
 * or an `away` from the presence bucket, a `history` from the history bucket (and not from the
 * chat rate).
 *
 * @example
 * ```ts ignore
 * meter(client, { type: "say", text: "hi" }, now); // null, or a RATE_LIMITED refusal
 * ```
 */
export function meter(client: HubClient, request: Request, now: number): Refusal | null {
  if (CONTROL_TYPES.has(request.type)) {
    const retryMs = client.control.take(now);
    return retryMs > 0 ? { error: rateLimited(retryMs), abuse: true } : null;
  }
  if (client.name === null) return { error: LOG_IN_FIRST, abuse: true };
  if (client.limiter !== null && RATE_LIMITED_TYPES.has(request.type)) {
    const retryMs = client.limiter.take(now);
    if (retryMs > 0) return { error: rateLimited(retryMs), abuse: false };
  }
  // Joins, renames and away changes have buckets of their own, whatever `--rate` says: each
  // one tells a whole room, or every room the user is in. History requests too, instead of the
  // chat rate: a reconnection's catch-up asks for every room and conversation at once.
  const bucket = request.type === "join"
    ? { limiter: client.joins ??= new RateLimiter(JOIN_RATE, now), what: "joins" }
    : request.type === "nick" || request.type === "away"
    ? {
      limiter: client.presence ??= new RateLimiter(PRESENCE_RATE, now),
      what: "name or away changes",
    }
    : request.type === "history"
    ? { limiter: client.history ??= new RateLimiter(HISTORY_RATE, now), what: "history requests" }
    : null;
  if (bucket === null) return null;
  const retryMs = bucket.limiter.take(now);
  return retryMs > 0 ? { error: ownBucketLimited(bucket.what, retryMs), abuse: false } : null;
}

function ownBucketLimited(what: string, retryMs: number): ProtocolError {
  return { code: "RATE_LIMITED", message: `Too many ${what}`, retryMs };
}

function rateLimited(retryMs: number): ProtocolError {
  return { code: "RATE_LIMITED", message: "Too many requests", retryMs };
}
