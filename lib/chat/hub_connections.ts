/**
 * The hub's connections and the output waiting on each: queueing a line (the slow-consumer
 * drop and the backlog count), error replies and list replies in pages, the fatal error and
 * the close, and the connections that left but still have lines to be written.
 * @module
 */

import type { ActionQueue } from "./action_queue.ts";
import { type ErrorCode, leaveReasonFor, type ProtocolError } from "./errors.ts";
import type { LeaveReason } from "./events.ts";
import { addressOf, type HubClient as Client, nameOf } from "./hub_client.ts";
import type { ConnId, HubAction, LogRecord } from "./hub_types.ts";
import { MAX_PROTOCOL_ERRORS } from "./limits.ts";
import type { LineArena } from "./line_arena.ts";
import { listPages, type ListReply } from "./list_pages.ts";
import type { RequestId } from "./requests.ts";
import { withRe } from "./with_re.ts";

/** What the connections need of the hub. */
export interface ConnectionsParts {
  /** Where `write`, `close` and `log` actions go. */
  readonly actions: ActionQueue<HubAction>;
  /** Encodes the lines for one client (errors, list pages). */
  readonly direct: LineArena;
  /** Queue length past which a member counts as backlogged, in bytes. */
  readonly backlogBytes: number;
  /**
   * Told of each connection taken out of the hub, logged in or not, once it is out; `text`
   * is its goodbye.
   */
  readonly left: (client: Client, reason: LeaveReason, now: number, text?: string) => void;
}

/**
 * The open connections, by id, and those closing. A line for a connection that is gone is
 * dropped; a connection whose queue overflows is closed as a slow consumer.
 *
 * @example
 * ```ts ignore
 * const connections = new HubConnections({ actions, direct, backlogBytes, left });
 * connections.add(client);
 * connections.send(client, line, now); // queued, and a `write` action for it
 * connections.take(client.conn); // the line
 * ```
 */
export class HubConnections {
  readonly #open = new Map<ConnId, Client>();
  // Connections removed from the hub whose last lines still wait to be written.
  readonly #closing = new Map<ConnId, Client>();
  // The parts are kept field by field: `send` and `#markDirty` run once per delivery.
  readonly #actions: ActionQueue<HubAction>;
  readonly #direct: LineArena;
  readonly #backlogBytes: number;
  readonly #left: ConnectionsParts["left"];
  #backlogged = 0;

  constructor(parts: ConnectionsParts) {
    this.#actions = parts.actions;
    this.#direct = parts.direct;
    this.#backlogBytes = parts.backlogBytes;
    this.#left = parts.left;
  }

  /** Connections open, logged in or not. */
  get size(): number {
    return this.#open.size;
  }

  /** Connections whose queue reached `backlogBytes` since it was last taken. */
  get backlogged(): number {
    return this.#backlogged;
  }

  /** The open connection `conn`, if it is. */
  get(conn: ConnId): Client | undefined {
    return this.#open.get(conn);
  }

  /** Whether `conn` is open. */
  has(conn: ConnId): boolean {
    return this.#open.has(conn);
  }

  /** The open connections, live: one closed while this is walked is left out. */
  values(): MapIterator<Client> {
    return this.#open.values();
  }

  /** Opens a connection. */
  add(client: Client): void {
    this.#open.set(client.conn, client);
  }

