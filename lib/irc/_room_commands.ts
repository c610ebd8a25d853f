/**
 * JOIN, PART, NAMES, TOPIC, LIST and MODE. Private to lib/irc.
 * @module
 */

import { MAX_TARGETS } from "./limits.ts";
import type { CommandHandler } from "./_registration_commands.ts";
import { echoParam, type SessionState } from "./_session_state.ts";
import { ircKey, isRoomName } from "./room_name.ts";

/** JOIN #a,#b (keys ignored: rooms have none), or JOIN 0 to leave every room. */
export const join: CommandHandler = (state, message) => {
  const rooms = roomList(state, message.params[0], "JOIN");
  if (rooms === null) return;
  if (message.params[0] === "0") {
    for (const room of state.rooms.values()) {
      state.request({ type: "part", room: room.name }, { command: "PART", target: room.name });
    }
    return;
  }
  for (const name of rooms) {
    if (!isRoomName(name, state.info.roomNameLen)) {
      state.reply("ERR_NOSUCHCHANNEL", [echoParam(name), "No such channel"]);
    } else if (state.room(name) === undefined) {
      state.request({ type: "join", room: name }, { command: "JOIN", target: name });
    }
  }
};

/** PART #a,#b [reason]: the reason is not carried, the hub has no place for it. */
export const part: CommandHandler = (state, message) => {
  const rooms = roomList(state, message.params[0], "PART");
  if (rooms === null) return;
  for (const name of rooms) {
    const room = state.room(name);
    if (room === undefined) {
      state.reply("ERR_NOTONCHANNEL", [echoParam(name), "You're not on that channel"]);
    } else {
      state.request({ type: "part", room: room.name }, { command: "PART", target: room.name });
    }
  }
};

/** NAMES #room: asked of the hub; without a room, only the end of the list. */
export const names: CommandHandler = (state, message) => {
  const list = message.params[0];
  if (list === undefined) {
    state.reply("RPL_ENDOFNAMES", ["*", "End of /NAMES list"]);
    return;
  }
  for (const name of list.split(",").slice(0, MAX_TARGETS)) {
    if (isRoomName(name, state.info.roomNameLen)) {
      state.request({ type: "names", room: name }, { command: "NAMES", target: name });
    } else {
      state.reply("RPL_ENDOFNAMES", [echoParam(name), "End of /NAMES list"]);
    }
  }
};

/** TOPIC #room reads it, TOPIC #room :text sets it (an empty text clears it). */
export const topic: CommandHandler = (state, message) => {
  const [name, text] = message.params;
  if (name === undefined) {
    state.reply("ERR_NEEDMOREPARAMS", ["TOPIC", "Not enough parameters"]);
    state.bad();
    return;
  }
  const room = state.room(name);
  if (room === undefined) {
    state.reply("ERR_NOTONCHANNEL", [echoParam(name), "You're not on that channel"]);
    return;
  }
  const pending = { command: "TOPIC", target: room.name };
  if (text === undefined) state.request({ type: "topic", room: room.name }, pending);
  else state.request({ type: "topic", room: room.name, text }, { ...pending, text });
};

/** LIST [#a,#b]: the hub's rooms, filtered to those named. */
export const list: CommandHandler = (state, message) => {
  state.request({ type: "rooms" }, { command: "LIST", target: message.params[0] ?? "" });
};

/** MODE: rooms and users have no modes to change; queries get the empty answer. */
export const mode: CommandHandler = (state, message) => {
  const [target, modes] = message.params;
  if (target === undefined) {
    state.reply("ERR_NEEDMOREPARAMS", ["MODE", "Not enough parameters"]);
    state.bad();
  } else if (target.startsWith("#")) {
    roomMode(state, target, modes);
  } else {
    userMode(state, target, modes);
  }
};

function roomMode(state: SessionState, target: string, modes: string | undefined): void {
  if (!isRoomName(target, state.info.roomNameLen)) {
    state.reply("ERR_NOSUCHCHANNEL", [echoParam(target), "No such channel"]);
  } else if (modes === undefined) {
    state.reply("RPL_CHANNELMODEIS", [echoParam(target), "+n"]);
  } else if (/^[+-]?b$/.test(modes)) {
    state.reply("RPL_ENDOFBANLIST", [echoParam(target), "End of channel ban list"]);
  } else {
    for (const char of unknownModes(modes, "")) {
      state.reply("ERR_UNKNOWNMODE", [char, "is unknown mode char to me"]);
    }
  }
}

function userMode(state: SessionState, target: string, modes: string | undefined): void {
  if (ircKey(target) !== ircKey(state.nick)) {
    state.reply("ERR_USERSDONTMATCH", ["Cant change mode for other users"]);
  } else if (modes === undefined) {
    state.reply("RPL_UMODEIS", [state.invisible ? "+i" : "+"]);
  } else if (unknownModes(modes, "i").length > 0) {
    state.reply("ERR_UMODEUNKNOWNFLAG", ["Unknown MODE flag"]);
  } else {
    const on = modes.lastIndexOf("+") >= modes.lastIndexOf("-");
    if (modes.includes("i") && on !== state.invisible) {
      state.invisible = on;
      state.fromUser(state.nick, "MODE", [state.nick, on ? "+i" : "-i"]);
    }
  }
}

/** The distinct mode letters of `modes` not in `known`, at most 4 (one reply each). */
function unknownModes(modes: string, known: string): string[] {
  const chars = new Set(modes.replace(/[+-]/g, "").split("").filter((c) => !known.includes(c)));
  return [...chars].filter((c) => /^[A-Za-z]$/.test(c)).slice(0, 4);
}

/** The comma-separated rooms of a JOIN or PART, or `null` after the error reply. */
function roomList(
  state: SessionState,
  param: string | undefined,
  command: string,
): string[] | null {
  if (param === undefined || param === "") {
    state.reply("ERR_NEEDMOREPARAMS", [command, "Not enough parameters"]);
    state.bad();
    return null;
  }
  const rooms = param.split(",").filter((r) => r !== "");
  if (rooms.length > MAX_TARGETS) {
    state.reply("ERR_TOOMANYTARGETS", [
      echoParam(param),
      `Too many channels (at most ${MAX_TARGETS})`,
    ]);
    return null;
  }
  return rooms;
}
