/**
 * Accounts on the hub: which names are registered, the passwords a login, a `register` or a
 * `password` carries, the server password, and the lockout of guessing. Sans-IO: the hub never
 * hashes. It checks what it can at once (the plaintext rule, lengths, the lockout, the server
 * password), then asks the driver for the slow part in an {@linkcode AccountAction} and goes on
 * when {@linkcode Hub.accountDone} brings the {@linkcode AccountResult}.
 * @module
 */

import { type ProtocolError, protocolError } from "./errors.ts";
import type { HubClient as Client } from "./hub_client.ts";
import type { ConnId } from "./hub_types.ts";
import { AUTH_BUSY_RETRY_MS, MAX_PENDING_AUTHENTICATIONS } from "./limits.ts";
import { type LockoutLimits, LoginLockout } from "./login_lockout.ts";
import { nameKey } from "./names.ts";
import { insecureRefusal, newPasswordRefusal, secretsEqual } from "./password_rules.ts";
import {
  authPending,
  failure,
  refusedPassword,
  serverPasswordRequired,
  unavailable,
} from "./account_errors.ts";
import type { Request, RequestId } from "./requests.ts";

/**
 * What the hub asks its driver to check or keep; each is answered by one `Hub.accountDone`.
 * `authenticate`: does `password` open `account` (a name key)? `register`: make `account`
 * (spelt `name`) with `password` (refused if it exists). `change_password`: if `old` opens `account`, make `new` its
 * password. Passwords are never logged.
 */
export type AccountAction =
  | { kind: "authenticate"; conn: ConnId; account: string; password: string }
  | { kind: "register"; conn: ConnId; account: string; name: string; password: string }
  | { kind: "change_password"; conn: ConnId; account: string; old: string; new: string };

/**
 * The driver's answer to an {@linkcode AccountAction}: `ok` (the password opened the account,
 * or the account was made or changed), `bad_password`, `exists` (a `register` of an account
 * that is there already), or `unavailable` (the store failed).
 */
export interface AccountResult {
  conn: ConnId;
  outcome: "ok" | "bad_password" | "exists" | "unavailable";
}

/** How a hub keeps accounts. */
export interface AccountSettings {
  /** The names registered (any case), as the store holds them at start. */
  registered: Iterable<string>;
  /** The lockout's limits (defaults: the constants in `limits.ts`). */
  lockout?: LockoutLimits;
}

/** What the accounts need of the hub. */
export interface AccountOutlet {
  /** Answers request `re` of `client` with a line. */
  reply(client: Client, message: object, re: RequestId | undefined, now: number): void;
  refuse(client: Client, error: ProtocolError, re: RequestId | undefined, now: number): void;
  /** Hands an action to the driver. */
  push(action: AccountAction): void;
  /** Logs `client` in as `request` asked, its account proven; the usual rules apply again. */
  enter(client: Client, request: LoginRequest, now: number): void;
  /** Whether the client is still connected. */
  connected(client: Client): boolean;
}

/** A `login` request. */
export type LoginRequest = Request & { type: "login" };

/** What a login needs after the checks: enter as a guest, or wait for the driver. */
export type LoginGate = "guest" | "pending" | ProtocolError;

interface Pending {
  client: Client;
  action: AccountAction;
  re: RequestId | undefined;
  login: LoginRequest | null;
}

/**
 * The hub's accounts.
 *
 * @example
 * ```ts ignore
 * const accounts = new HubAccounts(outlet, { accounts: { registered: ["ann"] }, ... });
 * accounts.admit(client, loginRequest, now); // "guest", "pending" or an error to reply
 * ```
 */
export class HubAccounts {
  readonly #out: AccountOutlet;
  readonly #registered: Set<string> | null;
  readonly #serverPassword: string | null;
  readonly #allowInsecure: boolean;
  readonly #lockout: LoginLockout;
  readonly #pending = new Map<ConnId, Pending>();

