/**
 * The TCP driver of a chat client: carries out what the sans-IO {@linkcode ClientCore} decides
 * (dial, write, hang up, wake at its deadline), turns its requests into promises and its
 * events into callbacks. The reconnection policy is the core's; each dial is a race of
 * connections run by `HubDialer` (the policy in `lib/chat/dial_race.ts`).
 * @module
 */

import type { ClientError } from "../chat/client_errors.ts";
import type { ClientAction, ClientStatus } from "../chat/client_actions.ts";
import type { LoginSecrets } from "../chat/client_login.ts";
import { ClientCore } from "../chat/client_core.ts";
import type { OutgoingRequest } from "../chat/client_session.ts";
import type { ServerMessage } from "../chat/events.ts";
import { ChatError } from "./chat_error.ts";
import { type DialOutcome, HubDialer, reason } from "./hub_dialer.ts";
import { waitAtMost } from "./waiting.ts";
import { writeAll } from "./write_all.ts";

export { backoff, MAX_BACKOFF_MS, MIN_BACKOFF_MS } from "../chat/backoff.ts";
export { CONNECT_TIMEOUT_MS } from "../chat/client_core.ts";
export { DIAL_RETRY_MS, MAX_DIAL_ATTEMPTS } from "../chat/dial_race.ts";
export { PLAINTEXT_PROBE_MS } from "./hub_dialer.ts";

const READ_BYTES = 64 * 1024;
/** How long closing waits for a dial in progress to give up, in ms. */
const DIAL_SETTLE_MS = 100;

/** A connection to the hub: TCP, or TLS over TCP. */
type HubConn = Deno.TcpConn | Deno.TlsConn;

/** How a client speaks TLS to the hub. */
export interface ClientTlsOptions {
  /** PEM certificates trusted besides the built-in roots (a private CA, a self-signed hub). */
  caCerts?: string[];
}

/** How the connection is doing, for the user to see. */
export type ConnectionStatus = ClientStatus;

/** Settings of a {@linkcode ChatClient}. */
export interface ChatClientOptions {
  host: string;
  port: number;
  /**
   * Speak TLS, verifying the hub's certificate for `host` (default: plaintext). A refused
   * certificate, or a hub that does not speak TLS, ends the client (no reconnecting).
   */
  tls?: ClientTlsOptions;
  /** Reconnect when the connection is lost (default true). */
  reconnect?: boolean;
  /**
   * When a login after reconnecting is refused (the name was taken meanwhile): `ask` reports
   * a `name_refused` status and waits for {@linkcode ChatClient.login} with another name;
   * `end` ends the client with the refusal (default `end`).
   */
  onNameRefused?: "ask" | "end";
  /** Called for every message that is not a reply to a request. */
  onEvent?: (message: ServerMessage) => void;
  /** Called when the connection is lost, retried and restored. */
  onStatus?: (status: ConnectionStatus) => void;
  /**
   * Called with what the user should know that is no message: a line from the hub skipped for
   * breaking the protocol (`BAD_SERVER_LINE`, `LINE_TOO_LONG`), a callback that threw
   * (`INTERNAL_ERROR`). Default: written to stderr.
   */
  onNotice?: (notice: ChatError) => void;
}

type Welcome = ServerMessage & { type: "welcome" };

