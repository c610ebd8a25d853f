/**
 * The hub's replies to a session's requests, turned into what the IRC command expects.
 * Private to lib/irc.
 * @module
 */

import type { HubEvent } from "./hub_port.ts";
import { numericForHubError } from "./hub_error_numeric.ts";
import { replyHistory } from "./_history_command.ts";
import { outgoingTexts } from "./outgoing_text.ts";
import {
  type JoinDetails,
  joinedRoom,
  leftRoom,
  namesReplies,
  renamedSelf,
  topicWhoTime,
} from "./_room_changes.ts";
import { ircKey } from "./room_name.ts";
import { echoParam, type Pending, safeText, type SessionState } from "./_session_state.ts";
import { welcomeBurst } from "./welcome.ts";
import { endOfWho, whoisAsWho, whoReplies } from "./_who_command.ts";
import { saslFailed, saslSucceeded } from "./_sasl_command.ts";
import { retryAsGuest } from "./_login_request.ts";

type Of<T extends HubEvent["type"]> = Extract<HubEvent, { type: T }>;

/** Refusals of a login with PASS that a guest's login may cure (see `_login_request.ts`). */
const GUEST_RETRIES: ReadonlySet<string> = new Set(["NOT_REGISTERED", "INSECURE_LOGIN"]);

/** Handles a reply to the request `pending` stood for. */
export function handleReply(state: SessionState, pending: Pending, event: HubEvent): void {
  switch (event.type) {
    case "welcome":
      state.registration.welcomed(event.name);
      for (const line of welcomeBurst(state.info, event.name)) state.send(line);
      return;
    case "ok":
      return replyOk(state, pending, event);
    case "error":
      return replyError(state, pending, event);
    case "names":
      return replyNames(state, pending, event);
    case "members":
      return replyMembers(state, pending, event);
    case "topic":
      return replyTopic(state, pending, event);
    case "rooms":
      return replyRooms(state, pending, event);
    case "whois":
      if (pending.command === "WHO") return whoisAsWho(state, pending.target, event);
      return replyWhois(state, event);
    case "history":
      return replyHistory(state, pending, event);
    default:
      return;
  }
}

function replyOk(state: SessionState, pending: Pending, ok: Of<"ok">): void {
  switch (pending.command) {
    case "AUTHENTICATE":
      return saslSucceeded(state, pending.target);
    case "PRIVMSG":
      if (ok.away !== undefined && ok.to !== undefined) {
        state.reply("RPL_AWAY", [echoParam(ok.to), safeText(ok.away)]);
      }
      return echo(state, pending, ok);
    case "NOTICE":
      return echo(state, pending, ok);
    case "JOIN":
      return joinedRoom(state, ok.room ?? pending.target, ok.ts, joinDetails(ok));
    case "PART":
      return leftRoom(state, pending.target, ok.ts);
    case "TOPIC":
      if (pending.text !== undefined) {
        state.fromUser(state.nick, "TOPIC", [pending.target, pending.text], state.tagsAt(ok.ts));
      }
      return;
    case "AWAY":
      state.away = pending.text !== undefined;
      if (pending.text === undefined) {
        state.reply("RPL_UNAWAY", ["You are no longer marked as being away"]);
      } else state.reply("RPL_NOWAWAY", ["You have been marked as being away"]);
      return;
    case "NICK":
      return renamedSelf(state, pending.target, ok.ts);
  }
}

/** What a reply to `join` tells of the room, when it tells it (the hub's `joined`). */
function joinDetails(ok: Of<"ok">): JoinDetails | undefined {
  if (ok.topic === undefined || ok.members === undefined || ok.memberCount === undefined) {
    return undefined;
  }
  const complete = ok.members.length >= ok.memberCount;
  const set = ok.topicBy === undefined || ok.topicTs === undefined
    ? {}
    : { topicBy: ok.topicBy, topicTs: ok.topicTs };
  return { topic: ok.topic, ...set, members: ok.members, complete };
}

/** With echo-message, the client's own message comes back as the others saw it. */
function echo(state: SessionState, pending: Pending, ok: Of<"ok">): void {
  if (!state.has("echo-message") || pending.text === undefined) return;
  const target = pending.target.startsWith("#")
    ? state.room(pending.target)?.name ?? pending.target
    : ok.to ?? pending.target;
  const source = state.source(state.nick);
  const texts = outgoingTexts({
    source,
    command: pending.command,
    target,
    text: pending.text,
    action: pending.action === true,
  });
  for (const text of texts) {
    state.fromUser(state.nick, pending.command, [target, text], state.tagsAt(ok.ts));
  }
}