  constructor(
    outlet: AccountOutlet,
    settings: {
      accounts: AccountSettings | null;
      serverPassword: string | null;
      allowInsecureLogin: boolean;
    },
  ) {
    this.#out = outlet;
    const { accounts } = settings;
    this.#registered = accounts === null ? null : new Set([...accounts.registered].map(nameKey));
    this.#serverPassword = settings.serverPassword;
    this.#allowInsecure = settings.allowInsecureLogin;
    this.#lockout = new LoginLockout(accounts?.lockout);
  }

  /** Checks waiting for the driver (at most `MAX_PENDING_AUTHENTICATIONS`). */
  get pending(): number {
    return this.#pending.size;
  }

  /** Whether a name (any case) is registered. */
  isRegistered(name: string): boolean {
    return this.#registered?.has(nameKey(name)) ?? false;
  }

  /**
   * Checks an `authenticate` (a password proven before login, as IRC's SASL does it): the
   * rules of a login with a password, then the driver; `ok` when the account opens, after which
   * a `login` of that name needs no password. Returns the error to reply at once, or `null`.
   */
  authenticate(
    client: Client,
    request: Request & { type: "authenticate" },
    now: number,
  ): ProtocolError | null {
    if (this.#pending.has(client.conn)) return authPending();
    client.account = null;
    const { id, name, password, serverPassword } = request;
    const login: LoginRequest = {
      type: "login",
      name,
      protocol: 0,
      password,
      ...(serverPassword === undefined ? {} : { serverPassword }),
    };
    const account = this.isRegistered(name) ? nameKey(name) : null;
    const refused = this.#loginRefusal(client, login, account, now);
    if (refused !== null) return refused;
    const conn = client.conn;
    this.#start(client, { kind: "authenticate", conn, account: account!, password }, id, null);
    return null;
  }

  /**
   * Checks a login the other rules let through: the server password, then the account's; a
   * registered name goes to the driver (`pending`), an unregistered one enters as a guest.
   */
  admit(client: Client, request: LoginRequest, now: number): LoginGate {
    if (this.#pending.has(client.conn)) return authPending();
    const account = this.isRegistered(request.name) ? nameKey(request.name) : null;
    const refused = this.#loginRefusal(client, request, account, now);
    if (refused !== null) return refused;
    if (account === null) return "guest";
    const action: AccountAction = {
      kind: "authenticate",
      conn: client.conn,
      account,
      password: request.password!,
    };
    this.#start(client, action, request.id, request);
    return "pending";
  }

  /** Why a login must be refused before any hashing, or `null`; counts a bad server password. */
  #loginRefusal(
    client: Client,
    request: LoginRequest,
    account: string | null,
    now: number,
  ): ProtocolError | null {
    const { password, serverPassword } = request;
    if (password !== undefined || serverPassword !== undefined) {
      const refused = insecureRefusal(client, this.#allowInsecure) ??
        refusedPassword(serverPassword) ?? refusedPassword(password) ??
        this.#locked(now, account, client.address);
      if (refused !== null) return refused;
    }
    if (this.#serverPassword !== null) {
      if (serverPassword === undefined) return serverPasswordRequired();
      if (!secretsEqual(serverPassword, this.#serverPassword)) {
        this.#lockout.failed(now, null, client.address);
        return protocolError("BAD_PASSWORD", "Wrong server password");
      }
    }
    if (account === null) {
      return password === undefined ? null : protocolError(
        "NOT_REGISTERED",
        `Name '${request.name}' is not registered: log in without a password`,
      );
    }
    if (password === undefined) {
      return protocolError(
        "NAME_REGISTERED",
        `Name '${request.name}' is registered: give its password`,
      );
    }
    return this.#busy();
  }

  /** Handles `register` and `password` from a logged-in client (already metered). */
  handle(client: Client, request: Request & { type: "register" | "password" }, now: number): void {
    const refused = request.type === "register"
      ? this.#registerRefusal(client, request.password)
      : this.#changeRefusal(client, request.old, request.new, now);
    if (refused !== null) return this.#out.refuse(client, refused, request.id, now);
    const conn = client.conn;
    if (request.type === "register") {
      const account = nameKey(client.name!);
      // Reserved at once: no guest may take the name while it is being hashed and stored.
      this.#registered!.add(account);
      const name = client.name!;
      const action = { kind: "register", conn, account, name, password: request.password } as const;
      return this.#start(client, action, request.id, null);
    }
    const account = client.account!;
    const action = { kind: "change_password", conn, account, old: request.old, new: request.new };
    this.#start(client, action as AccountAction, request.id, null);
  }

  #registerRefusal(client: Client, password: string): ProtocolError | null {
    if (this.#registered === null) return unavailable();
    if (this.#pending.has(client.conn)) return authPending();
    if (client.account !== null || this.isRegistered(client.name!)) {
      return protocolError("NAME_REGISTERED", `Name '${client.name}' is registered already`);
    }
    return insecureRefusal(client, this.#allowInsecure) ?? newPasswordRefusal(password) ??
      this.#busy();
  }

  #changeRefusal(client: Client, old: string, password: string, now: number) {
    if (this.#registered === null) return unavailable();
    if (client.account === null) {
      return protocolError("NOT_REGISTERED", "Log in to a registered name to change its password");
    }
    if (this.#pending.has(client.conn)) return authPending();
    return insecureRefusal(client, this.#allowInsecure) ?? refusedPassword(old) ??
      newPasswordRefusal(password) ?? this.#locked(now, client.account, client.address) ??
      this.#busy();
  }

  /**
   * Why renaming `client` to `name` is refused (`NAME_REGISTERED`: someone else's account), or
   * `null`.
   */
  nickRefusal(client: Client, name: string): ProtocolError | null {
    const key = nameKey(name);
    if (!this.isRegistered(name) || client.account === key) return null;
    return protocolError("NAME_REGISTERED", `Name '${name}' is registered`);
  }

  /** Takes the driver's answer to the action it was given for `result.conn`. */
  done(result: AccountResult, now: number): void {
    const pending = this.#pending.get(result.conn);
    if (pending === undefined) return;
    this.#pending.delete(result.conn);
    const { client, action, re } = pending;
    if (result.outcome === "bad_password") {
      this.#lockout.failed(now, action.account, client.address);
    }
    if (action.kind === "register" && result.outcome !== "ok") {
      if (result.outcome !== "exists") this.#registered!.delete(action.account);
    }
    if (!this.#out.connected(client)) return;
    if (result.outcome !== "ok") return this.#out.refuse(client, failure(result, action), re, now);
    if (action.kind !== "change_password") client.account = action.account;
    if (pending.login !== null) return this.#out.enter(client, pending.login, now);
    this.#out.reply(client, { type: "ok" }, re, now);
  }

  #start(
    client: Client,
    action: AccountAction,
    re: RequestId | undefined,
    login: LoginRequest | null,
  ): void {
    this.#pending.set(client.conn, { client, action, re, login });
    this.#out.push(action);
  }

  #locked(now: number, account: string | null, address: string | null): ProtocolError | null {
    const retryMs = this.#lockout.retryMs(now, account, address);
    if (retryMs === 0) return null;
    const seconds = Math.ceil(retryMs / 1000);
    return {
      code: "LOCKED_OUT",
      message: `Too many failed logins: try again in ${seconds} s`,
      retryMs,
    };
  }

  #busy(): ProtocolError | null {
    if (this.#pending.size < MAX_PENDING_AUTHENTICATIONS) return null;
    return {
      code: "SERVER_BUSY",
      message: "Too many logins being checked: try again",
      retryMs: AUTH_BUSY_RETRY_MS,
    };
  }
}
