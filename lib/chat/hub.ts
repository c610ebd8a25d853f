/**
 * The chat hub: who is online, who said what to whom, and every rule a client must keep.
 * Sans-IO: the driver reports connections, bytes and the time; the hub queues output per
 * connection and asks for the rest through actions.
 * @module
 */

import { addressKey } from "./address_key.ts";
import { Admission } from "./admission.ts";
import type { ServerMessage } from "./events.ts";
import type { ConnId, GatewaySink, HubAction, HubOptions, LogRecord } from "./hub_types.ts";
import { LineArena } from "./line_arena.ts";
import { ActionQueue } from "./action_queue.ts";
import { addressOf, createHubClient, type HubClient as Client } from "./hub_client.ts";
import { HubConnections } from "./hub_connections.ts";
import { deadlineDue } from "./hub_deadlines.ts";
import { HubDispatch } from "./hub_dispatch.ts";
import { helloLine, type HubSettings, resolveHubOptions } from "./hub_options.ts";
import { HubHistory } from "./hub_history.ts";
import { type AccountResult, HubAccounts } from "./hub_accounts.ts";
import { HubMembership } from "./hub_membership.ts";
import { HubPresence } from "./hub_presence.ts";
import { HubRooms, type RoomOutlet } from "./hub_rooms.ts";
import { isLoopback } from "./password_rules.ts";
import { PrivateMessages } from "./private_messages.ts";
import { parseRequest } from "./requests.ts";
import { withRe } from "./with_re.ts";

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
  readonly #members = new Map<string, Client>();
  readonly #actions = new ActionQueue<HubAction>();
  // Broadcasts and lines to one client take separate slabs, so that consecutive broadcasts
  // sit side by side in every recipient's queue and are written without copying.
  readonly #shared = new LineArena();
  readonly #direct = new LineArena();
  readonly #options: HubSettings;
  readonly #admission: Admission<Client>;
  readonly #hello: Uint8Array;
  readonly #connections: HubConnections;
  readonly #rooms: HubRooms;
  readonly #history: HubHistory;
  readonly #accounts: HubAccounts;
  readonly #membership: HubMembership;
  readonly #dispatch: HubDispatch;
  #nextConn = 1;
  #shuttingDown = false;

  /** @param options limits and timings; see {@linkcode HubOptions} for defaults */
  constructor(options: HubOptions = {}) {
    this.#options = resolveHubOptions(options);
    this.#admission = new Admission(this.#options);
    this.#hello = helloLine(this.#options);
    this.#history = new HubHistory(this.#options.history, (action) => this.#actions.push(action));
    const connections = this.#connections = new HubConnections({
      actions: this.#actions,
      direct: this.#direct,
      backlogBytes: this.#options.backlogBytes,
      // In a shutdown everyone is leaving and has been told why: no leave notices, which
      // would be N² lines.
      left: (client, reason, now, text) =>
        this.#membership.leave(client, reason, now, { quiet: this.#shuttingDown, text }),
    });
    const outlet = this.#outlet(connections);
    this.#rooms = new HubRooms(outlet, this.#options);
    this.#rooms.restore(this.#options.history?.rooms ?? []);
    this.#accounts = this.#accountsFor(outlet);
    this.#membership = new HubMembership({
      members: this.#members,
      outlet,
      admission: this.#admission,
      rooms: this.#rooms,
      accounts: this.#accounts,
      actions: this.#actions,
    });
    this.#dispatch = this.#dispatchFor(outlet);
  }

  /** Connections open, logged in or not. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Names of the users logged in, in the order they joined (a rename counts as joining). */
  get userNames(): string[] {
    return this.#membership.userNames;
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
    this.#connections.add(client);
    const verdict = this.#admission.admit(client);
    if (this.#shuttingDown) {
      this.#connections.fail(
        client,
        { code: "SHUTTING_DOWN", message: "Server is shutting down" },
        now,
      );
    } else if (verdict.kind === "refuse") {
      this.#connections.fail(client, verdict.error, now);
    } else {
      if (verdict.kind === "displace") this.#connections.fail(verdict.victim, verdict.error, now);
      this.#connections.send(client, this.#hello, now);
      const tls = client.secure ? { detail: "tls" } : {};
      this.#log({ level: "info", event: "connect", conn, ...addressOf(client), ...tls });
    }
    return conn;
  }

  /** Feeds bytes read from a connection. */
  receive(conn: ConnId, bytes: Uint8Array, now: number): void {
    const connections = this.#connections;
    const client = connections.get(conn);
    if (client === undefined) return;
    client.lastHeardAt = now;
    for (const result of client.decoder.push(bytes)) {
      if (!connections.has(conn)) return;
      if (!result.ok) {
        connections.badLine(client, result.error, undefined, now);
        continue;
      }
      const parsed = parseRequest(result.line);
      if (parsed.ok) {
        this.#dispatch.handle(client, parsed.request, now);
      } else {
        connections.badLine(client, parsed.error, parsed.re, now);
      }
    }
  }

  /** Reports that a connection closed or failed without a goodbye. */
  disconnect(conn: ConnId, now: number): void {
    const client = this.#connections.get(conn);
    if (client !== undefined) this.#connections.remove(client, "disconnect", now);
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

  /**
   * Runs the timers: login deadline, heartbeats, idle timeout (see {@linkcode deadlineDue}),
   * and joins held too long.
   */
  tick(now: number): void {
    this.#rooms.handleTimeout(now);
    let ping: Uint8Array | null = null;
    for (const client of this.#connections.values()) {
      const due = deadlineDue(client, now, this.#options);
      if (due === null) continue;
      if (due !== "ping") {
        this.#connections.fail(client, due, now);
        continue;
      }
      client.lastPingAt = now;
      ping ??= this.#direct.encode({ type: "ping", ts: this.#wall(now) });
      this.#connections.send(client, ping, now);
    }
  }

  /** Tells every client the server is stopping and closes them all; refuses newcomers. */
  shutdown(now: number, reason = "Server is shutting down"): void {
    this.#shuttingDown = true;
    this.#connections.closeAll(this.#shared.encode({ type: "shutdown", reason }), now);
  }

  /**
   * Sends a reply the driver produced for an action (files, transfers); ignored if gone.
   * A list too long for one line goes out in pages (see `listPages`).
   */
  reply(conn: ConnId, message: ServerMessage, now: number): void {
    const client = this.#connections.get(conn);
    if (client === undefined) return;
    if (message.type === "users" || message.type === "files" || message.type === "history") {
      return this.#connections.sendList(client, message, now);
    }
    this.#connections.send(client, this.#direct.encode(message), now);
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
    const line = this.#shared.encode(message);
    this.#rooms.flushJoins(now);
    for (const member of this.#members.values()) this.#connections.send(member, line, now);
  }

  /**
   * Takes all output queued for a connection as one buffer, or `null` if none. The buffer may
   * be shared with other connections (a broadcast is encoded once): never modify it.
   */
  takeOutput(conn: ConnId): Uint8Array | null {
    return this.#connections.take(conn);
  }

  /**
   * Connections whose queue holds `backlogBytes` or more. The driver stops reading
   * while there are any (besides peers that stopped reading), so that senders cannot outrun
   * delivery and have every receiver dropped as a slow consumer.
   */
  get backloggedClients(): number {
    return this.#connections.backlogged;
  }

  /** The next thing the driver must do, or `null`. */
  pollAction(): HubAction | null {
    return this.#actions.take();
  }

  /** Forgets a connection the driver has closed. */
  closed(conn: ConnId): void {
    this.#connections.closed(conn);
  }

  /** What the rooms, presence, logins and private messages send through. */
  #outlet(connections: HubConnections): RoomOutlet {
    return {
      send: (client, line, now) => connections.send(client, line, now),
      sendList: (client, reply, now) => connections.sendList(client, reply, now),
      refuse: (client, error, re, now) => connections.refuse(client, error, re, now),
      encodeShared: (message) => this.#shared.encode(message),
      encodeDirect: (message) => this.#direct.encode(message),
      wall: (now) => this.#wall(now),
      record: (message) => this.#history.record(message),
      replay: (client, room, count) => this.#history.replay(client, room, count),
      saveRoom: (room) => this.#history.saveRoom(room),
    };
  }

  /** The request dispatch, with the parts only it calls: presence and private messages. */
  #dispatchFor(outlet: RoomOutlet): HubDispatch {
    const presence = new HubPresence(outlet, {
      members: this.#members,
      registry: this.#rooms.registry,
      changed: (client) => this.#rooms.presenceChanged(client),
    });
    return new HubDispatch({
      connections: this.#connections,
      outlet,
      rooms: this.#rooms,
      presence,
      accounts: this.#accounts,
      membership: this.#membership,
      privates: new PrivateMessages(outlet, this.#members),
      history: this.#history,
      actions: this.#actions,
    });
  }

  /** The accounts, answering through `outlet` and logging in through the membership. */
  #accountsFor(outlet: RoomOutlet): HubAccounts {
    return new HubAccounts({
      reply: (client, message, re, now) =>
        outlet.send(
          client,
          this.#direct.encode(withRe({ ...message, ts: this.#wall(now) }, re)),
          now,
        ),
      refuse: outlet.refuse,
      push: (action) => this.#actions.push(action),
      enter: (client, request, now) => this.#membership.login(client, request, now),
      connected: (client) => this.#connections.get(client.conn) === client,
    }, this.#options);
  }

  /** The time to show people (`ts`, `since`); `now` itself runs the deadlines. */
  #wall(now: number): number {
    return this.#options.wallClock?.() ?? now;
  }

  #log(record: LogRecord): void {
    this.#actions.push({ kind: "log", record });
  }
}