function replyError(state: SessionState, pending: Pending, error: Of<"error">): void {
  if (pending.command === "AUTHENTICATE") return saslFailed(state, error.message);
  if (pending.command === "LOGIN" && pending.withPassword && GUEST_RETRIES.has(error.code)) {
    return retryAsGuest(state, pending.target, error.code);
  }
  // SASL fixed the name: no other nick can log in, so trying more (as irssi does) only loops.
  if (pending.command === "LOGIN" && state.account !== null && error.code === "NAME_TAKEN") {
    return state.close(`${state.account} is logged in on another connection (NAME_TAKEN)`);
  }
  if (pending.command === "LOGIN") state.registration.refused();
  // Nothing answers a NOTICE; the gateway's own asking after a JOIN fails quietly.
  if (pending.command === "NOTICE" || pending.automatic === true) return;
  // No such room or user: an empty WHO list, as IRC servers answer.
  if (pending.command === "WHO") return endOfWho(state, pending.target);
  const text = safeText(error.message);
  const numeric = numericForHubError(error.code, pending.command);
  if (numeric === null) {
    state.fromServer("NOTICE", [state.nick, `${pending.command} ${pending.target}: ${text}`]);
  } else if (numeric === "ERR_PASSWDMISMATCH") {
    state.reply(numeric, [text]);
  } else {
    state.reply(numeric, [echoParam(pending.target), text]);
  }
  if (pending.command === "WHOIS") {
    state.reply("RPL_ENDOFWHOIS", [echoParam(pending.target), "End of /WHOIS list"]);
  }
}

function replyNames(state: SessionState, pending: Pending, event: Of<"names">): void {
  const room = state.room(event.room)?.name ?? event.room;
  if (pending.command === "WHO") return whoReplies(state, room, event.names);
  namesReplies(state, room, event.names.join(" "));
}

function replyMembers(state: SessionState, pending: Pending, event: Of<"members">): void {
  const room = state.room(event.room)?.name ?? event.room;
  if (pending.command !== "WHO") return namesReplies(state, room, event.text);
  const names = event.text === "" ? [] : event.text.split(" ");
  whoReplies(state, room, names, new Set(event.away.map(ircKey)));
}

function replyTopic(state: SessionState, pending: Pending, event: Of<"topic">): void {
  if (pending.text !== undefined) {
    // A hub may answer a change with the topic itself rather than `ok`.
    const params = [pending.target, event.text === "" ? "" : safeText(event.text)];
    return state.fromUser(state.nick, "TOPIC", params, state.tagsAt(event.ts));
  }
  if (event.text === "") {
    if (pending.automatic !== true) state.reply("RPL_NOTOPIC", [event.room, "No topic is set"]);
    return;
  }
  state.reply("RPL_TOPIC", [event.room, safeText(event.text)]);
  if (event.by !== undefined) {
    topicWhoTime(state, event.room, event.by, event.ts);
  }
}

function replyRooms(state: SessionState, pending: Pending, event: Of<"rooms">): void {
  const wanted = new Set(pending.target.split(",").filter((n) => n !== "").map(ircKey));
  state.reply("RPL_LISTSTART", ["Channel", "Users  Name"]);
  for (const room of event.rooms) {
    if (wanted.size > 0 && !wanted.has(ircKey(room.name))) continue;
    // No topic is an empty trailing parameter (`:`), not a space.
    const topic = room.topic === "" ? "" : safeText(room.topic);
    state.reply("RPL_LIST", [room.name, String(room.members), topic]);
  }
  state.reply("RPL_LISTEND", ["End of /LIST"]);
}

function replyWhois(state: SessionState, event: Of<"whois">): void {
  const { name, info } = { name: event.name, info: state.info };
  state.reply("RPL_WHOISUSER", [name, name, info.name, "*", name]);
  if (event.rooms.length > 0) state.reply("RPL_WHOISCHANNELS", [name, event.rooms.join(" ")]);
  state.reply("RPL_WHOISSERVER", [name, info.name, `${info.network} chat hub`]);
  if (event.away !== undefined) state.reply("RPL_AWAY", [name, safeText(event.away)]);
  const idle = String(Math.max(0, Math.floor(event.idleMs / 1000)));
  const signon = String(Math.max(0, Math.floor(event.since / 1000)));
  state.reply("RPL_WHOISIDLE", [name, idle, signon, "seconds idle, signon time"]);
  state.reply("RPL_ENDOFWHOIS", [name, "End of /WHOIS list"]);
}
