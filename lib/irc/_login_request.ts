/**
 * The hub login an IRC registration ends in, with what PASS and SASL gave. Private to lib/irc.
 *
 * - SASL proved an account: log in under its name (the hub knows the connection proved it),
 *   PASS as the server's password.
 * - PASS alone: it may be the server's password or the nick's account's, so both are sent; a
 *   nick that is not registered (`NOT_REGISTERED`) tries again with PASS as the server's only,
 *   and a plaintext connection that may carry no password (`INSECURE_LOGIN`) tries again with
 *   none, as before accounts (a PASS set out of habit does not lock a client out).
 * - Neither: a guest's login.
 * @module
 */

import type { SessionState } from "./_session_state.ts";

/** Asks the hub to log in under `nick` (or the SASL account), as the module says. */
export function requestLogin(state: SessionState, nick: string): void {
  const server = state.pass === null ? {} : { serverPassword: state.pass };
  if (state.account !== null) {
    const name = state.account;
    state.request({ type: "login", name, ...server }, { command: "LOGIN", target: name });
  } else if (state.pass !== null) {
    state.request(
      { type: "login", name: nick, password: state.pass, ...server },
      { command: "LOGIN", target: nick, withPassword: true },
    );
  } else {
    state.request({ type: "login", name: nick }, { command: "LOGIN", target: nick });
  }
}

/**
 * Logs in again as a guest: with PASS as the server's password only after `NOT_REGISTERED`,
 * with no password at all after `INSECURE_LOGIN` (PASS is dropped, and the client told).
 */
export function retryAsGuest(state: SessionState, nick: string, code: string): void {
  if (code === "INSECURE_LOGIN") {
    state.pass = null;
    state.fromServer("NOTICE", [nick, "PASS ignored: passwords are taken over TLS only"]);
  }
  const server = state.pass === null ? {} : { serverPassword: state.pass };
  state.request({ type: "login", name: nick, ...server }, { command: "LOGIN", target: nick });
}
