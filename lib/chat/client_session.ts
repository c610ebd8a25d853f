/**
 * The client side of one chat connection, sans-IO: numbers requests, matches replies to
 * them, answers heartbeats, and tells the driver when the hub has gone quiet.
 * @module
 */

import type { ClientError } from "./client_errors.ts";
import { parseServerMessage, type ServerMessage } from "./events.ts";
import { encodeLine } from "./json_line.ts";
import { LineDecoder } from "./line_decoder.ts";
import { ListReassembly } from "./list_reassembly.ts";
import { OutboundQueue } from "./outbound_queue.ts";
import { HEARTBEAT_MS } from "./limits.ts";
import type { HistoryRequest } from "./requests.ts";

/** A request as the client builds it, before it gets its id. */
export type OutgoingRequest =
  | {
    type: "login";
    name: string;
    protocol: number;
    replay?: number;
    password?: string;
    serverPassword?: string;
  }
  | { type: "register"; password: string }
  | { type: "password"; old: string; new: string }
  | { type: "say"; text: string; action?: true; room?: string }
  | { type: "msg"; to: string; text: string; action?: true }
  | { type: "users" }
  | { type: "files" }
  | { type: "get"; name: string; offset: number; prefixSha256?: string }
  | { type: "put"; name: string; size: number; sha256: string }
  | { type: "join"; room: string; replay?: number }
  | { type: "part"; room: string }
  | { type: "rooms" }
  | { type: "topic"; room: string; topic?: string }
  | { type: "names"; room: string }
  | { type: "ping" }
  | { type: "nick"; name: string }
  | { type: "away"; text?: string }
  | { type: "whois"; name: string }
  | { type: "quit"; text?: string }
  | ({ type: "history" } & HistoryRequest);

/**
 * What the session makes of incoming lines. `failed`: the reply to request `id` could not be
 * read (a line that breaks the protocol, or a paged list past its bound), so the request fails.
 * `skipped`: a line that breaks the protocol and answers nothing waiting was skipped.
 * `overlong`: the hub sent a line over `MAX_LINE_BYTES`, which was skipped; it may have been the
 * reply to any request in `pending`, so the driver should fail those rather than wait for ever
 * (a late reply to one of them is still reported as a reply, for the driver to ignore).
 */
export type SessionEvent =
  | { kind: "reply"; id: number; message: ServerMessage }
  | { kind: "failed"; id: number; error: ClientError }
  | { kind: "event"; message: ServerMessage }
  | { kind: "skipped"; error: ClientError }
  | { kind: "overlong"; pending: number[] };

/**
 * One connection's protocol state on the client.
 *
 * @example
 * ```ts
 * import { ClientSession } from "./client_session.ts";
 * const session = new ClientSession(0);
 * const id = session.request({ type: "users" }, 0);
 * const reply = new TextEncoder().encode(`{"type":"users","re":${id},"users":[]}\n`);
 * session.receive(reply, 1); // [{ kind: "reply", id, message: { type: "users", ... } }]
 * ```
 */
export class ClientSession {
  readonly #decoder = new LineDecoder();
  readonly #pending = new Set<number>();
  readonly #lists = new ListReassembly();
  // Requests are small and few; the bound only guards against a runaway caller.
  readonly #out = new OutboundQueue(64 * 1024 * 1024);
  #nextId = 1;
  #heartbeatMs = HEARTBEAT_MS;
  #lastHeardAt: number;
  #lastSentAt: number;

  /** @param now the time the connection opened */
  constructor(now: number) {
    this.#lastHeardAt = now;
    this.#lastSentAt = now;
  }

  /** The hub's heartbeat interval, as its `hello` announced. */
  get heartbeatMs(): number {
    return this.#heartbeatMs;
  }

  /** Queues a request and returns the id its reply will carry. */
  request(request: OutgoingRequest, now: number): number {
    const id = this.#nextId++;
    this.#pending.add(id);
    this.#queue({ ...request, id }, now);
    return id;
  }

  /**
   * Feeds bytes from the hub; returns what they meant. The pages of a long list reply come
   * out as one `reply` once the last has arrived.
   */
  receive(bytes: Uint8Array, now: number): SessionEvent[] {
    this.#lastHeardAt = now;
    const events: SessionEvent[] = [];
    for (const result of this.#decoder.push(bytes)) {
      if (!result.ok) {
        events.push(
          result.error.code === "LINE_TOO_LONG"
            ? { kind: "overlong", pending: [...this.#pending] }
            : { kind: "skipped", error: badLine(result.error.message) },
        );
        continue;
      }
      const parsed = parseServerMessage(result.line);
      if (parsed.ok) this.#classify(parsed.message, result.line.length, now, events);
      else this.#unreadable(parsed.problem, parsed.re, events);
    }
    return events;
  }

  /**
   * Runs the heartbeat: pings a quiet hub, and returns `true` when the hub has been silent
   * for three heartbeats and the connection should be given up.
   */
  tick(now: number): boolean {
    if (now - this.#lastHeardAt >= 3 * this.#heartbeatMs) return true;
    const quiet = Math.min(now - this.#lastHeardAt, now - this.#lastSentAt);
    if (quiet >= this.#heartbeatMs) this.#queue({ type: "ping" }, now);
    return false;
  }

  /** Takes the bytes queued for the hub as one buffer, or `null`. */
  takeOutput(): Uint8Array | null {
    return this.#out.take();
  }

  /** The time by which {@linkcode tick} has something to do (a ping, or giving up). */
  nextTimeout(): number {
    const silentUntil = this.#lastHeardAt + 3 * this.#heartbeatMs;
    return Math.min(silentUntil, Math.max(this.#lastHeardAt, this.#lastSentAt) + this.#heartbeatMs);
  }

  #classify(message: ServerMessage, length: number, now: number, events: SessionEvent[]): void {
    if (message.type === "hello") this.#heartbeatMs = Math.max(1000, message.heartbeatMs);
    if (message.type === "ping") this.#queue({ type: "pong" }, now);
    const re = "re" in message ? message.re : undefined;
    if (typeof re !== "number" || !this.#pending.has(re)) {
      events.push({ kind: "event", message });
      return;
    }
    const outcome = this.#lists.add(re, message, length);
    if (outcome.kind === "more") return;
    this.#pending.delete(re);
    events.push(
      outcome.kind === "failed"
        ? { kind: "failed", id: re, error: outcome.error }
        : { kind: "reply", id: re, message: outcome.message },
    );
  }

  /** A line that breaks the protocol: it fails the request it answers, if one waits. */
  #unreadable(problem: string, re: unknown, events: SessionEvent[]): void {
    const error = badLine(problem);
    if (typeof re !== "number" || !this.#pending.has(re)) {
      events.push({ kind: "skipped", error });
      return;
    }
    this.#pending.delete(re);
    this.#lists.drop(re);
    events.push({ kind: "failed", id: re, error });
  }

  #queue(value: object, now: number): void {
    if (!this.#out.push(encodeLine(value))) {
      throw new RangeError("Cannot queue request: 64 MiB already waiting to be sent");
    }
    this.#lastSentAt = now;
  }
}

function badLine(problem: string): ClientError {
  return { code: "BAD_SERVER_LINE", message: `Skipped a line from the hub: ${problem}` };
}
