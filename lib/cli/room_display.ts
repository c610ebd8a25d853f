/**
 * How the interactive client shows its rooms: which room an event belongs to, where the room
 * keys go, and the prompt and status area naming the current room.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import type { Key } from "../tui/keys.ts";
import { paint } from "../tui/style.ts";
import type { Terminal } from "../tui/terminal.ts";
import type { RoomTabs } from "./room_tabs.ts";

/** What the display needs to know: who the user is, the rooms, the transfers' status lines. */
export interface RoomView {
  me: string | null;
  tabs: RoomTabs;
  transferStatus: string[];
}

/** The room an event belongs to, or `null` for one shown whatever the room (a private one). */
export function roomOf(message: ServerMessage): string | null {
  if (
    message.type !== "message" && message.type !== "join" && message.type !== "leave" &&
    message.type !== "topic"
  ) return null;
  return message.room ?? null;
}

/** Where Alt-1…9 and Ctrl-N/P go: the lines missed there, or `null` to leave the key alone. */
export function roomKeyTarget(tabs: RoomTabs, key: Key): string[] | null {
  if (key.kind === "alt-digit") return tabs.nth(key.digit - 1);
  if (key.kind === "ctrl" && key.letter === "n") return tabs.step(1);
  if (key.kind === "ctrl" && key.letter === "p") return tabs.step(-1);
  return null;
}

/**
 * Shows the current room: its missed lines (under a line naming it), the prompt with its
 * name, and the status area: the transfers, then the rooms with their unread counts.
 */
export function showRooms(
  terminal: Pick<Terminal, "print" | "setPrompt" | "setStatus" | "columns">,
  known: RoomView,
  color: boolean,
  missed: string[],
): void {
  const room = known.tabs.current;
  if (missed.length > 0) terminal.print(paint(`--- ${room} ---`, "gray", color), ...missed);
  terminal.setPrompt(paint(`${known.me ?? ""} ${room}> `, "bold", color));
  const rooms = known.tabs.statusLines(color, terminal.columns);
  terminal.setStatus([...known.transferStatus, ...rooms]);
}