interface Waiter {
  resolve(message: ServerMessage): void;
  reject(error: ChatError): void;
}

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
  readonly #core: ClientCore;
  readonly #waiters = new Map<number, Waiter>();
  readonly #opened = Promise.withResolvers<void>();
  readonly #ended = Promise.withResolvers<ChatError | null>();
  #conn: HubConn | null = null;
  /** The dial in progress, if any: a hangup abandons it. */
  #dialer: HubDialer | null = null;
  /** The latest dial's socket work, which closing waits for a moment. */
  #dialWork: Promise<void> | null = null;
  #writer: HubConn | null = null;
  readonly #readers = new Set<Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt: number | null = null;
  #closed = false;
  #roundTripMs: number | null = null;

  private constructor(options: ChatClientOptions) {
    this.#options = options;
    this.#core = new ClientCore(performance.now(), {
      hub: `${options.host}:${options.port}`,
      reconnect: options.reconnect ?? true,
      onNameRefused: options.onNameRefused ?? "end",
      random: Math.random,
    });
  }

  /** Connects and waits for the hub's greeting; throws `ChatError` (`CONNECT_FAILED`...). */
  static async open(options: ChatClientOptions): Promise<ChatClient> {
    const client = new ChatClient(options);
    client.#call(() => {});
    try {
      await client.#opened.promise;
    } catch (error) {
      await client.#settled();
      throw error;
    }
    return client;
  }

  /** The hub's greeting on the latest connection. */
  get hello(): (ServerMessage & { type: "hello" }) | null {
    return this.#core.hello;
  }

  /** The address of the hub as connected to (its IP, even if a host name was given). */
  get remoteHost(): string {
    const conn = this.#conn;
    return conn === null ? this.#options.host : conn.remoteAddr.hostname;
  }

  /** The name logged in with, once logged in. */
  get name(): string | null {
    return this.#core.name;
  }

  /** The rooms the session is in, in the order joined (`#lobby` first, unless parted). */
  get rooms(): string[] {
    return this.#core.rooms;
  }

  /** Whether requests go out at once; otherwise they wait for a reconnection, or fail. */
  get online(): boolean {
    return this.#core.online;
  }

  /** Resolves when the client has closed for good, with the error that ended it (or `null`). */
  get ended(): Promise<ChatError | null> {
    return this.#ended.promise;
  }

  /**
   * Logs in, on the first connection or after a `name_refused` status; throws `ChatError` with
   * the hub's code (`NAME_TAKEN`, `BAD_PASSWORD`...) if refused. `secrets` are kept for the
   * logins after reconnecting.
   */
  async login(name: string, secrets: LoginSecrets = {}): Promise<Welcome> {
    const reply = await this.#settle((now) => this.#core.login(now, name, secrets));
    if (reply.type !== "welcome") throw new ChatError("BAD_SERVER_LINE", "No welcome");
    return reply;
  }

  /** Keeps `password` as the account password of `name` for later logins (see `ClientCore`). */
  rememberPassword(name: string, password: string): void {
    this.#core.rememberPassword(name, password);
  }

  /** Sends a request and resolves with its reply; an `error` reply rejects with `ChatError`. */
  request(request: OutgoingRequest): Promise<ServerMessage> {
    return this.#settle((now) => this.#core.request(now, request));
  }

  /**
   * Says goodbye, waits briefly for the hub's `bye`, and closes; `message` is shown to the
   * others as the reason the user left.
   */
  async close(message?: string): Promise<void> {
    this.#call((now) => this.#core.quit(now, message));
    await this.#settled();
  }

  /**
   * The shortest time from a request to its reply on this client, in ms, or null before the
   * first reply: at most the round trip to the hub's host (plus the hub's work), which gives a
   * transfer to the same host its first retransmission timers.
   */
  get roundTripMs(): number | null {
    return this.#roundTripMs;
  }

  #settle(start: (now: number) => number): Promise<ServerMessage> {
    const { promise, resolve, reject } = Promise.withResolvers<ServerMessage>();
    const sent = performance.now();
    const answered = (reply: ServerMessage) => {
      this.#roundTripMs = Math.min(this.#roundTripMs ?? Infinity, performance.now() - sent);
      resolve(reply);
    };
    this.#call((now) => this.#waiters.set(start(now), { resolve: answered, reject }));
    return promise;
  }

  /** Waits until the client ended and its socket work stopped. */
  async #settled(): Promise<void> {
    await this.#ended.promise;
    // A dial to a host that does not answer may take minutes: not waited for beyond a moment.
    if (this.#dialWork !== null) await waitAtMost(this.#dialWork, DIAL_SETTLE_MS);
    await Promise.all(this.#readers);
  }

  /** Calls into the core, then carries out everything it asks for. Never throws. */
  #call(step: (now: number) => void): void {
    try {
      step(performance.now());
      for (
        let action = this.#core.pollAction();
        action !== null;
        action = this.#core.pollAction()
      ) {
        this.#carryOut(action);
      }
    } catch (error) {
      // A bug, not the network: say so and go on rather than take it for a lost connection.
      this.#notice(new ChatError("INTERNAL_ERROR", `Chat client failed: ${describe(error)}`));
    }
    this.#flush();
    this.#arm();
  }

  #carryOut(action: ClientAction): void {
    switch (action.kind) {
      case "dial":
        return this.#startDial();
      case "hangup":
        return this.#hangup();
      case "reply":
      case "fail":
        return this.#settleWaiter(action);
      case "event":
        return this.#guard("event handler", () => this.#options.onEvent?.(action.message));
      case "notice":
        return this.#notice(toChatError(action.error));
      case "status":
        if (action.status.kind === "connected") this.#opened.resolve();
        return this.#guard("status handler", () => this.#options.onStatus?.(action.status));
      case "ended":
        return this.#end(action.error);
    }
  }

  #settleWaiter(action: ClientAction & { kind: "reply" | "fail" }): void {
    const waiter = this.#waiters.get(action.handle);
    if (waiter === undefined) return;
    this.#waiters.delete(action.handle);
    if (action.kind === "reply") waiter.resolve(action.message);
    else waiter.reject(toChatError(action.error));
  }

  /** Runs a user callback; what it throws is reported, never taken for a network failure. */
  #guard(what: string, callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#notice(new ChatError("INTERNAL_ERROR", `The ${what} failed: ${describe(error)}`));
    }
  }

  #notice(notice: ChatError): void {
    try {
      if (this.#options.onNotice !== undefined) this.#options.onNotice(notice);
      else console.error(`${notice.message} (${notice.code})`);
    } catch {
      // The notice handler itself failed: nothing more can be told.
    }
  }

  /** Dials (see `HubDialer`): the attempt heard first is the connection, its bytes the first. */
  #startDial(): void {
    const { host, port, tls } = this.#options;
    const dialer = new HubDialer({ host, port, ...(tls === undefined ? {} : { tls }) });
    this.#dialer = dialer;
    this.#dialWork = dialer.outcome.then(() => dialer.settled());
    dialer.outcome.then((outcome) => {
      if (outcome === null) return;
      if (dialer !== this.#dialer || this.#closed) {
        if (outcome.kind === "won") closeQuietly(outcome.conn);
        return;
      }
      this.#dialer = null;
      this.#dialed(outcome);
    });
  }

  #dialed(outcome: DialOutcome): void {
    if (outcome.kind === "failed") {
      return this.#call((now) => this.#core.connectFailed(now, outcome.reason));
    }
    if (outcome.kind === "refused") {
      const { code, message } = outcome;
      return this.#call((now) => this.#core.refused(now, { code, message }));
    }
    const { conn, first } = outcome;
    this.#conn = conn;
    this.#call((now) => {
      this.#core.connected(now);
      this.#core.receive(now, first);
    });
    const reader = this.#readLoop(conn);
    this.#readers.add(reader);
    reader.finally(() => this.#readers.delete(reader));
  }

  async #readLoop(conn: HubConn): Promise<void> {
    const buffer = new Uint8Array(READ_BYTES);
    let why = "the hub closed the connection";
    for (;;) {
      let n: number | null;
      try {
        n = await conn.read(buffer);
      } catch (error) {
        n = null;
        why = reason(error);
      }
      if (conn !== this.#conn) return; // hung up on
      if (n === null) {
        this.#call((now) => this.#core.lost(now, why));
        return;
      }
      const bytes = buffer.subarray(0, n);
      this.#call((now) => this.#core.receive(now, bytes));
    }
  }

  /** Writes what the core queued; one writer per connection, which stops once it is replaced. */
  async #flush(): Promise<void> {
    const conn = this.#conn;
    if (conn === null || this.#writer === conn) return;
    this.#writer = conn;
    try {
      for (let out = this.#core.takeOutput(); out !== null; out = this.#core.takeOutput()) {
        await writeAll(conn, out);
        if (conn !== this.#conn) return;
      }
    } catch (error) {
      if (conn === this.#conn) this.#call((now) => this.#core.lost(now, reason(error)));
    } finally {
      if (this.#writer === conn) this.#writer = null;
    }
  }

  /** Keeps one timer at (or before) the core's deadline; waking early does no harm. */
  #arm(): void {
    const at = this.#core.pollTimeout();
    if (at === null || this.#closed) return this.#disarm();
    if (this.#timerAt !== null && this.#timerAt <= at) return;
    this.#disarm();
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = null;
      this.#call((now) => this.#core.handleTimeout(now));
    }, Math.max(0, at - performance.now()));
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = null;
  }

  #hangup(): void {
    // A dial in progress is no longer wanted: its attempts close, stalled handshakes too.
    this.#dialer?.abandon();
    this.#dialer = null;
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null) closeQuietly(conn);
  }

  #end(error: ClientError | null): void {
    this.#closed = true;
    this.#hangup();
    this.#disarm();
    const failure = error === null ? null : toChatError(error);
    for (const waiter of this.#waiters.values()) {
      waiter.reject(failure ?? new ChatError("CLOSED", "Client is closed"));
    }
    this.#waiters.clear();
    this.#opened.reject(failure ?? new ChatError("CLOSED", "Client is closed"));
    this.#opened.promise.catch(() => {});
    this.#ended.resolve(failure);
  }
}

function toChatError(error: ClientError): ChatError {
  const retry = error.retryMs === undefined ? {} : { retryMs: error.retryMs };
  return new ChatError(error.code, error.message, retry);
}

function closeQuietly(conn: HubConn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
