/**
 * AUTHENTICATE (IRCv3 SASL, mechanism PLAIN) and the hub's answer to it: the credentials are
 * checked by the hub (an `authenticate` request, under the same plaintext rule, lockout and
 * server password as a login), and registration waits meanwhile. Private to lib/irc.
 * @module
 */

import type { IrcMessage } from "./irc_message.ts";
import { SASL_MECHANISMS } from "./sasl_plain.ts";
import { echoParam, safeText, type SessionState } from "./_session_state.ts";
import { requestLogin } from "./_login_request.ts";

const NO_TAGS = new Map<string, string>();

/** AUTHENTICATE: a mechanism, then the message in chunks, or `*` to abort. */
export function authenticate(state: SessionState, message: IrcMessage): void {
  if (state.registered || state.account !== null) {
    return state.reply("ERR_SASLALREADY", ["You have already authenticated using SASL"]);
  }
  const param = message.params[0];
  if (param === undefined || param === "") {
    state.reply("ERR_NEEDMOREPARAMS", ["AUTHENTICATE", "Not enough parameters"]);
    return state.bad();
  }
  if (!state.has("sasl") || checking(state)) {
    state.reply("ERR_SASLFAIL", ["SASL authentication failed"]);
    return state.bad();
  }
  const step = state.sasl.step(param);
  switch (step.kind) {
    case "continue":
      return state.send({ tags: NO_TAGS, command: "AUTHENTICATE", params: ["+"] });
    case "more":
      return;
    case "credentials": {
      const { account: name, password } = step;
      const server = state.pass === null ? {} : { serverPassword: state.pass };
      const target = { command: "AUTHENTICATE", target: name };
      if (!state.request({ type: "authenticate", name, password, ...server }, target)) return;
      state.registration.authHold(true);
      return;
    }
    case "aborted":
      return state.reply("ERR_SASLABORTED", ["SASL authentication aborted"]);
    case "mechanism":
      state.reply("RPL_SASLMECHS", [SASL_MECHANISMS.join(","), "are available SASL mechanisms"]);
      return state.reply("ERR_SASLFAIL", ["SASL authentication failed"]);
    case "too_long":
      return state.reply("ERR_SASLTOOLONG", ["SASL message too long"]);
    case "invalid":
      state.reply("ERR_SASLFAIL", ["SASL authentication failed"]);
      return state.bad();
  }
}

/** The hub took the credentials for `account`: 900 and 903, then registration may go on. */
export function saslSucceeded(state: SessionState, account: string): void {
  state.account = account;
  const mask = state.source(state.nick === "*" ? account : state.nick);
  state.reply("RPL_LOGGEDIN", [mask, echoParam(account), `You are now logged in as ${account}`]);
  state.reply("RPL_SASLSUCCESS", ["SASL authentication successful"]);
  release(state);
}

/** The hub refused the credentials: 904 with its reason; registration goes on as a guest. */
export function saslFailed(state: SessionState, reason: string): void {
  state.reply("ERR_SASLFAIL", [`SASL authentication failed: ${safeText(reason)}`]);
  release(state);
}

function checking(state: SessionState): boolean {
  for (const pending of state.pending.values()) {
    if (pending.command === "AUTHENTICATE") return true;
  }
  return false;
}

function release(state: SessionState): void {
  const nick = state.registration.authHold(false);
  if (nick !== null) requestLogin(state, nick);
}
