/**
 * The client's reader of the `history` lines a hub sends (a room's replay on join, or the answer
 * to a `history` request), each entry checked as strictly as a live `message`: ids positive and
 * increasing (oldest first, as the hub sends them), names the name rules, texts the text rule,
 * a room's entries without `to` and a private conversation's with one.
 * @module
 */

import type { HistoryEntry, ServerMessage } from "./events.ts";
import type { FieldReader } from "./field_reader.ts";
import { MAX_TEXT_CHARS } from "./limits.ts";
import type { RequestId } from "./requests.ts";
import { readRoom } from "./room_events.ts";

/** Reads a `history` line from its checked fields. */
export function readHistory(r: FieldReader, re: { re?: RequestId }): ServerMessage {
  const inRoom = r.absent("peer");
  const scope = inRoom ? { room: readRoom(r, "room") } : { peer: r.name("peer") };
  if (!inRoom && !r.absent("room")) r.member("room", isNever, "absent with 'peer'", undefined);
  let lastId = 0;
  const messages = r.list("messages", (entry) => {
    const read = readEntry(entry, inRoom);
    // Out of order or repeated ids would let a hub pass old lines off as new ones.
    if (read.id <= lastId) entry.member("id", isNever, `above ${lastId}`, undefined);
    lastId = read.id;
    return read;
  });
  const more = r.absent("more") ? {} : { more: r.boolean("more") };
  return { type: "history", ...re, ...scope, messages, ...more };
}

function readEntry(entry: FieldReader, inRoom: boolean): HistoryEntry {
  const id = entry.integer("id", 1);
  const from = entry.name("from");
  const to = inRoom ? noTo(entry) : { to: entry.name("to") };
  const text = entry.string("text", checkText);
  const action = entry.absent("action") ? {} : { action: entry.boolean("action") };
  return { id, from, ...to, text, ...action, ts: entry.time("ts") };
}

function noTo(entry: FieldReader): { to?: string } {
  if (!entry.absent("to")) entry.member("to", isNever, "absent in a room's history", undefined);
  return {};
}

function isNever(_: unknown): _ is never {
  return false;
}

function checkText(text: string): string | null {
  return text.length >= 1 && text.length <= MAX_TEXT_CHARS
    ? null
    : `not 1 to ${MAX_TEXT_CHARS} characters`;
}