  /**
   * Queues a line for a client; `counted` (default true): it may mark the client backlogged.
   * The fan-out runs through here once per delivery: keep it lean.
   */
  send(client: Client, line: Uint8Array, now: number, counted = true): void {
    if (!this.#open.has(client.conn)) return;
    if (!client.queue.push(line)) {
      const error = {
        code: "SLOW_CONSUMER" as const,
        message: "Outbound queue full: reading too slowly",
      };
      return this.fail(client, error, now);
    }
    // Only members count: the backlog pause keeps senders from outrunning the room, and a
    // connection not logged in receives nothing from the room, only its own replies.
    if (
      counted && !client.backlogged && client.queue.bytes >= this.#backlogBytes &&
      client.name !== null
    ) {
      client.backlogged = true;
      this.#backlogged++;
    }
    this.#markDirty(client);
  }

  /** Sends a list reply, in pages when it is too long for one line. */
  sendList(client: Client, reply: ListReply, now: number): void {
    const { pages, skipped } = listPages(reply);
    // A long list is the reply to one request, not the room outrunning its members: it does
    // not pause everyone's reads (a NAMES of #lobby at each of thousands of logins did).
    for (const page of pages) this.send(client, this.#direct.encode(page), now, false);
    if (skipped > 0) {
      const detail = `${skipped} ${reply.type} entries too long for a line left out`;
      this.#log({ level: "warn", event: "list_truncated", conn: client.conn, detail });
    }
  }

  /** Answers request `re` with an error. */
  refuse(client: Client, error: ProtocolError, re: RequestId | undefined, now: number): void {
    this.send(client, this.#direct.encode(withRe({ type: "error", ...error }, re)), now);
  }

  /** Answers a bad line with an error; `MAX_PROTOCOL_ERRORS` of them in a row close. */
  badLine(client: Client, error: ProtocolError, re: RequestId | undefined, now: number): void {
    client.errorsInRow += 1;
    this.refuse(client, error, re, now);
    if (client.errorsInRow >= MAX_PROTOCOL_ERRORS && this.#open.has(client.conn)) {
      this.fail(client, {
        code: "TOO_MANY_ERRORS",
        message: `${MAX_PROTOCOL_ERRORS} bad lines in a row`,
      }, now);
    }
  }

  /** Sends a fatal error and closes; the queue limit is waived for this last line. */
  fail(client: Client, error: ProtocolError, now: number): void {
    if (!this.#open.has(client.conn)) return;
    client.queue.force(this.#direct.encode({ type: "error", ...error }));
    this.#markDirty(client);
    this.#log({
      level: "warn",
      event: "drop",
      conn: client.conn,
      ...nameOf(client),
      ...addressOf(client),
      code: error.code,
      detail: error.message,
    });
    this.close(client, error.code, leaveReasonFor(error.code), now);
  }

  /** Takes a client out and has the driver close it once its queue is written. */
  close(
    client: Client,
    code: ErrorCode | "QUIT",
    reason: LeaveReason,
    now: number,
    text?: string,
  ): void {
    this.remove(client, reason, now, text);
    this.#closing.set(client.conn, client);
    this.#actions.push({ kind: "close", conn: client.conn, code });
  }

  /** Queues `notice` past the limit on every connection and closes them all (a shutdown). */
  closeAll(notice: Uint8Array, now: number): void {
    for (const client of [...this.#open.values()]) {
      if (!this.#open.has(client.conn)) continue;
      client.queue.force(notice);
      this.#markDirty(client);
      this.close(client, "SHUTTING_DOWN", "shutdown", now);
    }
  }

  /** Takes a client out of the hub; `text` is its goodbye, shown in the `leave` notices. */
  remove(client: Client, reason: LeaveReason, now: number, text?: string): void {
    if (!this.#open.delete(client.conn)) return;
    this.#clearBacklog(client);
    this.#left(client, reason, now, text);
  }

  /** Takes all output queued for a connection, open or closing, or `null` if none. */
  take(conn: ConnId): Uint8Array | null {
    const client = this.#open.get(conn) ?? this.#closing.get(conn);
    if (client === undefined) return null;
    client.dirty = false;
    this.#clearBacklog(client);
    return client.queue.take();
  }

  /** Forgets a connection the driver has closed. */
  closed(conn: ConnId): void {
    this.#closing.delete(conn);
  }

  #clearBacklog(client: Client): void {
    if (!client.backlogged) return;
    client.backlogged = false;
    this.#backlogged--;
  }

  #markDirty(client: Client): void {
    if (client.dirty) return;
    client.dirty = true;
    this.#actions.push({ kind: "write", conn: client.conn });
  }

  #log(record: LogRecord): void {
    this.#actions.push({ kind: "log", record });
  }
}
