/**
 * The chat client's policy, sans-IO: one connection to the hub at a time, the login, and what
 * becomes of the session when a connection is lost: reconnection with back-off, requests kept
 * for the next connection or failed, a name taken meanwhile, quitting. The driver reports what
 * its socket did, with `now`; it pulls actions, bytes to write, and the next deadline.
 * @module
 */

import { backoff } from "./backoff.ts";
import type { ClientError } from "./client_errors.ts";
import { ClientReplies } from "./client_replies.ts";
import { joinEvents } from "./join_events.ts";
import { ClientRequests, type OpenRequest } from "./client_requests.ts";
import { historyProblem } from "./client_history.ts";
import { badHistory, SessionRestore } from "./session_restore.ts";
import { LOBBY } from "./room_rules.ts";
import { ClientSession, type OutgoingRequest, type SessionEvent } from "./client_session.ts";
import type { ServerMessage } from "./events.ts";
import { ActionQueue } from "./action_queue.ts";
import {
  LoginCredentials,
  type LoginSecrets,
  NAME_REFUSALS,
  PASSWORD_REFUSALS,
} from "./client_login.ts";
import type {
  ClientAction,
  ClientCoreOptions,
  ClientPhase,
  ClientStatus,
} from "./client_actions.ts";

/** Time to open a TCP connection and receive the hub's `hello`, in ms. */
export const CONNECT_TIMEOUT_MS = 5000;
/** How long `quit` waits for the hub's `bye`, in ms. */
export const QUIT_WAIT_MS = 1000;
const CLOSED: ClientError = { code: "CLOSED", message: "Client is closed" };

type Hello = ServerMessage & { type: "hello" };

/**
 * The whole client side of a chat session, sans-IO. After each call, drain
 * {@linkcode pollAction} and {@linkcode takeOutput}, and call {@linkcode handleTimeout} at
 * {@linkcode pollTimeout}.
 *
 * @example
 * ```ts
 * import { ClientCore } from "./client_core.ts";
 * const core = new ClientCore(0);
 * core.pollAction(); // { kind: "dial" }
 * core.connected(5);
 * core.receive(5, new TextEncoder().encode('{"type":"hello","protocol":1,"server":"s","heartbeatMs":15000}\n'));
 * core.pollAction(); // { kind: "status", status: { kind: "connected" } }
 * const login = core.login(6, "ann"); // the login line is in core.takeOutput()
 * ```
 */
