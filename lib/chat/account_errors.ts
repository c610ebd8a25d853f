/**
 * The errors the hub's accounts answer with, built in one place so that their codes and words
 * stay the same wherever they are given.
 * @module
 */

import { type ProtocolError, protocolError } from "./errors.ts";
import type { AccountAction, AccountResult } from "./hub_accounts.ts";
import { loginPasswordRefusal } from "./password_rules.ts";
import { ACCOUNTS_PROTOCOL_VERSION } from "./limits.ts";

/**
 * `error` as a client of `protocol` can read it: before accounts, `NAME_REGISTERED` is
 * `NAME_TAKEN` (the name is someone's), so an old client asks for another name.
 */
export function forProtocol(error: ProtocolError, protocol: number): ProtocolError {
  if (protocol >= ACCOUNTS_PROTOCOL_VERSION || error.code !== "NAME_REGISTERED") return error;
  return { ...error, code: "NAME_TAKEN" };
}

/** Why a login password is refused unread (see `loginPasswordRefusal`), or `null`. */
export function refusedPassword(password: string | undefined): ProtocolError | null {
  return password === undefined ? null : loginPasswordRefusal(password);
}

/** The error a driver's answer other than `ok` is told as. */
export function failure(result: AccountResult, action: AccountAction): ProtocolError {
  switch (result.outcome) {
    case "bad_password":
      return protocolError("BAD_PASSWORD", "Wrong password");
    case "exists":
      return protocolError("NAME_REGISTERED", `Name is registered already`);
    default:
      return protocolError("ACCOUNTS_UNAVAILABLE", `Cannot ${verb(action)}: the store failed`);
  }
}

function verb(action: AccountAction): string {
  if (action.kind === "authenticate") return "check the password";
  return action.kind === "register" ? "register" : "change the password";
}

/** `AUTH_PENDING`: a password of this connection is being checked. */
export function authPending(): ProtocolError {
  return protocolError("AUTH_PENDING", "A password is being checked: wait for its answer");
}

/** `ACCOUNTS_UNAVAILABLE`: the hub keeps no accounts. */
export function unavailable(): ProtocolError {
  return protocolError("ACCOUNTS_UNAVAILABLE", "This server keeps no accounts");
}

/** `SERVER_PASSWORD_REQUIRED`: a private hub's login without its password. */
export function serverPasswordRequired(): ProtocolError {
  return protocolError("SERVER_PASSWORD_REQUIRED", "This server needs its password to log in");
}
