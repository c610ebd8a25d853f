/**
 * Types at the edge between the sans-IO hub and its driver.
 * @module
 */

import type { ErrorCode } from "./errors.ts";
import type { LeaveReason, RateInfo } from "./events.ts";
import type { AccountAction, AccountSettings } from "./hub_accounts.ts";
import type { HistoryAction, HistorySettings } from "./hub_history.ts";
import type { RequestId } from "./requests.ts";

/** A connection's number, given by the hub when the driver reports a new connection. */
export type ConnId = number;

/** Settings of a hub; every field has a default. */
export interface HubOptions {
  /** Most connections at once (default `DEFAULT_MAX_CLIENTS`). */
  maxClients?: number;
  /** Most connections at once from one address (default `DEFAULT_MAX_PER_ADDRESS`). */
  maxPerAddress?: number;
  /** Most connections at once not logged in yet (default `MAX_UNAUTHENTICATED`). */
  maxUnauthenticated?: number;
  /** Per-client rate limit, or `null` for none (default 20/s, burst 40). */
  rate?: RateInfo | null;
  /** Silence before a ping, in ms (default `HEARTBEAT_MS`). */
  heartbeatMs?: number;
  /** Silence before a client is dropped, in ms (default 3 × `heartbeatMs`). */
  idleTimeoutMs?: number;
  /** Time to log in, in ms (default `LOGIN_TIMEOUT_MS`). */
  loginTimeoutMs?: number;
  /** Most rooms at once (default `DEFAULT_MAX_ROOMS`); `#lobby` may always be made again. */
  maxRooms?: number;
  /** Outbound queue limit per client, in bytes (default `MAX_QUEUE_BYTES`). */
  maxQueueBytes?: number;
  /**
   * Queue length past which a client counts as backlogged, in bytes (default the smaller of
   * `BACKLOG_BYTES` and a quarter of `maxQueueBytes`).
   */
  backlogBytes?: number;
  /**
   * How long the joins of a room are held to be announced together, in ms (default
   * `PRESENCE_COALESCE_MS`); 0 announces each at once. See {@linkcode Hub.pollTimeout}.
   */
  presenceCoalesceMs?: number;
  /** Server name and version sent in `hello` (default `deno-chat/0.1.0`). */
  serverName?: string;
  /**
   * The wall clock, in ms since the Unix epoch, read only for the times shown to people (`ts`,
   * a user's `since`); deadlines run on the monotonic `now` each call is given. Default
   * (`null`): `now` is shown as it is.
   */
  wallClock?: (() => number) | null;
  /**
   * History kept by the driver (see `HubHistory`): messages get ids from `nextId`, each is
   * handed over in a `store` action, and joins and `history` requests ask for it in `history`
   * actions. Default (`null`): no history; ids count from 1.
   */
  history?: HistorySettings | null;
  /**
   * Accounts kept by the driver (see `HubAccounts`): the names registered at start; passwords
   * are checked and kept through account actions answered by `Hub.accountDone`. Default
   * (`null`): no accounts, every name is a guest's.
   */
  accounts?: AccountSettings | null;
  /** The password every client must give to log in (a private hub); default `null`: none. */
  serverPassword?: string | null;
  /**
   * Accept passwords over plaintext connections from other hosts too (default `false`: only
   * over TLS or from loopback, else `INSECURE_LOGIN`).
   */
  allowInsecureLogin?: boolean;
}

/**
 * A room's members as the hub hands them to an in-process gateway (see {@linkcode GatewaySink}),
 * in answer to its `names` request `re`.
 */
export interface GatewayNames {
  re?: RequestId;
  /** The room's name as the hub spells it. */
  room: string;
  /**
   * The members' names in the order they joined, one space between, in ASCII (names are):
   * bytes of the hub's that are never written again (read them, do not change them).
   */
  names: Uint8Array;
  /** Those of them who are away. */
  away: readonly string[];
}

/**
 * Trusted code of the hub's own process that serves other clients over the hub (the IRC
 * links), given to `Hub.connect`: a `names` answer is handed to it as a value, and the line
 * {@linkcode GATEWAY_NAMES_LINE} takes its place in the connection's output, so that it is
 * read in order with the rest.
 */
export interface GatewaySink {
  /** Takes the answer to a `names` request; its place in the output is the marker line. */
  names(answer: GatewayNames): void;
}

/** The line that stands for a {@linkcode GatewayNames} in a gateway's output (newline excluded). */
export const GATEWAY_NAMES_LINE = '{"type":"gateway-names"}';

/** A structured log record the driver prints as it likes. */
export interface LogRecord {
  level: "info" | "warn";
  event: string;
  conn?: ConnId;
  /** The peer's address, on connections and refusals. */
  address?: string;
  name?: string;
  code?: ErrorCode;
  reason?: LeaveReason | string;
  detail?: string;
}

/**
 * What the hub asks its driver to do. `write`: the connection has output to take;
 * `close`: write what is queued (briefly), then close; the others are requests the hub
 * cannot answer without I/O, answered through `Hub.reply`.
 */
export type HubAction =
  | { kind: "write"; conn: ConnId }
  | { kind: "close"; conn: ConnId; code: ErrorCode | "QUIT" }
  | { kind: "files"; conn: ConnId; re?: RequestId }
  | {
    kind: "get";
    conn: ConnId;
    user: string;
    re?: RequestId;
    name: string;
    offset: number;
    prefixSha256?: string;
  }
  | {
    kind: "put";
    conn: ConnId;
    user: string;
    re?: RequestId;
    name: string;
    size: number;
    sha256: string;
  }
  | { kind: "gone"; conn: ConnId; user: string }
  | HistoryAction
  | AccountAction
  | { kind: "log"; record: LogRecord };
