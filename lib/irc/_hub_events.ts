/**
 * The hub's events (what others do), turned into IRC lines. Private to lib/irc.
 * @module
 */

import type { HubEvent } from "./hub_port.ts";
import { outgoingTexts } from "./outgoing_text.ts";
import { joinedRoom, leftRoom, renamedSelf } from "./_room_changes.ts";
import { ircKey } from "./room_name.ts";
import { safeText, type SessionState } from "./_session_state.ts";
import { replyHistory } from "./_history_command.ts";

type Of<T extends HubEvent["type"]> = Extract<HubEvent, { type: T }>;

/** A QUIT's text for each reason the hub gives for a leave, in the words IRC clients use. */
const QUIT_REASONS: Record<string, string> = {
  quit: "Quit",
  disconnect: "Connection closed",
  timeout: "Ping timeout",
  dropped: "Dropped by the server",
  shutdown: "Server shutting down",
};

/** Handles an event that answers no request of the session. */
export function handleHubEvent(state: SessionState, event: HubEvent): void {
  const lastQuit = state.lastQuit;
  state.lastQuit = null;
  switch (event.type) {
    case "message":
      return message(state, event);
    case "join":
      return join(state, event);
    case "joins":
      return joins(state, event);
    case "leave":
      return leave(state, event, lastQuit);
    case "topic":
      return topic(state, event);
    case "nick":
      return nick(state, event);
    case "away":
      if (!state.has("away-notify")) return;
      return fromUserShared(state, event, "AWAY", event.name, awayParams(event.text));
    case "history":
      return replay(state, event);
    case "ping":
      return state.fromServer("PING", [state.info.name]);
    case "bye":
      return state.close("Closing link");
    case "shutdown":
      return state.close(event.reason);
    case "error":
      return state.fromServer("NOTICE", [state.nick, `${safeText(event.message)} (${event.code})`]);
    default:
      return;
  }
}

function message(state: SessionState, event: Of<"message">): void {
  let target = state.nick;
  if (event.room !== undefined) {
    const room = state.room(event.room);
    if (room === undefined) return;
    target = room.name;
  }
  const make = () => messageLines(state, event, target);
  if (event.room === undefined) return state.sendLines(make());
  // Members with the same tags get the same lines: made once per event, not per member.
  state.sendShared(
    event,
    `${target} ${state.has("server-time")} ${state.has("message-tags")}`,
    make,
  );
}

function messageLines(state: SessionState, event: Of<"message">, target: string): string[] {
  const source = state.source(event.from);
  const action = event.action === true;
  const tags = state.tagsAt(event.ts, event.id);
  const lines: string[] = [];
  for (
    const text of outgoingTexts({ source, command: "PRIVMSG", target, text: event.text, action })
  ) {
    const line = state.format({
      tags,
      source,
      command: "PRIVMSG",
      params: [target, text],
      trailing: true,
    });
    if (line !== null) lines.push(line);
  }
  return lines;
}

/** A line from `nick` about `event`, the same for every member with the same tags. */
function fromUserShared(
  state: SessionState,
  event: Extract<HubEvent, { ts: number }>,
  command: string,
  nick: string,
  params: string[],
): void {
  const timed = state.has("server-time");
  state.sendShared(event, `${command} ${params[0]} ${timed}`, () => {
    const line = state.formatFromUser(nick, command, params, state.tagsAt(event.ts));
    return line === null ? [] : [line];
  });
}

/** Another user joined a room the user is in (the hub tells members only). */
function join(state: SessionState, event: Of<"join">): void {
  if (ircKey(event.name) === ircKey(state.nick)) return joinedRoom(state, event.room, event.ts);
  const room = state.room(event.room);
  if (room === undefined) return;
  fromUserShared(state, event, "JOIN", event.name, [room.name]);
}

/**
 * Users who joined a room the user is in, one hub event: a JOIN line each, made once for every
 * member with the same tags as one text, of which a member that joined meanwhile takes the part
 * after its own line.
 */
