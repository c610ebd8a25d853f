/**
 * The interactive client's rooms as tabs: the current one, whose lines are shown as they come,
 * and the others, whose lines wait (counted as unread, marked when one names the user) until
 * the user switches there. Pure state: the terminal driver prints what it returns.
 * @module
 */

import { LOBBY, roomKey } from "../chat/room_rules.ts";
import { paint, visibleWidth } from "../tui/style.ts";

/** Most lines kept per room not shown; older ones are dropped (the count still says how many). */
export const MAX_MISSED_LINES = 200;

/** Whether a line that arrives counts as unread, and whether it calls for attention. */
export interface Arrival {
  /** A message (joins, leaves and topics are kept but not counted). */
  unread: boolean;
  /** It names the user: the room is marked until visited. */
  highlight: boolean;
}

interface Tab {
  room: string;
  missed: string[];
  unread: number;
  highlight: boolean;
}

/**
 * The rooms, in the order joined, and which one is current.
 *
 * @example
 * ```ts
 * import { RoomTabs } from "./room_tabs.ts";
 * const tabs = new RoomTabs();
 * tabs.sync(["#lobby", "#dev"]);
 * tabs.arrive("#dev", ["<ann> hi"], { unread: true, highlight: false }); // false: kept
 * tabs.statusLine(false); // "[#lobby] #dev(1)"
 * tabs.switchTo("#dev"); // ["<ann> hi"]: print them now
 * ```
 */
export class RoomTabs {
  #tabs: Tab[] = [tab(LOBBY)];
  #current = 0;

  /** The current room: where plain text goes. */
  get current(): string {
    return this.#tabs[this.#current]?.room ?? LOBBY;
  }

  /** The rooms, in the order joined. */
  get rooms(): string[] {
    return this.#tabs.map((t) => t.room);
  }

  /**
   * Follows the rooms the session is in: new ones are added at the end, gone ones dropped
   * (the current one too: then the first room left is current, and its missed lines are
   * returned, to print).
   */
  sync(rooms: readonly string[]): string[] {
    const current = this.#tabs[this.#current];
    const old = new Map(this.#tabs.map((t) => [roomKey(t.room), t]));
    this.#tabs = rooms.map((room) => ({ ...(old.get(roomKey(room)) ?? tab(room)), room }));
    const index = current === undefined ? -1 : this.#find(current.room);
    this.#current = Math.max(0, index);
    return this.#visit();
  }

  /**
   * A line for `room`: `true` when it is the current room (print it now), otherwise it is
   * kept for later and `false`. A line for a room not (or no longer) a tab is shown.
   */
  arrive(room: string, lines: readonly string[], arrival: Arrival): boolean {
    const index = this.#find(room);
    if (index < 0 || index === this.#current) return true;
    const t = this.#tabs[index]!;
    t.missed.push(...lines);
    if (t.missed.length > MAX_MISSED_LINES) t.missed.splice(0, t.missed.length - MAX_MISSED_LINES);
    if (arrival.unread) t.unread++;
    if (arrival.highlight) t.highlight = true;
    return false;
  }

  /** Makes `room` current; returns its lines missed meanwhile, or `null` if it is no tab. */
  switchTo(room: string): string[] | null {
    const index = this.#find(room);
    return index < 0 ? null : this.#select(index);
  }

  /** Makes the `n`-th room (from 0) current, as `switchTo` does; `null` past the last. */
  nth(n: number): string[] | null {
    return n >= 0 && n < this.#tabs.length ? this.#select(n) : null;
  }

  /** Moves to the next room (`step` 1) or the previous (-1), round; as `switchTo` does. */
  step(step: 1 | -1): string[] | null {
    if (this.#tabs.length < 2) return null;
    return this.#select((this.#current + step + this.#tabs.length) % this.#tabs.length);
  }

  /**
   * The status line: every room, the current one in brackets, the others with their unread
   * count, those that named the user marked `!`; empty with a single room and nothing unread.
   */
  statusLine(color: boolean): string {
    return this.statusLines(color, Infinity).join("\n");
  }

  /**
   * The status line as lines of fewer than `width` columns, broken between rooms, so that the
   * current room and those that named the user stay in sight in a narrow terminal. A room name
   * longer than a line gets a line of its own (the terminal cuts it).
   */
  statusLines(color: boolean, width: number): string[] {
    if (this.#tabs.length < 2) return [];
    const lines: string[] = [];
    let line = "";
    for (const label of this.#labels(color)) {
      if (line !== "" && visibleWidth(line) + 1 + visibleWidth(label) > width - 1) {
        lines.push(line);
        line = "";
      }
      line = line === "" ? label : `${line} ${label}`;
    }
    return [...lines, line];
  }

  #labels(color: boolean): string[] {
    return this.#tabs.map((t, i) => {
      if (i === this.#current) return paint(`[${t.room}]`, "bold", color);
      const count = t.unread === 0 ? "" : `(${t.unread}${t.highlight ? "!" : ""})`;
      const label = `${t.room}${count}`;
      return t.highlight ? paint(label, "yellow", color) : label;
    });
  }

  #select(index: number): string[] {
    this.#current = index;
    return this.#visit();
  }

  /** Marks the current room read and takes the lines it had waiting. */
  #visit(): string[] {
    const t = this.#tabs[this.#current];
    if (t === undefined) return [];
    const missed = t.missed;
    t.missed = [];
    t.unread = 0;
    t.highlight = false;
    return missed;
  }

  #find(room: string): number {
    const key = roomKey(room);
    return this.#tabs.findIndex((t) => roomKey(t.room) === key);
  }
}

function tab(room: string): Tab {
  return { room, missed: [], unread: 0, highlight: false };
}
