/**
 * The TCP driver of a chat client: one connection to the hub, requests as promises,
 * events as callbacks, and reconnection with back-off when the hub goes away.
 * @module
 */

import { ClientSession, type OutgoingRequest } from "../chat/client_session.ts";
import type { ServerMessage } from "../chat/events.ts";
import { MAX_LINE_BYTES, PROTOCOL_VERSION } from "../chat/limits.ts";
import { ChatError } from "./chat_error.ts";
import { withTimeout } from "./with_timeout.ts";
import { writeAll } from "./write_all.ts";

/** How long to wait for the TCP connection and the hub's `hello`. */
export const CONNECT_TIMEOUT_MS = 5000;
/** First wait before reconnecting; it doubles up to {@linkcode MAX_BACKOFF_MS}. */
export const MIN_BACKOFF_MS = 250;
/** Longest wait between reconnection attempts. */
export const MAX_BACKOFF_MS = 8000;
const TICK_MS = 1000;
const READ_BYTES = 64 * 1024;

/** How the connection is doing, for the user to see. */
export type ConnectionStatus =
  | { kind: "connected"; host: string; port: number }
  | { kind: "disconnected"; reason: string }
  | { kind: "reconnecting"; attempt: number; delayMs: number }
  | { kind: "reconnected" };

/** Settings of a {@linkcode ChatClient}. */
export interface ChatClientOptions {
  host: string;
  port: number;
  /** Reconnect when the connection is lost (default true). */
  reconnect?: boolean;
  /** Called for every message that is not a reply to a request. */
  onEvent?: (message: ServerMessage) => void;
  /** Called when the connection is lost, retried and restored. */
  onStatus?: (status: ConnectionStatus) => void;
}

type Hello = ServerMessage & { type: "hello" };

interface Waiter {
  readonly request: OutgoingRequest;
  resolve(message: ServerMessage): void;
  reject(error: ChatError): void;
}

/** Requests worth sending again on a new connection if no reply came on the old one. */
const RESENDABLE = new Set(["say", "msg", "users", "files"]);

/**
 * A connection to the hub that survives the hub restarting.
 *
 * @example
 * ```ts ignore
 * const client = await ChatClient.open({ host: "127.0.0.1", port: 50000 });
 * await client.login("alice");
 * await client.request({ type: "say", text: "hello" });
 * await client.close();
 * ```
 */
export class ChatClient {
  readonly #options: ChatClientOptions;
  #conn: Deno.TcpConn | null = null;
  #session = new ClientSession(Date.now());
  #waiters = new Map<number, Waiter>();
  #hello = Promise.withResolvers<Hello>();
  #helloInfo: Hello | null = null;
  #name: string | null = null;
  #writing = false;
  #closing = false;
  // Requests waiting for a reconnection; `null` when not reconnecting.
  #resend: Waiter[] | null = null;
  // Set once close() has begun: the hub hanging up after `bye` is then expected.
  #quitting = false;
  #reader: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | undefined;
  #sleep: { timer: ReturnType<typeof setTimeout>; wake(): void } | null = null;
  readonly #ended = Promise.withResolvers<void>();

  private constructor(options: ChatClientOptions) {
    this.#options = options;
  }

  /** Connects and waits for the hub's greeting; throws `ChatError` `CONNECT_FAILED`. */
  static async open(options: ChatClientOptions): Promise<ChatClient> {
    const client = new ChatClient(options);
    await client.#dial();
    client.#timer = setInterval(() => client.#tick(), TICK_MS);
    return client;
  }

  /** The hub's greeting on the current connection. */
  get hello(): Hello | null {
    return this.#helloInfo;
  }

  /** The address of the hub as connected to (its IP, even if a host name was given). */
  get remoteHost(): string {
    const conn = this.#conn;
    return conn === null ? this.#options.host : conn.remoteAddr.hostname;
  }

  /** The name logged in with, once logged in. */
  get name(): string | null {
    return this.#name;
  }

  /** Resolves when the client has closed for good. */
  get ended(): Promise<void> {
    return this.#ended.promise;
  }

  /** Logs in; throws `ChatError` with the hub's code (`NAME_TAKEN`...) if refused. */
  async login(name: string): Promise<ServerMessage & { type: "welcome" }> {
    const welcome = await this.request({ type: "login", name, protocol: PROTOCOL_VERSION });
    this.#name = name;
    return welcome as ServerMessage & { type: "welcome" };
  }

