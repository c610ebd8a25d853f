/**
 * What the client logs in with besides its name: the account password (for the name it was
 * given with only) and a private hub's password, kept for the logins after reconnecting; and
 * the refusals that no second try with the same password, or the same name, can cure. Sans-IO.
 * @module
 */

import type { ClientErrorCode } from "./client_errors.ts";
import type { OutgoingRequest } from "./client_session.ts";
import { PROTOCOL_VERSION } from "./limits.ts";
import { nameKey } from "./names.ts";

/**
 * Passwords a login gives: `password` the account's (sent only when logging in under the name
 * it was given with), `serverPassword` a private hub's.
 */
export interface LoginSecrets {
  password?: string;
  serverPassword?: string;
}

/**
 * Refusals of a login's password: trying again with the same one cannot help (and would count
 * towards a lockout), so a client that meets one after reconnecting ends.
 */
export const PASSWORD_REFUSALS: ReadonlySet<ClientErrorCode> = new Set<ClientErrorCode>([
  "BAD_PASSWORD",
  "NOT_REGISTERED",
  "PASSWORD_INVALID",
  "LOCKED_OUT",
  "INSECURE_LOGIN",
  "SERVER_PASSWORD_REQUIRED",
]);

/**
 * Refusals of a login that another name could cure (or not, for the protocol): a client that
 * meets one after reconnecting asks for another name, or ends.
 */
export const NAME_REFUSALS: ReadonlySet<ClientErrorCode> = new Set<ClientErrorCode>([
  "NAME_TAKEN",
  "NAME_INVALID",
  "NAME_RESERVED",
  "NAME_REGISTERED",
  "PROTOCOL_VERSION",
]);

/**
 * The passwords kept for logging in.
 *
 * @example
 * ```ts
 * import { LoginCredentials } from "./client_login.ts";
 * const credentials = new LoginCredentials();
 * credentials.keep("Ann", { password: "correct horse" });
 * credentials.login("ann").password; // "correct horse"
 * credentials.login("bob").password; // undefined: a guest's name
 * ```
 */
export class LoginCredentials {
  #account: { key: string; password: string } | null = null;
  #serverPassword: string | null = null;

  /** Keeps what `secrets` gives, `password` as the account password of `name`. */
  keep(name: string, secrets: LoginSecrets): void {
    if (secrets.password !== undefined) {
      this.#account = { key: nameKey(name), password: secrets.password };
    }
    if (secrets.serverPassword !== undefined) this.#serverPassword = secrets.serverPassword;
  }

  /** The login request for `name`, with the passwords that go with it. */
  login(name: string, replay: { replay?: number } = {}): OutgoingRequest & { type: "login" } {
    const account = this.#account?.key === nameKey(name)
      ? { password: this.#account.password }
      : {};
    const server = this.#serverPassword === null ? {} : { serverPassword: this.#serverPassword };
    return { type: "login", name, protocol: PROTOCOL_VERSION, ...replay, ...account, ...server };
  }
}
