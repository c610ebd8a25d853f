/**
 * The TCP driver of a chat client: carries out what the sans-IO {@linkcode ClientCore} decides
 * (dial, write, hang up, wake at its deadline), turns its requests into promises and its
 * events into callbacks. The reconnection policy is the core's.
 * @module
 */

import type { ClientError } from "../chat/client_errors.ts";
import type { ClientAction, ClientStatus } from "../chat/client_actions.ts";
import type { LoginSecrets } from "../chat/client_login.ts";
import { ClientCore } from "../chat/client_core.ts";
import type { OutgoingRequest } from "../chat/client_session.ts";
import type { ServerMessage } from "../chat/events.ts";
import { ChatError } from "./chat_error.ts";
import { classifyTlsError, looksLikeTls } from "./tls_errors.ts";
import { waitAtMost } from "./waiting.ts";
import { writeAll } from "./write_all.ts";

export { backoff, MAX_BACKOFF_MS, MIN_BACKOFF_MS } from "../chat/backoff.ts";
export { CONNECT_TIMEOUT_MS } from "../chat/client_core.ts";

const READ_BYTES = 64 * 1024;
/** How long closing waits for a dial in progress to give up, in ms. */
const DIAL_SETTLE_MS = 100;
/**
 * A plaintext connection that has heard nothing this long after connecting (a hub greets at
 * once; a TLS port waits for a client hello) writes {@linkcode PLAINTEXT_PROBE}, in ms.
 */
export const PLAINTEXT_PROBE_MS = 200;
/**
 * A request every hub ignores, which a TLS port answers at once with an alert: so a client
 * without `tls` finds out quickly that it needs it, rather than when the greeting times out.
 */
const PLAINTEXT_PROBE = new TextEncoder().encode('{"type":"pong"}\n');

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
  /** The dial in progress, if any: a later hangup makes its connection unwanted. */
  #dial: Promise<void> | null = null;
  /** The connection of the dial in progress while its TLS handshake runs: a hangup closes it. */
  #handshaking: HubConn | null = null;
  #dialId = 0;
  #writer: HubConn | null = null;
  /** Writes the probe on a plaintext connection that stays silent (see `PLAINTEXT_PROBE_MS`). */
  #probe: ReturnType<typeof setTimeout> | undefined;
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
    if (this.#dial !== null) await waitAtMost(this.#dial, DIAL_SETTLE_MS);
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

  #startDial(): void {
    const id = ++this.#dialId;
    this.#dial = this.#open(id).then(
      (conn) => {
        if (conn === null) return;
        if (id !== this.#dialId || this.#closed) return closeQuietly(conn);
        this.#conn = conn;
        this.#call((now) => this.#core.connected(now));
        const reader = this.#readLoop(conn);
        this.#readers.add(reader);
        reader.finally(() => this.#readers.delete(reader));
      },
      (error) => {
        if (id !== this.#dialId) return;
        this.#call((now) => this.#core.connectFailed(now, reason(error)));
      },
    );
  }

  /**
   * Opens a connection: over TCP with the probe written, or over TLS with the handshake done.
   * A failed handshake is reported here (a permanent refusal or an attempt failed), and gives
   * `null`; a failed TCP connection rejects.
   */
  async #open(id: number): Promise<HubConn | null> {
    const { host: hostname, port, tls } = this.#options;
    if (tls === undefined) {
      const conn = await Deno.connect({ hostname, port });
      conn.setNoDelay(true);
      // Only before the greeting: the core writes nothing before it, so no write overlaps.
      this.#probe = setTimeout(() => {
        this.#probe = undefined;
        if (conn === this.#conn) writeAll(conn, PLAINTEXT_PROBE).catch(() => {});
      }, PLAINTEXT_PROBE_MS);
      return conn;
    }
    const conn = await Deno.connectTls({ hostname, port, caCerts: tls.caCerts ?? [] });
    if (id !== this.#dialId) return closeQuietly(conn), null;
    this.#handshaking = conn;
    try {
      await conn.handshake();
      return conn;
    } catch (error) {
      closeQuietly(conn);
      if (id === this.#dialId) this.#tlsFailed(error);
      return null;
    } finally {
      if (this.#handshaking === conn) this.#handshaking = null;
    }
  }

  /** A TLS handshake failed: the end of the client if it was refused, else a failed attempt. */
  #tlsFailed(error: unknown): void {
    const failure = classifyTlsError(error);
    const message = `Cannot connect to ${this.#options.host}:${this.#options.port}: ` +
      failure.reason;
    this.#call((now) =>
      failure.permanent
        ? this.#core.refused(now, { code: failure.code, message })
        : this.#core.connectFailed(now, failure.reason)
    );
  }

  async #readLoop(conn: HubConn): Promise<void> {
    const buffer = new Uint8Array(READ_BYTES);
    let why = "the hub closed the connection";
    // A plaintext connection's first bytes tell a TLS port (its alert) from a hub.
    let first = this.#options.tls === undefined;
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
      if (first) {
        this.#cancelProbe();
        if (looksLikeTls(bytes)) return this.#tlsRequired();
        first = false;
      }
      this.#call((now) => this.#core.receive(now, bytes));
    }
  }

  #tlsRequired(): void {
    const { host, port } = this.#options;
    const message = `Cannot connect to ${host}:${port}: the server speaks TLS only ` +
      "(connect with --tls, or --ca FILE for its certificate)";
    this.#call((now) => this.#core.refused(now, { code: "TLS_REQUIRED", message }));
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
    this.#dialId++; // a dial in progress is no longer wanted
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null) closeQuietly(conn);
    this.#cancelProbe();
    // A handshake that stalls must not hold its socket once the dial is given up.
    if (this.#handshaking !== null) closeQuietly(this.#handshaking);
    this.#handshaking = null;
  }

  #cancelProbe(): void {
    clearTimeout(this.#probe);
    this.#probe = undefined;
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

function reason(error: unknown): string {
  if (error instanceof Deno.errors.ConnectionRefused) return "connection refused";
  if (error instanceof Deno.errors.ConnectionReset) return "connection reset";
  return error instanceof Error ? error.message : String(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