export class ClientCore {
  readonly #options: Required<ClientCoreOptions>;
  readonly #actions = new ActionQueue<ClientAction>();
  #phase: ClientPhase = "dialing";
  #session: ClientSession | null = null;
  #deadline: number;
  #attempt = 0;
  #nextHandle = 1;
  readonly #requests = new ClientRequests();
  /** The name logged in with; kept across connections. */
  #name: string | null = null;
  /** A login in progress: its wire id, the name, and the user's handle (none when automatic). */
  #login: { wire: number; name: string; handle: number | null } | null = null;
  /** The passwords every login gives, kept across connections. */
  readonly #credentials = new LoginCredentials();
  /** The name the user chose after a refusal, and the handle to settle when it is welcomed. */
  #wanted: { name: string; handle: number } | null = null;
  #quitWire: number | null = null;
  #hello: Hello | null = null;
  /** The rooms, away text and history a new connection restores. */
  readonly #restore = new SessionRestore(this.#actions);
  readonly #rooms = this.#restore.rooms;
  readonly #seen = this.#restore.seen;
  readonly #replies = new ClientReplies(this.#actions, {
    requests: this.#requests,
    restore: this.#restore,
  });

  /** @param now the time of the first dial, which the driver finds as the first action */
  constructor(now: number, options: ClientCoreOptions = {}) {
    this.#options = {
      hub: options.hub ?? "the hub",
      reconnect: options.reconnect ?? true,
      onNameRefused: options.onNameRefused ?? "end",
      random: options.random ?? (() => 0.5),
    };
    this.#deadline = now + CONNECT_TIMEOUT_MS;
    this.#actions.push({ kind: "dial" });
  }

  /** Where the session stands. */
  get phase(): ClientPhase {
    return this.#phase;
  }

  /** Whether requests go out now (rather than wait for a connection, or fail). */
  get online(): boolean {
    return this.#phase === "online" || this.#phase === "ready";
  }

  /** The name logged in with, once logged in. */
  get name(): string | null {
    return this.#name;
  }

  /** The hub's greeting on the latest connection. */
  get hello(): Hello | null {
    return this.#hello;
  }

  /** The rooms the session is in, in the order joined (`#lobby` first, unless parted). */
  get rooms(): string[] {
    return this.#rooms.names;
  }

  /** The next thing the driver must do, or `null`. */
  pollAction(): ClientAction | null {
    return this.#actions.take();
  }

  /** Bytes to write to the current connection, or `null`. */
  takeOutput(): Uint8Array | null {
    return this.#session?.takeOutput() ?? null;
  }

  /** When {@linkcode handleTimeout} must run next, or `null` once closed. */
  pollTimeout(): number | null {
    switch (this.#phase) {
      case "ready":
      case "relogging":
      case "online":
        return this.#session!.nextTimeout();
      case "needName":
      case "closed":
        return null;
      default:
        return this.#deadline;
    }
  }

  /** The connection asked for by `dial` is open. */
  connected(now: number): void {
    if (this.#phase !== "dialing") return;
    this.#phase = "greeting";
    this.#session = new ClientSession(now);
  }

  /** The connection asked for by `dial` could not be opened. */
  connectFailed(now: number, reason: string): void {
    if (this.#phase !== "dialing") return;
    this.#attemptFailed(now, {
      code: "CONNECT_FAILED",
      message: `Cannot connect to ${this.#options.hub}: ${reason}`,
    });
  }

  /**
   * The hub cannot be spoken to as this client is set up (TLS where it speaks none, a
   * certificate not trusted): the client ends with `error` at once, even with a session to
   * keep, since trying again would meet the same refusal.
   */
  refused(_now: number, error: ClientError): void {
    if (this.#phase !== "dialing" && this.#phase !== "greeting") return;
    this.#end(error);
  }

  /** Bytes arrived on the current connection. */
  receive(now: number, bytes: Uint8Array): void {
    const session = this.#session;
    if (session === null) return;
    for (const event of session.receive(bytes, now)) {
      if (this.#session !== session) return; // the connection was given up meanwhile
      this.#onSessionEvent(now, event);
    }
  }

  /** The current connection closed, failed, or could not be written. */
  lost(now: number, reason: string): void {
    if (this.#session === null) return;
    this.#connectionEnded(now, reason);
  }

  /** Sends a request, or keeps it for the next connection; returns its handle. */
  request(now: number, request: OutgoingRequest): number {
    const handle = this.#nextHandle++;
    const entry = { handle, request };
    if (this.#phase === "closed" || this.#phase === "quitting") {
      this.#fail(handle, CLOSED);
    } else if (this.online) {
      this.#send(now, entry);
    } else {
      const refused = this.#requests.keep(entry);
      if (refused !== null) this.#fail(handle, refused);
    }
    return handle;
  }

  /**
   * Logs in as `name`: on the first connection once greeted, or after a refused login when
   * {@linkcode phase} is `needName` (the client then connects again). Settled with the
   * `welcome`, or failed with the refusal.
   */
  login(now: number, name: string, secrets: LoginSecrets = {}): number {
    const handle = this.#nextHandle++;
    this.#credentials.keep(name, secrets);
    if (this.#phase === "ready" && this.#login === null) {
      const wire = this.#session!.request(this.#credentials.login(name), now);
      this.#login = { wire, name, handle };
    } else if (this.#phase === "needName") {
      this.#wanted = { name, handle };
      this.#dial(now);
    } else {
      const message = this.#phase === "online"
        ? `Logged in as '${this.#name}' already`
        : "Cannot log in now";
      this.#fail(handle, { code: "ALREADY_LOGGED_IN", message });
    }
    return handle;
  }

  /**
   * Keeps `password` as the account password of `name`, for the logins after reconnecting (after
   * a `register` or a `password` change the hub accepted). Never logged.
   */
  rememberPassword(name: string, password: string): void {
    this.#credentials.keep(name, { password });
  }

  /**
   * Says goodbye (waiting up to {@linkcode QUIT_WAIT_MS} for `bye`) and ends; `text` is shown
   * to the others in their `leave`.
   */
  quit(now: number, text?: string): void {
    if (this.#phase === "closed" || this.#phase === "quitting") return;
    if (this.#phase === "ready" || this.#phase === "online" || this.#phase === "relogging") {
      if (this.#login?.handle != null) this.#fail(this.#login.handle, CLOSED);
      this.#login = null;
      this.#phase = "quitting";
      this.#deadline = now + QUIT_WAIT_MS;
      const goodbye = text === undefined ? {} : { text };
      this.#quitWire = this.#session!.request({ type: "quit", ...goodbye }, now);
      return;
    }
    this.#end(null);
  }

  /** Runs what is due at `now`: a dial, a connection given up, a heartbeat. */
  handleTimeout(now: number): void {
    switch (this.#phase) {
      case "dialing":
      case "greeting":
        if (now < this.#deadline) return;
        return this.#attemptFailed(now, {
          code: "CONNECT_FAILED",
          message:
            `Cannot connect to ${this.#options.hub}: no greeting within ${CONNECT_TIMEOUT_MS} ms`,
        });
      case "backoff":
        if (now >= this.#deadline) this.#dial(now);
        return;
      case "quitting":
        if (now >= this.#deadline) this.#end(null);
        return;
      case "ready":
      case "relogging":
      case "online":
        if (this.#session!.tick(now)) this.#connectionEnded(now, "The hub went silent");
        return;
    }
  }

  #onSessionEvent(now: number, event: SessionEvent): void {
    switch (event.kind) {
      case "reply":
        return this.#onReply(now, event.id, event.message);
      case "failed":
        return this.#onFailedReply(now, event.id, event.error);
      case "event":
        return this.#onEvent(now, event.message);
      case "skipped":
        return this.#actions.push({ kind: "notice", error: event.error });
      case "overlong":
        return this.#replies.overlong(event.pending);
    }
  }

  #onEvent(now: number, message: ServerMessage): void {
    if (message.type === "hello" && this.#phase === "greeting") return this.#greeted(now, message);
    if (message.type === "error" && this.#phase === "greeting") {
      // An error before the greeting is a refusal (SERVER_FULL, TOO_MANY_CONNECTIONS...).
      const refusal = `${this.#options.hub} refused the connection: ${message.message}`;
      return this.#attemptFailed(now, { code: message.code, message: refusal });
    }
    if (message.type === "hello" || message.type === "ping") return;
    if (this.#refusedHistory(message)) return;
    if (message.type === "joins") {
      for (const join of joinEvents(message, this.#name)) {
        this.#actions.push({ kind: "event", message: join });
      }
      return;
    }
    if (this.#name !== null) this.#seen.note(this.#name, message);
    this.#actions.push({ kind: "event", message });
  }

  #greeted(now: number, hello: Hello): void {
    this.#hello = hello;
    const name = this.#wanted?.name ?? this.#name;
    if (name === null) {
      this.#phase = "ready";
      this.#actions.push({ kind: "status", status: { kind: "connected" } });
      return;
    }
    this.#phase = "relogging";
    // What #lobby said meanwhile comes with the catch-up, not as a replay of its last lines.
    const replay = this.#seen.lastInRoom(LOBBY) === null ? {} : { replay: 0 };
    const wire = this.#session!.request(this.#credentials.login(name, replay), now);
    this.#login = { wire, name, handle: this.#wanted?.handle ?? null };
    this.#wanted = null;
  }

  #onReply(now: number, wire: number, message: ServerMessage): void {
    if (this.#login?.wire === wire) return this.#onLoginReply(now, message);
    if (this.#quitWire === wire) return this.#end(null);
    const renamed = this.#replies.answered(wire, message, this.#name ?? "", this.#sender(now));
    if (renamed !== null) this.#name = renamed;
  }

  #onLoginReply(now: number, message: ServerMessage): void {
    const login = this.#login!;
    this.#login = null;
    if (message.type === "welcome") return this.#welcomed(now, login, message);
    const error: ClientError = message.type === "error"
      ? { code: message.code, message: message.message }
      : { code: "BAD_SERVER_LINE", message: `The hub answered a login with '${message.type}'` };
    if (login.handle !== null) this.#fail(login.handle, error);
    // On the first connection the user tries another name; on a new one, the core decides.
    if (this.#phase === "ready") return;
    if (PASSWORD_REFUSALS.has(error.code)) return this.#passwordRefused(login.name, error);
    if (!NAME_REFUSALS.has(error.code)) return this.#attemptFailed(now, error);
    this.#nameRefused(login.name, error);
  }

  #welcomed(
    now: number,
    login: { name: string; handle: number | null },
    welcome: ServerMessage,
  ): void {
    const reconnected = this.#phase === "relogging";
    this.#name = login.name;
    this.#phase = "online";
    this.#attempt = 0;
    if (login.handle !== null) {
      this.#actions.push({ kind: "reply", handle: login.handle, message: welcome });
    }
    if (!reconnected) return;
    this.#actions.push({ kind: "status", status: { kind: "reconnected", name: login.name } });
    this.#restore.restore(this.#sender(now));
    for (const entry of this.#requests.takeKept()) this.#send(now, entry);
  }

  /** Whether `message` is a history line `me` may not be shown; if so, the user is told. */
  #refusedHistory(message: ServerMessage): boolean {
    const problem = this.#name === null ? null : historyProblem(this.#name, message);
    if (problem !== null) this.#actions.push({ kind: "notice", error: badHistory(problem) });
    return problem !== null;
  }

  /** A new login was refused for its name: ask for another, or end, as configured. */
  #nameRefused(name: string, error: ClientError): void {
    this.#hangup();
    if (this.#options.onNameRefused === "end") {
      const message = `Cannot log in again as '${name}' after reconnecting: ${error.message}`;
      return this.#end({ code: error.code, message });
    }
    this.#phase = "needName";
    this.#actions.push({ kind: "status", status: { kind: "name_refused", name, error } });
  }

  /** A login after reconnecting was refused for its password: the same one cannot do better. */
  #passwordRefused(name: string, error: ClientError): void {
    this.#hangup();
    const message = `Cannot log in again as '${name}' after reconnecting: ${error.message}`;
    this.#end({ code: error.code, message });
  }

  #onFailedReply(now: number, wire: number, error: ClientError): void {
    if (this.#login?.wire === wire) {
      const login = this.#login;
      this.#login = null;
      if (login.handle !== null) this.#fail(login.handle, error);
      if (this.#phase === "relogging") this.#attemptFailed(now, error);
      return;
    }
    if (this.#quitWire === wire) return this.#end(null);
    this.#replies.failed(wire, error, this.#name ?? "", this.#sender(now));
  }

  /** The current connection is over (closed, reset, silent): reconnect, or end. */
  #connectionEnded(now: number, reason: string): void {
    const phase = this.#phase;
    if (phase === "quitting") return this.#end(null);
    if (phase === "greeting" || phase === "relogging") {
      const code = phase === "greeting" ? "CONNECT_FAILED" : "CONNECTION_LOST";
      return this.#attemptFailed(now, {
        code,
        message: `Cannot connect to ${this.#options.hub}: ${reason}`,
      });
    }
    const lost: ClientError = {
      code: "CONNECTION_LOST",
      message: `Connection to the hub was lost: ${reason}`,
    };
    if (phase === "ready" || !this.#options.reconnect) return this.#end(lost);
    this.#hangup();
    for (const entry of this.#requests.connectionLost()) this.#fail(entry.handle, lost);
    this.#actions.push({ kind: "status", status: { kind: "disconnected", reason: lost.message } });
    this.#backoff(now, lost.message);
  }

  /** A dial or a new login failed: try again later, or end if there is no session to keep. */
  #attemptFailed(now: number, error: ClientError): void {
    this.#hangup();
    if (this.#name === null && this.#wanted === null) return this.#end(error);
    this.#backoff(now, error.message);
  }

  #backoff(now: number, reason: string): void {
    this.#attempt++;
    const delayMs = backoff(this.#attempt, this.#options.random);
    this.#phase = "backoff";
    this.#deadline = now + delayMs;
    const status: ClientStatus = { kind: "reconnecting", attempt: this.#attempt, delayMs, reason };
    this.#actions.push({ kind: "status", status });
  }

  #dial(now: number): void {
    this.#phase = "dialing";
    this.#deadline = now + CONNECT_TIMEOUT_MS;
    this.#actions.push({ kind: "dial" });
  }

  /** Sends a request of the core's own on the current connection; returns its wire id. */
  #sender(now: number): (request: OutgoingRequest) => number {
    return (request) => this.#session!.request(request, now);
  }

  #send(now: number, entry: OpenRequest): void {
    this.#requests.sent(this.#session!.request(entry.request, now), entry);
  }

  #fail(handle: number, error: ClientError): void {
    this.#actions.push({ kind: "fail", handle, error });
  }

  /** Drops the current connection (or the dial in progress), if any. */
  #hangup(): void {
    if (this.#session === null && this.#phase !== "dialing") return;
    this.#session = null;
    this.#login = null;
    this.#quitWire = null;
    this.#restore.connectionEnded();
    this.#actions.push({ kind: "hangup" });
  }

  /** Ends the client: every request still open fails with `error` (or `CLOSED`). */
  #end(error: ClientError | null): void {
    if (this.#phase === "closed") return;
    this.#hangup();
    this.#phase = "closed";
    const failure = error ?? CLOSED;
    for (const entry of this.#requests.takeAll()) this.#fail(entry.handle, failure);
    if (this.#wanted !== null) this.#fail(this.#wanted.handle, failure);
    this.#wanted = null;
    this.#actions.push({ kind: "ended", error });
  }
}
