/**
 * The hub's request dispatch: each parsed request is metered, then handed to the part of the
 * hub that answers it (rooms, presence, accounts, logins, private messages, history, or the
 * driver for files).
 * @module
 */

import type { ActionQueue } from "./action_queue.ts";
import { forProtocol } from "./account_errors.ts";
import { driverAction } from "./driver_action.ts";
import type { HubAccounts } from "./hub_accounts.ts";
import type { HubClient as Client } from "./hub_client.ts";
import type { HubConnections } from "./hub_connections.ts";
import type { HubHistory } from "./hub_history.ts";
import type { HubMembership } from "./hub_membership.ts";
import type { HubPresence } from "./hub_presence.ts";
import type { HubRooms, RoomOutlet } from "./hub_rooms.ts";
import type { HubAction } from "./hub_types.ts";
import { historyAccessRefusal } from "./history_access.ts";
import { meter } from "./metering.ts";
import { quitText } from "./presence_rules.ts";
import type { PrivateMessages } from "./private_messages.ts";
import { type Request, type RequestId, textRefusal } from "./requests.ts";
import { withRe } from "./with_re.ts";

/** The parts of the hub requests go to. */
export interface DispatchParts {
  readonly connections: HubConnections;
  readonly outlet: Pick<RoomOutlet, "encodeDirect" | "wall">;
  readonly rooms: HubRooms;
  readonly presence: HubPresence;
  readonly accounts: HubAccounts;
  readonly membership: HubMembership;
  readonly privates: PrivateMessages;
  readonly history: HubHistory;
  /** Where the requests for the driver (files) go. */
  readonly actions: ActionQueue<HubAction>;
}

/**
 * Routes every request of a connection.
 *
 * @example
 * ```ts ignore
 * const dispatch = new HubDispatch({ connections, outlet, rooms, ... });
 * dispatch.handle(client, { type: "ping", id: 1 }, now); // queues {"type":"pong","re":1}
 * ```
 */
export class HubDispatch {
  readonly #parts: DispatchParts;

  constructor(parts: DispatchParts) {
    this.#parts = parts;
  }

  /** Handles a request a connection sent, logged in or not. */
  handle(client: Client, request: Request, now: number): void {
    const { connections, membership } = this.#parts;
    if (request.type === "pong") return;
    if (request.type === "quit") {
      this.#reply(client, { type: "bye" }, request.id, now);
      return connections.close(client, "QUIT", "quit", now, quitText(request.text));
    }
    const refusal = meter(client, request, now);
    if (refusal?.abuse) return connections.badLine(client, refusal.error, request.id, now);
    client.errorsInRow = 0;
    if (refusal) return connections.refuse(client, refusal.error, request.id, now);
    switch (request.type) {
      case "login":
        return membership.login(client, request, now);
      case "authenticate":
        return membership.authenticate(client, request, now);
      case "ping":
        return this.#reply(client, { type: "pong" }, request.id, now);
    }
    this.#member(client, client.name!, request, now);
  }

  /** A request only a member may make (`meter` has turned it down before a login). */
  #member(client: Client, name: string, request: Request, now: number): void {
    const { rooms, presence, accounts } = this.#parts;
    if (request.type === "say" || request.type === "msg") {
      const refused = textRefusal(request.text);
      if (refused !== null) return this.#parts.connections.refuse(client, refused, request.id, now);
    }
    switch (request.type) {
      case "say":
        return this.#say(client, request, now);
      case "msg":
        return this.#parts.privates.relay(client, name, request, now);
      case "users":
        return this.#users(client, request.id, now);
      case "join":
      case "part":
      case "rooms":
      case "topic":
      case "names":
        return rooms.handle(client, request, now);
      case "nick":
        return this.#nick(client, request, now);
      case "away":
        rooms.flushJoins(now);
        return presence.handle(client, request, now);
      case "whois":
        return presence.handle(client, request, now);
      case "register":
      case "password":
        return accounts.handle(client, request, now);
      case "history":
        return this.#history(client, request, now);
      case "files":
      case "get":
      case "put":
        return this.#parts.actions.push(driverAction(client.conn, name, request));
    }
  }

  #say(client: Client, request: Request & { type: "say" }, now: number): void {
    const { connections, outlet } = this.#parts;
    const ts = outlet.wall(now);
    const said = this.#parts.rooms.say(client, request, now);
    if ("code" in said) return connections.refuse(client, said, request.id, now);
    client.lastSpokeAt = now;
    const re = request.id === undefined ? {} : { re: request.id };
    connections.send(client, outlet.encodeDirect({ type: "ok", ...re, ts, id: said.id }), now);
  }

  #users(client: Client, id: RequestId | undefined, now: number): void {
    this.#parts.rooms.flushJoins(now);
    const users = this.#parts.membership.users();
    const re = id === undefined ? {} : { re: id };
    this.#parts.connections.sendList(client, { type: "users", ...re, users }, now);
  }

  #nick(client: Client, request: Request & { type: "nick" }, now: number): void {
    const { accounts, connections, rooms } = this.#parts;
    const refused = accounts.nickRefusal(client, request.name);
    if (refused !== null) {
      return connections.refuse(client, forProtocol(refused, client.protocol), request.id, now);
    }
    // Whoever hears of the rename has heard of the user's join first.
    rooms.flushJoins(now);
    this.#parts.presence.handle(client, request, now);
  }

  #history(client: Client, request: Request & { type: "history" }, now: number): void {
    const { history, rooms } = this.#parts;
    const refused = historyAccessRefusal(client, request, rooms.registry) ??
      history.request(client, request);
    if (refused !== null) this.#parts.connections.refuse(client, refused, request.id, now);
  }

  #reply(client: Client, message: object, re: RequestId | undefined, now: number): void {
    const { connections, outlet } = this.#parts;
    connections.send(client, outlet.encodeDirect(withRe(message, re)), now);
  }
}
