/**
 * The chat hub: who is online, who said what to whom, and every rule a client must keep.
 * Sans-IO: the driver reports connections, bytes and the time; the hub queues output per
 * connection and asks for the rest through actions.
 * @module
 */

import { addressKey } from "./address_key.ts";
import { Admission } from "./admission.ts";
import { type ErrorCode, leaveReasonFor, type ProtocolError, protocolError } from "./errors.ts";
import type { LeaveReason, ServerMessage } from "./events.ts";
import type { ConnId, GatewaySink, HubAction, HubOptions, LogRecord } from "./hub_types.ts";
import { MAX_PROTOCOL_ERRORS } from "./limits.ts";
import { LineArena } from "./line_arena.ts";
import { ActionQueue } from "./action_queue.ts";
import { driverAction } from "./driver_action.ts";
import { createHubClient, type HubClient as Client } from "./hub_client.ts";
import { helloLine, type HubSettings, resolveHubOptions } from "./hub_options.ts";
import { HubHistory } from "./hub_history.ts";
import { type AccountResult, HubAccounts, type LoginRequest } from "./hub_accounts.ts";
import { HubPresence } from "./hub_presence.ts";
import { HubRooms, type RoomOutlet } from "./hub_rooms.ts";
import { listPages, type ListReply } from "./list_pages.ts";
import { loginRefusal, welcomeMessage } from "./login.ts";
import { checkName, nameKey } from "./names.ts";
import { quitText } from "./presence_rules.ts";
import { checkRoomName } from "./room_rules.ts";
import { meter } from "./metering.ts";
import { isLoopback } from "./password_rules.ts";
import { forProtocol } from "./account_errors.ts";
import { parseRequest, type Request, type RequestId, textRefusal } from "./requests.ts";

/**
 * The hub's whole state. Call {@linkcode Hub.pollAction} after every other call until it
 * returns `null`, {@linkcode Hub.tick} about once a second, and {@linkcode Hub.handleTimeout}
 * at {@linkcode Hub.pollTimeout} (held joins). Every `now` must come from a
 * monotonic clock: the deadlines (login, heartbeat, idle, rate) run on it, and a wall clock
 * that jumps would drop everyone; the times shown to people come from `wallClock`.
 *
 * @example
 * ```ts
 * import { Hub } from "./hub.ts";
 * const hub = new Hub();
 * const conn = hub.connect(0);
 * hub.receive(conn, new TextEncoder().encode('{"type":"login","name":"ann"}\n'), 0);
 * new TextDecoder().decode(hub.takeOutput(conn)!); // hello and welcome lines
 * ```
 */
export class Hub {
  readonly #clients = new Map<ConnId, Client>();
  readonly #members = new Map<string, Client>();
  readonly #actions = new ActionQueue<HubAction>();
  // Broadcasts and lines to one client take separate slabs, so that consecutive broadcasts
  // sit side by side in every recipient's queue and are written without copying.
  readonly #shared = new LineArena();
  readonly #direct = new LineArena();
  readonly #options: HubSettings;
  readonly #admission: Admission<Client>;
  readonly #hello: Uint8Array;
  readonly #rooms: HubRooms;
  readonly #presence: HubPresence;
  readonly #history: HubHistory;
  readonly #accounts: HubAccounts;
  #nextConn = 1;
  #backlogged = 0;
  #shuttingDown = false;

