/**
 * Who is logged in to the hub: logging in (the name rules, the accounts' gate, the welcome),
 * checking an account's password before a login, and leaving.
 * @module
 */

import type { ActionQueue } from "./action_queue.ts";
import { forProtocol } from "./account_errors.ts";
import type { Admission } from "./admission.ts";
import { protocolError } from "./errors.ts";
import type { LeaveReason } from "./events.ts";
import type { HubAccounts, LoginRequest } from "./hub_accounts.ts";
import type { HubClient as Client } from "./hub_client.ts";
import type { HubRooms, RoomOutlet } from "./hub_rooms.ts";
import type { HubAction, LogRecord } from "./hub_types.ts";
import { loginRefusal, welcomeMessage } from "./login.ts";
import { nameKey } from "./names.ts";
import type { Request } from "./requests.ts";
import { withRe } from "./with_re.ts";

/** What logging in and leaving need of the hub. */
export interface MembershipParts {
  /** Everyone logged in, by `nameKey`, in the order they joined. */
  readonly members: Map<string, Client>;
  readonly outlet: Pick<RoomOutlet, "send" | "refuse" | "encodeDirect" | "wall">;
  readonly admission: Admission<Client>;
  readonly rooms: HubRooms;
  readonly accounts: HubAccounts;
  /** Where `gone` and `log` actions go. */
  readonly actions: ActionQueue<HubAction>;
}

/** An entry of the `users` list. */
export interface UserEntry {
  name: string;
  /** When the user logged in, by the wall clock. */
  since: number;
}

/**
 * The hub's logins and leaves.
 *
 * @example
 * ```ts ignore
 * const membership = new HubMembership({ members, outlet, admission, rooms, accounts, actions });
 * membership.login(client, { type: "login", name: "ann", protocol: 2 }, now);
 * membership.users(); // [{ name: "ann", since: ... }]
 * ```
 */
export class HubMembership {
  readonly #parts: MembershipParts;

  constructor(parts: MembershipParts) {
    this.#parts = parts;
  }

  /** Names of the users logged in, in the order they joined (a rename counts as joining). */
  get userNames(): string[] {
    return [...this.#parts.members.values()].map((c) => c.name!);
  }

  /** The `users` list: everyone logged in, in the order they joined. */
  users(): UserEntry[] {
    return [...this.#parts.members.values()].map((c) => ({ name: c.name!, since: c.joinedAt }));
  }

  /**
   * Logs a client in, or refuses: the name rules, then the passwords (see `HubAccounts`); a
   * registered name waits for the driver to check its password, then comes back here.
   */
  login(client: Client, request: LoginRequest, now: number): void {
    const { members, outlet, accounts } = this.#parts;
    const refusal = loginRefusal(client.name, request, (key) => members.has(key));
    if (refusal !== null) return outlet.refuse(client, refusal, request.id, now);
    // Back from the driver with the account proven: the gate is passed.
    if (client.account !== nameKey(request.name)) {
      client.account = null;
      const gate = accounts.admit(client, request, now);
      if (gate === "pending") return;
      if (gate !== "guest") {
        return outlet.refuse(client, forProtocol(gate, request.protocol), request.id, now);
      }
    }
    this.#enter(client, request, now);
  }

  /** Checks an account's password before login (IRC's SASL); `ok` once the driver says so. */
  authenticate(client: Client, request: Request & { type: "authenticate" }, now: number): void {
    const refused = client.name === null
      ? this.#parts.accounts.authenticate(client, request, now)
      : protocolError("ALREADY_LOGGED_IN", `Already logged in as '${client.name}'`);
    if (refused !== null) this.#parts.outlet.refuse(client, refused, request.id, now);
  }

  /**
   * A connection left the hub, logged in or not. A member leaves its rooms, told to them
   * unless `quiet` (a shutdown); `text` is its goodbye, carried by each `leave`.
   */
  leave(
    client: Client,
    reason: LeaveReason,
    now: number,
    options: { quiet: boolean; text?: string | undefined },
  ): void {
    this.#parts.admission.left(client);
    if (client.name === null) return;
    this.#parts.members.delete(nameKey(client.name));
    this.#parts.rooms.leaveAll(client, reason, now, options);
    const { actions } = this.#parts;
    actions.push({ kind: "gone", conn: client.conn, user: client.name });
    const record: LogRecord = {
      level: "info",
      event: "leave",
      conn: client.conn,
      name: client.name,
      reason,
    };
    actions.push({ kind: "log", record });
  }

  /** The login is granted: the client becomes a member, in `#lobby`, and is welcomed. */
  #enter(client: Client, request: LoginRequest, now: number): void {
    const { members, outlet } = this.#parts;
    client.name = request.name;
    client.protocol = request.protocol;
    const ts = outlet.wall(now);
    client.joinedAt = ts;
    this.#parts.admission.loggedIn(client);
    members.set(nameKey(request.name), client);
    this.#parts.rooms.enterLobby(client, now, request.replay);
    const welcome = welcomeMessage(request.name, members.values(), members.size, ts);
    outlet.send(client, outlet.encodeDirect(withRe(welcome, request.id)), now);
    const record: LogRecord = {
      level: "info",
      event: "login",
      conn: client.conn,
      name: request.name,
    };
    this.#parts.actions.push({ kind: "log", record });
  }
}