function joins(state: SessionState, event: Of<"joins">): void {
  const room = state.room(event.room);
  if (room === undefined) return;
  const place = placesOf(state, event).get(ircKey(state.nick)) ?? -1;
  if (place === event.names.length - 1) return;
  const timed = state.has("server-time");
  const make = () => [joinLines(state, event, room.name)];
  const [text] = state.cache === null
    ? make()
    : state.cache.lines(event, `JOINS ${room.name} ${timed}`, make);
  if (text === undefined || text === "") return;
  state.sendLines([place < 0 ? text : text.slice(startOf(text, place + 1))]);
}

/** Each name's place in a `joins`, by its IRC key: made once per event with a cache. */
function placesOf(state: SessionState, event: Of<"joins">): Map<string, number> {
  const make = () => new Map(event.names.map((name, i) => [ircKey(name), i]));
  return state.cache === null ? make() : state.cache.derived(event, make);
}

/** The JOIN lines of a `joins`, one per name, as one text. */
function joinLines(state: SessionState, event: Of<"joins">, target: string): string {
  const tags = state.tagsAt(event.ts);
  let text = "";
  for (const name of event.names) text += state.formatFromUser(name, "JOIN", [target], tags) ?? "";
  return text;
}

/** Where line `index` (from 0) of a text of CR LF lines starts. */
function startOf(text: string, index: number): number {
  let at = 0;
  for (let i = 0; i < index && at >= 0; i++) at = text.indexOf("\n", at) + 1;
  return at;
}

/**
 * A `leave` with a room and reason `part` is a PART; any other is the user gone (QUIT), told
 * once however many rooms the user shared: the hub's leaves of one departure come one after
 * the other (`lastQuit`).
 */
function leave(state: SessionState, event: Of<"leave">, lastQuit: string | null): void {
  const key = ircKey(event.name);
  const self = key === ircKey(state.nick);
  const room = event.room === undefined ? undefined : state.room(event.room);
  if (event.room !== undefined && event.reason === "part") {
    if (self) return leftRoom(state, event.room, event.ts);
    if (room !== undefined) fromUserShared(state, event, "PART", event.name, [room.name]);
    return;
  }
  if (self) return;
  const shared = event.room === undefined || room !== undefined;
  // A leave from a room the user is not in (left meanwhile) shows nothing and ends no run.
  state.lastQuit = shared || lastQuit === key ? key : null;
  if (!shared || lastQuit === key) return;
  const reason = event.text === undefined
    ? quitReason(event.reason)
    : `Quit: ${safeText(event.text)}`;
  fromUserShared(state, event, "QUIT", event.name, [reason]);
}

function topic(state: SessionState, event: Of<"topic">): void {
  const room = state.room(event.room);
  // The user's own change was shown when the hub said ok.
  if (room === undefined || (event.by !== undefined && ircKey(event.by) === ircKey(state.nick))) {
    return;
  }
  const params = [room.name, event.text === "" ? "" : safeText(event.text)];
  const tags = state.tagsAt(event.ts);
  if (event.by === undefined) {
    state.send({ tags, source: state.info.name, command: "TOPIC", params, trailing: true });
  } else state.fromUser(event.by, "TOPIC", params, tags);
}

/** Someone sharing a room was renamed (the hub tells each of them once). */
function nick(state: SessionState, event: Of<"nick">): void {
  if (ircKey(event.old) === ircKey(state.nick)) return renamedSelf(state, event.name, event.ts);
  // The user's own rename, its reply come first: shown then.
  if (ircKey(event.name) === ircKey(state.nick)) return;
  fromUserShared(state, event, "NICK", event.old, [event.name]);
}

function awayParams(text: string | undefined): string[] {
  return text === undefined ? [] : [safeText(text)];
}

function quitReason(reason: string): string {
  return Object.hasOwn(QUIT_REASONS, reason) ? QUIT_REASONS[reason]! : safeText(reason);
}

/** The hub's replay of a room the user just joined: played back as its history, if in it. */
function replay(state: SessionState, event: Of<"history">): void {
  const room = event.messages[0]?.room;
  if (room === undefined || state.room(room) === undefined) return;
  replyHistory(state, { command: "JOIN", target: room }, event);
}
