/**
 * The client's readers of the room lines a hub sends (`joined`, `parted`, `topic`, `rooms`,
 * `names`) and of the `room` field other lines carry, each field checked against the rule the
 * hub keeps: room names the room rules, topics the topic rules, names the name rules.
 * @module
 */

import type { ServerMessage } from "./events.ts";
import type { FieldReader } from "./field_reader.ts";
import { checkName } from "./names.ts";
import type { RequestId } from "./requests.ts";
import { checkRoomName, checkTopic } from "./room_rules.ts";

type Re = { re?: RequestId };

/** Reads a line of one type from its checked fields. */
export type LineReader = (r: FieldReader, re: Re) => ServerMessage;

/** Readers of the replies and events that only rooms have. */
export const ROOM_READERS: Record<string, LineReader> = {
  joined: (r, re) => {
    const members = r.strings("members", nameRule);
    const room = readRoom(r, "room");
    const topic = readTopic(r, "topic");
    // Who set the topic and when come together, or not at all.
    const set = r.absent("topicBy") && r.absent("topicTs")
      ? {}
      : { topicBy: r.name("topicBy"), topicTs: r.time("topicTs") };
    return {
      type: "joined",
      ...re,
      room,
      topic,
      ...set,
      members,
      memberCount: r.integer("memberCount", members.length),
      ts: r.time("ts"),
    };
  },
  parted: (r, re) => ({ type: "parted", ...re, room: readRoom(r, "room"), ts: r.time("ts") }),
  topic: (r, re) => {
    const room = readRoom(r, "room");
    const topic = readTopic(r, "topic");
    // Who set it and when come together, or not at all (a room without a topic).
    const set = r.absent("by") && r.absent("ts") ? {} : { by: r.name("by"), ts: r.time("ts") };
    return { type: "topic", ...re, room, topic, ...set };
  },
  rooms: (r, re) => ({
    type: "rooms",
    ...re,
    rooms: r.list("rooms", (entry) => ({
      name: readRoom(entry, "name"),
      members: entry.count("members"),
      topic: readTopic(entry, "topic"),
    })),
    ...more(r),
  }),
  names: (r, re) => ({
    type: "names",
    ...re,
    room: readRoom(r, "room"),
    names: r.strings("names", nameRule),
    ...more(r),
  }),
};

/** A room name that keeps the room rules. */
export function readRoom(r: FieldReader, key: string): string {
  return r.string(key, (value) => checkRoomName(value)?.message ?? null);
}

/** The `room` of a line that may carry one (a hub of protocol 1 leaves it out). */
export function optionalRoom(r: FieldReader): { room?: string } {
  return r.absent("room") ? {} : { room: readRoom(r, "room") };
}

function readTopic(r: FieldReader, key: string): string {
  return r.string(key, (value) => checkTopic(value)?.message ?? null);
}

function nameRule(name: string): string | null {
  return checkName(name)?.message ?? null;
}

function more(r: FieldReader): { more?: boolean } {
  return r.absent("more") ? {} : { more: r.boolean("more") };
}
