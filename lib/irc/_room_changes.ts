/**
 * What the user's own joins, parts and renames change, whichever of the hub's reply or event
 * tells of them first (each is applied once). Private to lib/irc.
 * @module
 */

import { MAX_IRC_LINE_BYTES } from "./limits.ts";
import { ircKey } from "./room_name.ts";
import { echoParam, safeText, type SessionState } from "./_session_state.ts";
import { utf8Length } from "./utf8_length.ts";

/** What the hub's answer to a join told of the room. */
export interface JoinDetails {
  /** Its topic, `""` for none. */
  topic: string;
  /** Who set the topic, and when (ms since the epoch), if the hub said. */
  topicBy?: string;
  topicTs?: number;
  /** Its first members. */
  members: readonly string[];
  /** Whether `members` are all of them. */
  complete: boolean;
}

/**
 * The user is in `name` now: JOIN to the client, then the topic (332) and names (353, 366).
 * What the hub's answer told is shown at once; the rest is asked for, which spends the user's
 * rate limit: a join with its details costs one request, not three.
 */
export function joinedRoom(
  state: SessionState,
  name: string,
  ts: number,
  known?: JoinDetails,
): void {
  if (state.room(name) !== undefined) return;
  state.rooms.set(ircKey(name), { name });
  state.fromUser(state.nick, "JOIN", [name], state.tagsAt(ts));
  if (known === undefined) {
    const topic = { command: "TOPIC", target: name, automatic: true };
    state.request({ type: "topic", room: name }, topic);
  } else if (known.topic !== "") {
    state.reply("RPL_TOPIC", [name, safeText(known.topic)]);
    if (known.topicBy !== undefined && known.topicTs !== undefined) {
      topicWhoTime(state, name, known.topicBy, known.topicTs);
    }
  }
  if (known?.complete === true) return namesReplies(state, name, known.members.join(" "));
  state.request({ type: "names", room: name }, { command: "NAMES", target: name, automatic: true });
}

/** The user left `name`: PART to the client. */
export function leftRoom(state: SessionState, name: string, ts: number): void {
  const room = state.room(name);
  if (room === undefined) return;
  state.rooms.delete(ircKey(name));
  state.fromUser(state.nick, "PART", [room.name], state.tagsAt(ts));
}

/** The user is called `name` now: NICK from the old name to the client. */
export function renamedSelf(state: SessionState, name: string, ts: number): void {
  const old = state.nick;
  if (old === name) return;
  state.registration.renamed(name);
  state.fromUser(old, "NICK", [name], state.tagsAt(ts));
}

/**
 * The 353 lines listing `names` (one space between, as the hub lists them) in `room`, each
 * within 512 bytes, and 366. The text is cut at spaces, never parsed into names: a NAMES of
 * thousands of members costs a few slices per line, not an object per name.
 */
export function namesReplies(state: SessionState, room: string, names: string): void {
  const overhead = utf8Length(`:${state.info.name} 353 ${state.nick} = ${room} :`) + 2;
  const budget = MAX_IRC_LINE_BYTES - overhead;
  for (const line of namesLines(names, budget)) state.reply("RPL_NAMREPLY", ["=", room, line]);
  state.reply("RPL_ENDOFNAMES", [room, "End of /NAMES list"]);
}

/**
 * `names` cut at spaces into lines of at most `budget` bytes; a name longer than that is a
 * line of its own. User names are ASCII (the hub's name rules, which the gateway's checks of
 * the hub's lines hold it to), so characters are bytes and the text is never measured; a line
 * that came out longer anyway would be shortened by the formatter, as any other.
 */
export function namesLines(names: string, budget: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < names.length) {
    if (names.charCodeAt(start) === SPACE) {
      start++;
      continue;
    }
    if (names.length - start <= budget) {
      lines.push(names.slice(start));
      break;
    }
    let end = names.lastIndexOf(" ", start + budget);
    if (end <= start) end = names.indexOf(" ", start);
    if (end < 0) end = names.length;
    lines.push(names.slice(start, end));
    start = end + 1;
  }
  return lines;
}

const SPACE = 0x20;

/** 333: who set the topic of `room`, and when (in seconds, as IRC counts). */
export function topicWhoTime(state: SessionState, room: string, by: string, ts: number): void {
  state.reply("RPL_TOPICWHOTIME", [room, echoParam(by), String(Math.floor(ts / 1000))]);
}