  /** Sends a request and resolves with its reply; an `error` reply rejects with `ChatError`. */
  request(request: OutgoingRequest): Promise<ServerMessage> {
    if (this.#closing) return Promise.reject(new ChatError("CLOSED", "Client is closed"));
    const { promise, resolve, reject } = Promise.withResolvers<ServerMessage>();
    this.#send({ request, resolve, reject });
    return promise;
  }

  /** Says goodbye, waits briefly for the hub's `bye`, and closes. */
  async close(): Promise<void> {
    if (this.#closing) return this.#ended.promise;
    this.#quitting = true;
    if (this.#conn !== null) {
      const bye = this.request({ type: "quit" }).catch(() => {});
      const { promise, resolve } = Promise.withResolvers<void>();
      const timer = setTimeout(resolve, 1000);
      await Promise.race([bye, promise]);
      clearTimeout(timer);
    }
    this.#shutdown(new ChatError("CLOSED", "Client is closed"));
    await this.#reader;
  }

  #send(waiter: Waiter): void {
    // While reconnecting, requests wait for the new connection (the login that makes it
    // goes straight through); those not worth resending fail at once.
    if (this.#resend !== null && waiter.request.type !== "login") {
      if (RESENDABLE.has(waiter.request.type)) this.#resend.push(waiter);
      else waiter.reject(new ChatError("CONNECTION_LOST", "Not connected to the hub"));
      return;
    }
    const id = this.#session.request(waiter.request, Date.now());
    this.#waiters.set(id, waiter);
    this.#flush();
  }

  async #dial(): Promise<void> {
    const { host, port } = this.#options;
    const conn = await withTimeout(
      Deno.connect({ hostname: host, port }),
      CONNECT_TIMEOUT_MS,
    ).catch((error) => {
      throw new ChatError("CONNECT_FAILED", `Cannot connect to ${host}:${port}: ${reason(error)}`);
    });
    conn.setNoDelay(true);
    this.#conn = conn;
    this.#session = new ClientSession(Date.now());
    this.#hello = Promise.withResolvers<Hello>();
    this.#reader = this.#readLoop(conn);
    try {
      this.#helloInfo = await withTimeout(this.#hello.promise, CONNECT_TIMEOUT_MS);
    } catch (error) {
      this.#drop(conn);
      const detail = error instanceof ChatError ? error.message : "no greeting from the hub";
      throw new ChatError("CONNECT_FAILED", `Cannot connect to ${host}:${port}: ${detail}`);
    }
    this.#options.onStatus?.({ kind: "connected", host, port });
  }

