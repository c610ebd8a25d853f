/**
 * The hub login an IRC registration ends in, with what PASS and SASL gave. Private to lib/irc.
 *
 * - SASL proved an account: log in under its name (the hub knows the connection proved it),
 *   PASS as the server's password.
 * - PASS alone: it may be the server's password or the nick's account's, so both are sent; a
 *   nick that is not registered (`NOT_REGISTERED`) tries again with PASS as the server's only.
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

/** Logs in again as a guest (PASS as the server's password only) after `NOT_REGISTERED`. */
export function retryAsGuest(state: SessionState, nick: string): void {
  const server = state.pass === null ? {} : { serverPassword: state.pass };
  state.request({ type: "login", name: nick, ...server }, { command: "LOGIN", target: nick });
}
