/**
 * How the client shows stored messages (a room's replay on join, what a reconnection missed):
 * each as its live line would be, with its original time, dimmed so that it cannot pass for
 * something said now.
 * @module
 */

import type { HistoryEntry, ServerMessage } from "../chat/events.ts";
import { nameKey } from "../chat/names.ts";
import { paint } from "../tui/style.ts";
import { formatEvent, type FormatOptions, formatOwn } from "./format.ts";

/** A `history` line from the hub. */
export type HistoryLine = ServerMessage & { type: "history" };

/**
 * The lines showing `history` to `me`, oldest first: what `me` sent as its own lines are, the
 * rest as messages, none highlighted, every one dimmed.
 *
 * @example
 * ```ts
 * import { formatHistory } from "./history_display.ts";
 * const history = { type: "history" as const, room: "#dev", messages: [{ id: 1, from: "bob", text: "hi", ts: 0 }] };
 * formatHistory(history, "ann", { color: false }); // ["[00:00:00] <bob> hi"] (in the local time zone)
 * ```
 */
export function formatHistory(history: HistoryLine, me: string, options: FormatOptions): string[] {
  const plain = { ...options, highlight: false };
  const lines: string[] = [];
  for (const entry of history.messages) {
    const line = nameKey(entry.from) === nameKey(me)
      ? formatOwn(sentOf(entry), me, plain)
      : formatEvent(messageOf(history, entry), plain);
    if (line !== null) lines.push(paint(line, "dim", options.color));
  }
  return lines;
}

function messageOf(history: HistoryLine, entry: HistoryEntry): ServerMessage {
  const { id, from, text, ts } = entry;
  const where = entry.to !== undefined ? { to: entry.to } : roomOf(history);
  const action = entry.action === true ? { action: true } : {};
  return { type: "message", from, text, ...action, ...where, id, ts };
}

function sentOf(entry: HistoryEntry): Parameters<typeof formatOwn>[0] {
  const to = entry.to === undefined ? {} : { to: entry.to };
  return {
    ...to,
    text: entry.text,
    ts: entry.ts,
    ...(entry.action === true ? { action: true } : {}),
  };
}

function roomOf(history: HistoryLine): { room?: string } {
  return history.room === undefined ? {} : { room: history.room };
}