  async #readLoop(conn: Deno.TcpConn): Promise<void> {
    const buffer = new Uint8Array(READ_BYTES);
    try {
      for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
        for (const event of this.#session.receive(buffer.subarray(0, n), Date.now())) {
          if (event.kind === "reply") this.#settle(event.id, event.message);
          else if (event.kind === "event") this.#onEvent(event.message);
          else if (event.kind === "overlong") this.#overlong(event.pending);
        }
        this.#flush();
      }
    } catch {
      // Reset or closed: handled below like an orderly close.
    }
    this.#connectionLost(conn);
  }

  #onEvent(message: ServerMessage): void {
    if (message.type === "hello") return this.#hello.resolve(message);
    // An error before the greeting is a refusal (SERVER_FULL, TOO_MANY_CONNECTIONS...);
    // after it, the greeting's promise is settled and this does nothing.
    if (message.type === "error") this.#hello.reject(new ChatError(message.code, message.message));
    if (message.type !== "ping") this.#options.onEvent?.(message);
  }

  /**
   * The hub broke its own line limit. The line was skipped, and it may have been the reply to
   * any request waiting: those fail now rather than wait for ever (their late replies, if any,
   * are ignored); with none waiting the user is told through `onEvent`.
   */
  #overlong(pending: number[]): void {
    const message = `The hub sent a line over ${MAX_LINE_BYTES} bytes; it was skipped`;
    const error = new ChatError("LINE_TOO_LONG", message);
    let failed = 0;
    for (const id of pending) {
      const waiter = this.#waiters.get(id);
      if (waiter === undefined) continue;
      this.#waiters.delete(id);
      waiter.reject(error);
      failed++;
    }
    if (failed === 0) this.#options.onEvent?.({ type: "error", code: error.code, message });
  }

  #settle(id: number, message: ServerMessage): void {
    const waiter = this.#waiters.get(id);
    if (waiter === undefined) return;
    this.#waiters.delete(id);
    if (message.type === "error") {
      const retry = message.retryMs === undefined ? {} : { retryMs: message.retryMs };
      waiter.reject(new ChatError(message.code, message.message, retry));
    } else {
      waiter.resolve(message);
    }
  }

  async #flush(): Promise<void> {
    const conn = this.#conn;
    if (this.#writing || conn === null) return;
    this.#writing = true;
    try {
      for (let out = this.#session.takeOutput(); out !== null; out = this.#session.takeOutput()) {
        await writeAll(conn, out);
      }
    } catch {
      this.#drop(conn);
    } finally {
      this.#writing = false;
    }
  }

  #tick(): void {
    if (this.#conn === null) return;
    if (this.#session.tick(Date.now())) this.#drop(this.#conn);
    else this.#flush();
  }

  #connectionLost(conn: Deno.TcpConn): void {
    const current = conn === this.#conn;
    this.#drop(conn);
    this.#hello.reject(new ChatError("CONNECT_FAILED", "connection closed"));
    if (this.#closing || !current) return; // a connection already given up on
    if (this.#quitting) return this.#shutdown(new ChatError("CLOSED", "Client is closed"));
    const waiting = [...this.#waiters.values()];
    this.#waiters.clear();
    const lost = new ChatError("CONNECTION_LOST", "Connection to the hub was lost");
    if (this.#resend !== null) {
      // A reconnection attempt failed during its login: that loop goes on.
      for (const waiter of waiting) waiter.reject(lost);
      return;
    }
    const keep = this.#options.reconnect !== false && this.#name !== null;
    for (const waiter of waiting) {
      if (!keep || !RESENDABLE.has(waiter.request.type)) waiter.reject(lost);
    }
    if (!keep) return this.#shutdown(lost);
    this.#options.onStatus?.({ kind: "disconnected", reason: lost.message });
    this.#resend = waiting.filter((w) => RESENDABLE.has(w.request.type));
    this.#reconnect();
  }

  /** The one reconnection loop; requests made meanwhile wait in `#resend`. */
  async #reconnect(): Promise<void> {
    for (let attempt = 1; !this.#closing; attempt++) {
      const delayMs = backoff(attempt);
      this.#options.onStatus?.({ kind: "reconnecting", attempt, delayMs });
      await this.#pause(delayMs);
      if (this.#closing) break;
      try {
        await this.#dial();
        await this.login(this.#name!);
      } catch {
        if (this.#conn !== null) this.#drop(this.#conn);
        continue;
      }
      const resend = this.#resend ?? [];
      this.#resend = null;
      this.#options.onStatus?.({ kind: "reconnected" });
      for (const waiter of resend) this.#send(waiter);
      return;
    }
    const closed = new ChatError("CLOSED", "Client is closed");
    for (const waiter of this.#resend ?? []) waiter.reject(closed);
    this.#resend = null;
  }

  #pause(ms: number): Promise<void> {
    return new Promise((wake) => {
      const timer = setTimeout(() => {
        this.#sleep = null;
        wake();
      }, ms);
      this.#sleep = { timer, wake };
    });
  }

  #drop(conn: Deno.TcpConn): void {
    if (this.#conn === conn) this.#conn = null;
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }

  #shutdown(error: ChatError): void {
    this.#closing = true;
    clearInterval(this.#timer);
    if (this.#sleep !== null) {
      clearTimeout(this.#sleep.timer);
      this.#sleep.wake();
    }
    if (this.#conn !== null) this.#drop(this.#conn);
    for (const waiter of this.#waiters.values()) waiter.reject(error);
    this.#waiters.clear();
    this.#ended.resolve();
  }
}

/** Wait before reconnection attempt `attempt` (from 1): doubling, capped, with ±20% jitter. */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(attempt - 1, 16));
  return Math.round(base * (0.8 + 0.4 * random()));
}

function reason(error: unknown): string {
  if (error instanceof Deno.errors.ConnectionRefused) return "connection refused";
  return error instanceof Error ? error.message : String(error);
}