  /** @param options limits and timings; see {@linkcode HubOptions} for defaults */
  constructor(options: HubOptions = {}) {
    this.#options = resolveHubOptions(options);
    this.#admission = new Admission(this.#options);
    this.#hello = helloLine(this.#options);
    this.#history = new HubHistory(this.#options.history, (action) => this.#actions.push(action));
    const outlet: RoomOutlet = {
      send: (client, line, now) => this.#send(client, line, now),
      sendList: (client, reply, now) => this.#sendList(client, reply, now),
      refuse: (client, error, re, now) => this.#replyError(client, error, re, now),
      encodeShared: (message) => this.#shared.encode(message),
      encodeDirect: (message) => this.#direct.encode(message),
      wall: (now) => this.#wall(now),
      record: (message) => this.#history.record(message),
      replay: (client, room, count) => this.#history.replay(client, room, count),
      saveRoom: (room) => this.#history.saveRoom(room),
    };
    this.#rooms = new HubRooms(outlet, this.#options);
    this.#rooms.restore(this.#options.history?.rooms ?? []);
    this.#presence = new HubPresence(outlet, {
      members: this.#members,
      registry: this.#rooms.registry,
      changed: (client) => this.#rooms.presenceChanged(client),
    });
    this.#accounts = new HubAccounts({
      reply: (client, message, re, now) =>
        this.#send(
          client,
          this.#direct.encode(withRe({ ...message, ts: this.#wall(now) }, re)),
          now,
        ),
      refuse: (client, error, re, now) => this.#replyError(client, error, re, now),
      push: (action) => this.#actions.push(action),
      enter: (client, request, now) => this.#login(client, request, now),
      connected: (client) => this.#clients.get(client.conn) === client,
    }, this.#options);
  }

  /** Connections open, logged in or not. */
  get connectionCount(): number {
    return this.#clients.size;
  }

  /** Names of the users logged in, in the order they joined (a rename counts as joining). */
  get userNames(): string[] {
    return [...this.#members.values()].map((c) => c.name!);
  }

  /**
   * Registers a new connection and greets it, or refuses it (shutting down, full, too many from
   * its address); returns its id. A newcomer to a full room may take the place of a connection
   * still waiting to log in (see {@linkcode Admission}), which is then closed.
   *
   * @param address where the peer connects from (its IP address; an IPv6 one counts by its
   *   /64, see {@linkcode addressKey}); without one, the connection is not limited per address
   * @param options `secure`: the transport is TLS (default false), kept on the client record;
   *   it may then carry passwords, which a plaintext one may only from loopback (unless
   *   `allowInsecureLogin`); `gateway`: the connection is an in-process gateway's (an IRC
   *   link), which takes `names` answers as values (see {@linkcode GatewaySink})
   */
  connect(
    now: number,
    address?: string,
    options: { secure?: boolean; gateway?: GatewaySink } = {},
  ): ConnId {
    const conn = this.#nextConn++;
    const key = address === undefined ? null : addressKey(address);
    const loopback = address !== undefined && isLoopback(address);
    const secure = options.secure ?? false;
    const gateway = options.gateway ?? null;
    const client = createHubClient(conn, now, this.#options, key, { secure, loopback, gateway });
    this.#clients.set(conn, client);
    const verdict = this.#admission.admit(client);
    if (this.#shuttingDown) {
      this.#fail(client, { code: "SHUTTING_DOWN", message: "Server is shutting down" }, now);
    } else if (verdict.kind === "refuse") {
      this.#fail(client, verdict.error, now);
    } else {
      if (verdict.kind === "displace") this.#fail(verdict.victim, verdict.error, now);
      this.#send(client, this.#hello, now);
      const tls = client.secure ? { detail: "tls" } : {};
      this.#log({ level: "info", event: "connect", conn, ...addressOf(client), ...tls });
    }
    return conn;
  }

  /** Feeds bytes read from a connection. */
  receive(conn: ConnId, bytes: Uint8Array, now: number): void {
    const client = this.#clients.get(conn);
    if (client === undefined) return;
    client.lastHeardAt = now;
    for (const result of client.decoder.push(bytes)) {
      if (!this.#clients.has(conn)) return;
      if (!result.ok) {
        this.#badLine(client, result.error, undefined, now);
        continue;
      }
      const parsed = parseRequest(result.line);
      if (parsed.ok) {
        this.#handle(client, parsed.request, now);
      } else {
        this.#badLine(client, parsed.error, parsed.re, now);
      }
    }
  }

  /** Reports that a connection closed or failed without a goodbye. */
  disconnect(conn: ConnId, now: number): void {
    const client = this.#clients.get(conn);
    if (client !== undefined) this.#remove(client, "disconnect", now);
  }

  /**
   * When {@linkcode handleTimeout} must next be called, or `null` for never: the first of the
   * rooms' held joins is due then (see `PRESENCE_COALESCE_MS`). A pure read.
   */
  pollTimeout(): number | null {
    return this.#rooms.pollTimeout();
  }

  /** Announces the joins held until `now`. */
  handleTimeout(now: number): void {
    this.#rooms.handleTimeout(now);
  }

  /** Runs the timers: login deadline, heartbeats, idle timeout (and joins held too long). */
  tick(now: number): void {
    this.#rooms.handleTimeout(now);
    const { heartbeatMs, idleTimeoutMs, loginTimeoutMs } = this.#options;
    let ping: Uint8Array | null = null;
    for (const client of this.#clients.values()) {
      if (client.name === null && now - client.connectedAt >= loginTimeoutMs) {
        this.#fail(client, { code: "LOGIN_TIMEOUT", message: "No login in time" }, now);
      } else if (now - client.lastHeardAt >= idleTimeoutMs) {
        this.#fail(client, { code: "IDLE_TIMEOUT", message: "Nothing heard for too long" }, now);
      } else if (
        now - client.lastHeardAt >= heartbeatMs && now - client.lastPingAt >= heartbeatMs
      ) {
        client.lastPingAt = now;
        ping ??= this.#direct.encode({ type: "ping", ts: this.#wall(now) });
        this.#send(client, ping, now);
      }
    }
  }

  /** Tells every client the server is stopping and closes them all; refuses newcomers. */
  shutdown(now: number, reason = "Server is shutting down"): void {
    this.#shuttingDown = true;
    const notice = this.#shared.encode({ type: "shutdown", reason });
    for (const client of [...this.#clients.values()]) {
      if (!this.#clients.has(client.conn)) continue;
      client.queue.force(notice);
      this.#markDirty(client);
      this.#close(client, "SHUTTING_DOWN", "shutdown", now);
    }
  }

  /**
   * Sends a reply the driver produced for an action (files, transfers); ignored if gone.
   * A list too long for one line goes out in pages (see {@linkcode listPages}).
   */
  reply(conn: ConnId, message: ServerMessage, now: number): void {
    const client = this.#clients.get(conn);
    if (client === undefined) return;
    if (message.type === "users" || message.type === "files" || message.type === "history") {
      return this.#sendList(client, message, now);
    }
    this.#send(client, this.#direct.encode(message), now);
  }

  /**
   * Takes the driver's answer to an account action (a password checked, an account made or
   * changed); ignored if nothing waits for it.
   */
  accountDone(result: AccountResult, now: number): void {
    this.#accounts.done(result, now);
  }

  /** Tells every logged-in user something (a file appeared, say). */
  announce(message: ServerMessage, now: number): void {
    this.#broadcast(this.#shared.encode(message), null, now);
  }

  /**
   * Takes all output queued for a connection as one buffer, or `null` if none. The buffer may
   * be shared with other connections (a broadcast is encoded once): never modify it.
   */
  takeOutput(conn: ConnId): Uint8Array | null {
    const client = this.#clients.get(conn) ?? this.#closing.get(conn);
    if (client === undefined) return null;
    client.dirty = false;
    this.#clearBacklog(client);
    return client.queue.take();
  }

  /**
   * Connections whose queue holds `backlogBytes` or more. The driver stops reading
   * while there are any (besides peers that stopped reading), so that senders cannot outrun
   * delivery and have every receiver dropped as a slow consumer.
   */
  get backloggedClients(): number {
    return this.#backlogged;
  }

  /** The next thing the driver must do, or `null`. */
  pollAction(): HubAction | null {
    return this.#actions.take();
  }

  // Connections removed from the room whose last lines still wait to be written.
  readonly #closing = new Map<ConnId, Client>();

  /** Forgets a connection the driver has closed. */
  closed(conn: ConnId): void {
    this.#closing.delete(conn);
  }

  #handle(client: Client, request: Request, now: number): void {
    if (request.type === "pong") return;
    if (request.type === "quit") {
      this.#send(client, this.#direct.encode(withRe({ type: "bye" }, request.id)), now);
      return this.#close(client, "QUIT", "quit", now, quitText(request.text));
    }
    const refusal = meter(client, request, now);
    if (refusal?.abuse) return this.#badLine(client, refusal.error, request.id, now);
    client.errorsInRow = 0;
    if (refusal) return this.#replyError(client, refusal.error, request.id, now);
    switch (request.type) {
      case "login":
        return this.#login(client, request, now);
      case "authenticate":
        return this.#authenticate(client, request, now);
      case "ping":
        return this.#send(client, this.#direct.encode(withRe({ type: "pong" }, request.id)), now);
    }
    this.#handleMember(client, client.name!, request, now);
  }

  #handleMember(client: Client, name: string, request: Request, now: number): void {
    const re = request.id === undefined ? {} : { re: request.id };
    if (request.type === "say" || request.type === "msg") {
      const refused = textRefusal(request.text);
      if (refused !== null) return this.#replyError(client, refused, request.id, now);
    }
    const ts = this.#wall(now);
    switch (request.type) {
      case "say": {
        const said = this.#rooms.say(client, request, now);
        if ("code" in said) return this.#replyError(client, said, request.id, now);
        client.lastSpokeAt = now;
        return this.#send(client, this.#direct.encode({ type: "ok", ...re, ts, id: said.id }), now);
      }
      case "msg":
        return this.#private(client, name, request, now);
      case "users": {
        this.#rooms.flushJoins(now);
        const users = [...this.#members.values()].map((c) => ({
          name: c.name!,
          since: c.joinedAt,
        }));
        return this.#sendList(client, { type: "users", ...re, users }, now);
      }
      case "join":
      case "part":
      case "rooms":
      case "topic":
      case "names":
        return this.#rooms.handle(client, request, now);
      case "nick": {
        const refused = this.#accounts.nickRefusal(client, request.name);
        if (refused !== null) {
          return this.#replyError(client, forProtocol(refused, client.protocol), request.id, now);
        }
        // Whoever hears of the rename has heard of the user's join first.
        this.#rooms.flushJoins(now);
        return this.#presence.handle(client, request, now);
      }
      case "away":
        this.#rooms.flushJoins(now);
        return this.#presence.handle(client, request, now);
      case "whois":
        return this.#presence.handle(client, request, now);
      case "register":
      case "password":
        return this.#accounts.handle(client, request, now);
      case "history": {
        const refused = this.#historyRefusal(client, request);
        if (refused !== null) return this.#replyError(client, refused, request.id, now);
        return;
      }
      case "files":
      case "get":
      case "put":
        return this.#actions.push(driverAction(client.conn, name, request));
    }
  }

  /** Checks an account's password before login (IRC's SASL); `ok` once the driver says so. */
  #authenticate(client: Client, request: Request & { type: "authenticate" }, now: number): void {
    const refused = client.name === null
      ? this.#accounts.authenticate(client, request, now)
      : protocolError("ALREADY_LOGGED_IN", `Already logged in as '${client.name}'`);
    if (refused !== null) this.#replyError(client, refused, request.id, now);
  }

  /**
   * Logs a client in, or refuses: the name rules, then the passwords (see `HubAccounts`); a
   * registered name waits for the driver to check its password, then comes back here.
   */
  #login(client: Client, request: LoginRequest, now: number): void {
    const refusal = loginRefusal(client.name, request, (key) => this.#members.has(key));
    if (refusal !== null) return this.#replyError(client, refusal, request.id, now);
    // Back from the driver with the account proven: the gate is passed.
    if (client.account !== nameKey(request.name)) {
      client.account = null;
      const gate = this.#accounts.admit(client, request, now);
      if (gate === "pending") return;
      if (gate !== "guest") {
        return this.#replyError(client, forProtocol(gate, request.protocol), request.id, now);
      }
    }
    client.name = request.name;
    client.protocol = request.protocol;
    const ts = this.#wall(now);
    client.joinedAt = ts;
    this.#admission.loggedIn(client);
    this.#members.set(nameKey(request.name), client);
    this.#rooms.enterLobby(client, now, request.replay);
    const welcome = welcomeMessage(request.name, this.#members.values(), this.#members.size, ts);
    this.#send(client, this.#direct.encode(withRe(welcome, request.id)), now);
    this.#log({ level: "info", event: "login", conn: client.conn, name: request.name });
  }

  #private(client: Client, name: string, request: Request & { type: "msg" }, now: number): void {
    const target = this.#members.get(nameKey(request.to));
    if (target === undefined) {
      const error = protocolError("NO_SUCH_USER", `No user named '${request.to.slice(0, 64)}'`);
      return this.#replyError(client, error, request.id, now);
    }
    const ts = this.#wall(now);
    const to = target.name!;
    const action = request.action === true;
    const id = this.#history.record({
      kind: "private",
      from: name,
      to,
      text: request.text,
      action,
      ts,
    });
    const text = { text: request.text, ...actionOf(request) };
    const message = { type: "message", from: name, to, ...text, id, ts };
    this.#send(target, this.#direct.encode(message), now);
    client.lastSpokeAt = now;
    // The reply names the target as it logged in, which may differ in case from `to`, and
    // says so when the target is away.
    const away = target.away === null ? {} : { away: target.away };
    const ok = withRe({ type: "ok", to: target.name, ...away, ts, id }, request.id);
    this.#send(client, this.#direct.encode(ok), now);
  }

  /**
   * Asks for the history a `history` request wants, or says why not: a room's history is for
   * its members, a private conversation is always the requester's own (see `HubHistory`).
   */
  #historyRefusal(client: Client, request: Request & { type: "history" }): ProtocolError | null {
    if (request.room !== undefined) {
      const invalid = checkRoomName(request.room);
      if (invalid !== null) return invalid;
      if (this.#rooms.registry.get(request.room)?.members.has(client) !== true) {
        return protocolError("NOT_IN_ROOM", `You are not in ${request.room}`);
      }
    } else {
      const invalid = checkName(request.peer!);
      if (invalid !== null) return invalid;
    }
    return this.#history.request(client, request);
  }

  /** Sends a list reply, in pages when it is too long for one line. */
  #sendList(client: Client, reply: ListReply, now: number): void {
    const { pages, skipped } = listPages(reply);
    // A long list is the reply to one request, not the room outrunning its members: it does
    // not pause everyone's reads (a NAMES of #lobby at each of thousands of logins did).
    for (const page of pages) this.#send(client, this.#direct.encode(page), now, false);
    if (skipped > 0) {
      const detail = `${skipped} ${reply.type} entries too long for a line left out`;
      this.#log({ level: "warn", event: "list_truncated", conn: client.conn, detail });
    }
  }

  #broadcast(line: Uint8Array, except: Client | null, now: number): void {
    this.#rooms.flushJoins(now);
    for (const member of this.#members.values()) {
      if (member !== except) this.#send(member, line, now);
    }
  }

  #send(client: Client, line: Uint8Array, now: number, counted = true): void {
    if (!this.#clients.has(client.conn)) return;
    if (!client.queue.push(line)) {
      const error = {
        code: "SLOW_CONSUMER" as const,
        message: "Outbound queue full: reading too slowly",
      };
      return this.#fail(client, error, now);
    }
    // Only members count: the backlog pause keeps senders from outrunning the room, and a
    // connection not logged in receives nothing from the room, only its own replies.
    if (
      counted && !client.backlogged && client.queue.bytes >= this.#options.backlogBytes &&
      client.name !== null
    ) {
      client.backlogged = true;
      this.#backlogged++;
    }
    this.#markDirty(client);
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

  #badLine(client: Client, error: ProtocolError, re: RequestId | undefined, now: number): void {
    client.errorsInRow += 1;
    this.#replyError(client, error, re, now);
    if (client.errorsInRow >= MAX_PROTOCOL_ERRORS && this.#clients.has(client.conn)) {
      this.#fail(client, {
        code: "TOO_MANY_ERRORS",
        message: `${MAX_PROTOCOL_ERRORS} bad lines in a row`,
      }, now);
    }
  }

  #replyError(client: Client, error: ProtocolError, re: RequestId | undefined, now: number): void {
    this.#send(client, this.#direct.encode(withRe({ type: "error", ...error }, re)), now);
  }

  /** Sends a fatal error and closes; the queue limit is waived for this last line. */
  #fail(client: Client, error: ProtocolError, now: number): void {
    if (!this.#clients.has(client.conn)) return;
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
    this.#close(client, error.code, leaveReasonFor(error.code), now);
  }

  #close(
    client: Client,
    code: ErrorCode | "QUIT",
    reason: LeaveReason,
    now: number,
    text?: string,
  ): void {
    this.#remove(client, reason, now, text);
    this.#closing.set(client.conn, client);
    this.#actions.push({ kind: "close", conn: client.conn, code });
  }

  /** Takes a client out of the hub; `text` is its goodbye, shown in the `leave` notices. */
  #remove(client: Client, reason: LeaveReason, now: number, text?: string): void {
    if (!this.#clients.delete(client.conn)) return;
    this.#admission.left(client);
    this.#clearBacklog(client);
    if (client.name === null) return;
    this.#members.delete(nameKey(client.name));
    // In a shutdown everyone is leaving and has been told why: no leave notices, which
    // would be N² lines.
    this.#rooms.leaveAll(client, reason, now, { quiet: this.#shuttingDown, text });
    this.#actions.push({ kind: "gone", conn: client.conn, user: client.name });
    this.#log({ level: "info", event: "leave", conn: client.conn, name: client.name, reason });
  }

  /** The time to show people (`ts`, `since`); `now` itself runs the deadlines. */
  #wall(now: number): number {
    return this.#options.wallClock?.() ?? now;
  }

  #log(record: LogRecord): void {
    this.#actions.push({ kind: "log", record });
  }
}

function withRe<T extends object>(message: T, re: RequestId | undefined): T {
  return re === undefined ? message : { ...message, re };
}

function nameOf(client: Client): { name?: string } {
  return client.name === null ? {} : { name: client.name };
}

function addressOf(client: Client): { address?: string } {
  return client.address === null ? {} : { address: client.address };
}

/** The `action` flag a message carries on, when its request had it. */
function actionOf(request: { action?: true }): { action?: true } {
  return request.action === true ? { action: true } : {};
}
