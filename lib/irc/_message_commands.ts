/**
 * PRIVMSG and NOTICE, to rooms and to users, with CTCP ACTION as an action. Private to lib/irc.
 * @module
 */

import { checkName } from "../chat/names.ts";
import { parseCtcp } from "./ctcp.ts";
import type { IrcMessage } from "./irc_message.ts";
import { MAX_TARGETS } from "./limits.ts";
import type { CommandHandler } from "./_registration_commands.ts";
import { echoParam, type SessionState } from "./_session_state.ts";

/** PRIVMSG: errors get numerics. */
export const privmsg: CommandHandler = (state, message) => send(state, message, false);

/** NOTICE: the same, but nothing is ever answered to one (RFC 2812 §3.3.2). */
export const notice: CommandHandler = (state, message) => send(state, message, true);

function send(state: SessionState, message: IrcMessage, isNotice: boolean): void {
  const [targets, text] = message.params;
  const reply: SessionState["reply"] = isNotice ? () => {} : (name, p) => state.reply(name, p);
  if (targets === undefined || targets === "") {
    reply("ERR_NORECIPIENT", [`No recipient given (${message.command})`]);
    state.bad();
    return;
  }
  if (text === undefined || text === "") {
    reply("ERR_NOTEXTTOSEND", ["No text to send"]);
    state.bad();
    return;
  }
  const list = targets.split(",").filter((t) => t !== "");
  if (list.length > MAX_TARGETS) {
    reply("ERR_TOOMANYTARGETS", [
      echoParam(targets),
      `Too many recipients (at most ${MAX_TARGETS})`,
    ]);
    return;
  }
  const body = messageBody(state, text);
  if (body === null) return;
  for (const target of list) sendTo(state, target, body, { isNotice, reply });
}

/** The text and whether it is an action, or `null` for CTCP that is not relayed. */
function messageBody(state: SessionState, text: string): { text: string; action: boolean } | null {
  const ctcp = parseCtcp(text);
  if (ctcp === null) return { text, action: false };
  if (ctcp.command === "ACTION" && ctcp.params !== "") return { text: ctcp.params, action: true };
  // VERSION, PING, DCC and the rest are for IRC clients: chat clients would show them as
  // control characters, and the hub has nothing to answer.
  state.stats.ctcpDropped++;
  return null;
}

function sendTo(
  state: SessionState,
  target: string,
  body: { text: string; action: boolean },
  how: { isNotice: boolean; reply: SessionState["reply"] },
): void {
  const action = body.action ? { action: true as const } : {};
  const pending = {
    command: how.isNotice ? "NOTICE" : "PRIVMSG",
    target,
    text: body.text,
    action: body.action,
  };
  if (target.startsWith("#")) {
    const room = state.room(target);
    if (room === undefined) {
      how.reply("ERR_CANNOTSENDTOCHAN", [echoParam(target), "Cannot send to channel"]);
      return;
    }
    state.request({ type: "say", room: room.name, text: body.text, ...action }, pending);
  } else if (checkName(target) !== null) {
    how.reply("ERR_NOSUCHNICK", [echoParam(target), "No such nick/channel"]);
  } else {
    state.request({ type: "msg", to: target, text: body.text, ...action }, pending);
  }
}
