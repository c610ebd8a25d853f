/**
 * The commands of registration and of the connection itself: CAP, NICK, USER, PASS, PING,
 * PONG, QUIT. Private to lib/irc.
 * @module
 */

import { checkName } from "../chat/names.ts";
import type { IrcMessage } from "./irc_message.ts";
import { echoParam, safeText, type SessionState } from "./_session_state.ts";
import { requestLogin } from "./_login_request.ts";

/** A command handler: the state and the parsed message. */
export type CommandHandler = (state: SessionState, message: IrcMessage) => void;

/** CAP LS / LIST / REQ / END, before and after registration. */
export const cap: CommandHandler = (state, message) => {
  const outcome = state.caps.handle(message.params);
  switch (outcome.kind) {
    case "missing":
      state.reply("ERR_NEEDMOREPARAMS", ["CAP", "Not enough parameters"]);
      state.bad();
      return;
    case "unknown":
      state.reply("ERR_INVALIDCAPCMD", [echoParam(outcome.subcommand), "Invalid CAP command"]);
      state.bad();
      return;
    case "reply":
      state.fromServer("CAP", [state.nick, outcome.subcommand, outcome.caps]);
      break;
    case "end":
      break;
  }
  if (!state.registered) login(state, state.registration.capHold(state.caps.holding));
};

/** NICK: before registration it names the login; after, it asks the hub for a new name. */
export const nick: CommandHandler = (state, message) => {
  const wanted = message.params[0];
  if (wanted === undefined || wanted === "") {
    state.reply("ERR_NONICKNAMEGIVEN", ["No nickname given"]);
    state.bad();
    return;
  }
  if (checkName(wanted) !== null) {
    state.reply("ERR_ERRONEUSNICKNAME", [echoParam(wanted), "Erroneous nickname"]);
    return;
  }
  if (!state.registered) {
    login(state, state.registration.nick(wanted));
  } else if (wanted !== state.nick) {
    state.request({ type: "nick", name: wanted }, { command: "NICK", target: wanted });
  }
};

/** USER: its four fields are required but unused; once only. */
export const user: CommandHandler = (state, message) => {
  if (state.registered || state.registration.hasUser) {
    state.reply("ERR_ALREADYREGISTERED", ["You may not reregister"]);
    return;
  }
  if (message.params.length < 4) {
    state.reply("ERR_NEEDMOREPARAMS", ["USER", "Not enough parameters"]);
    state.bad();
    return;
  }
  login(state, state.registration.user());
};

/**
 * PASS: the server's password, or the nick's account's, given with the login (see
 * `_login_request.ts`); refused after registration.
 */
export const pass: CommandHandler = (state, message) => {
  const given = message.params[0];
  if (state.registered) state.reply("ERR_ALREADYREGISTERED", ["You may not reregister"]);
  else if (given === undefined || given === "") {
    state.reply("ERR_NEEDMOREPARAMS", ["PASS", "Not enough parameters"]);
    state.bad();
  } else state.pass = given;
};

/** PING from the client, answered by the gateway itself. */
export const ping: CommandHandler = (state, message) => {
  const token = message.params[0];
  if (token === undefined) {
    state.reply("ERR_NEEDMOREPARAMS", ["PING", "Not enough parameters"]);
    state.bad();
    return;
  }
  state.fromServer("PONG", [state.info.name, token]);
};

/** PONG answers the PING the gateway sent for the hub's heartbeat: the user is still there. */
export const pong: CommandHandler = (state) => {
  if (state.registered) state.request({ type: "pong" }, null);
};

/** QUIT: tells the hub (with the reason) and closes. */
export const quit: CommandHandler = (state, message) => {
  const reason = message.params[0];
  if (state.registered) {
    state.request(reason === undefined ? { type: "quit" } : { type: "quit", text: reason }, null);
  }
  state.close(reason === undefined ? "Quit" : `Quit: ${safeText(reason)}`);
};

/** Asks the hub to log in under `name`, when registration is ready for it. */
function login(state: SessionState, name: string | null): void {
  if (name !== null) requestLogin(state, name);
}
