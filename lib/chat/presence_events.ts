/**
 * The client's readers of the presence lines a hub sends (`joins`, `nick`, `away`, `whois`), each
 * field checked against the rule the hub keeps: names the name rules, away text the away
 * rules, rooms the room rules and no more of them than a user may be in.
 * @module
 */

import type { FieldReader } from "./field_reader.ts";
import { MAX_JOINS_PER_EVENT, MAX_ROOMS_PER_USER } from "./limits.ts";
import { checkName } from "./names.ts";
import { checkAway } from "./presence_rules.ts";
import { type LineReader, readRoom } from "./room_events.ts";
import { checkRoomName } from "./room_rules.ts";

/** Readers of the replies and events that only presence has. */
export const PRESENCE_READERS: Record<string, LineReader> = {
  nick: (r) => ({ type: "nick", old: r.name("old"), name: r.name("name"), ts: r.time("ts") }),
  joins: (r) => ({
    type: "joins",
    room: readRoom(r, "room"),
    names: r.strings("names", joinerRule),
    ts: r.time("ts"),
  }),
  away: (r) => ({
    type: "away",
    name: r.name("name"),
    ...optionalAway(r, "text"),
    ts: r.time("ts"),
  }),
  whois: (r, re) => ({
    type: "whois",
    ...re,
    name: r.name("name"),
    since: r.time("since"),
    idleMs: r.count("idleMs"),
    rooms: r.strings("rooms", roomRule),
    ...optionalAway(r, "away"),
  }),
};

/** An away text under `key`, when present: `{ [key]: text }`, checked by the away rules. */
export function optionalAway<K extends string>(r: FieldReader, key: K): { [P in K]?: string } {
  if (r.absent(key)) return {};
  const text = r.string(key, (value) => checkAway(value)?.message ?? null);
  return { [key]: text } as { [P in K]?: string };
}

/** Each name of a `joins` keeps the name rules; one names at most `MAX_JOINS_PER_EVENT`. */
function joinerRule(name: string, index: number): string | null {
  if (index >= MAX_JOINS_PER_EVENT) return `more than ${MAX_JOINS_PER_EVENT} names`;
  return checkName(name)?.message ?? null;
}

/** Each room of a `whois` keeps the room rules; a user is in at most `MAX_ROOMS_PER_USER`. */
function roomRule(room: string, index: number): string | null {
  if (index >= MAX_ROOMS_PER_USER) return `more than ${MAX_ROOMS_PER_USER} rooms`;
  return checkRoomName(room)?.message ?? null;
}
