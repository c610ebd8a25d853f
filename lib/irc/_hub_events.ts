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
  switch (event.type) {
    case "message":
      return message(state, event);
    case "join":
      return join(state, event);
    case "leave":
      return leave(state, event);
    case "topic":
      return topic(state, event);
    case "nick":
      return nick(state, event);
    case "away":
      if (state.has("away-notify") && isKnown(state, event.name)) {
        state.fromUser(event.name, "AWAY", event.text === undefined ? [] : [safeText(event.text)]);
      }
      return;
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
  if (event.room === undefined || state.cache === null) return state.sendLines(make());
  // Members with the same tags get the same lines: made once per event, not per member.
  const key = `${target} ${state.has("server-time")} ${state.has("message-tags")}`;
  state.sendLines(state.cache.lines(event, key, make));
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

function join(state: SessionState, event: Of<"join">): void {
  if (ircKey(event.name) === ircKey(state.nick)) return joinedRoom(state, event.room, event.ts);
  const room = state.room(event.room);
  if (room === undefined || room.members.has(ircKey(event.name))) return;
  room.members.set(ircKey(event.name), event.name);
  state.fromUser(event.name, "JOIN", [room.name], state.tagsAt(event.ts));
}

/** A `leave` with a room and reason `part` is a PART; any other is the user gone (QUIT). */
function leave(state: SessionState, event: Of<"leave">): void {
  const self = ircKey(event.name) === ircKey(state.nick);
  if (event.room !== undefined && event.reason === "part") {
    if (self) return leftRoom(state, event.room, event.ts);
    const room = state.room(event.room);
    if (room === undefined || !room.members.delete(ircKey(event.name))) return;
    return state.fromUser(event.name, "PART", [room.name], state.tagsAt(event.ts));
  }
  if (self) return;
  let shared = false;
  for (const room of state.rooms.values()) {
    shared = room.members.delete(ircKey(event.name)) || shared;
  }
  // A user gone is told once, to those who shared a room with them, as IRC does.
  if (!shared) return;
  const reason = event.text === undefined
    ? quitReason(event.reason)
    : `Quit: ${safeText(event.text)}`;
  state.fromUser(event.name, "QUIT", [reason], state.tagsAt(event.ts));
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

function nick(state: SessionState, event: Of<"nick">): void {
  if (ircKey(event.old) === ircKey(state.nick)) return renamedSelf(state, event.name, event.ts);
  let known = false;
  for (const room of state.rooms.values()) {
    if (!room.members.delete(ircKey(event.old))) continue;
    room.members.set(ircKey(event.name), event.name);
    known = true;
  }
  if (known) state.fromUser(event.old, "NICK", [event.name], state.tagsAt(event.ts));
}

function isKnown(state: SessionState, name: string): boolean {
  for (const room of state.rooms.values()) if (room.members.has(ircKey(name))) return true;
  return false;
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
