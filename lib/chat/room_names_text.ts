/**
 * Each room's member names as one text, kept for the hub's in-process gateways (the IRC
 * links): a NAMES reply is then a slice of a string, not a list of thousands of names built,
 * encoded, parsed and checked again per login. Sans-IO bookkeeping.
 * @module
 */

import type { Room } from "./room_registry.ts";

/** The names of a room's first members, and those of them away. */
export interface NamesPrefix {
  /** Their names in join order, one space between. */
  text: string;
  /** The names of those away, in the same order (never to be changed: it may be shared). */
  away: readonly string[];
}

/** How {@linkcode RoomNamesText} reads a member. */
export interface MemberView<M> {
  /** The member's name as it is to be listed (ASCII). */
  name(member: M): string;
  /** Whether the member is away. */
  away(member: M): boolean;
}

interface NamesText {
  /** The names of the room's first `ends.length` members, in join order, one space between. */
  text: string;
  /** Where each member's name ends in `text`, in UTF-16 units (the names are ASCII). */
  ends: number[];
  /** The members away: their places in the list, and their names (copied on change). */
  awayAt: number[];
  away: readonly string[];
}

const NOBODY: readonly string[] = [];

/**
 * The names of each room's members, in the order they joined, as one space-separated text,
 * with who of them is away. A join appends to it; a leave, a rename or a change of away state
 * drops it, and the next read builds it again from the room (once per change, however many
 * read it after). The hub reports every join, leave and change; a count of members that does
 * not match the text (a change not reported) has it built again too.
 *
 * @example
 * ```ts
 * import { RoomNamesText } from "./room_names_text.ts";
 * const texts = new RoomNamesText<string>({ name: (m) => m, away: (m) => m === "bob" });
 * const room = { name: "#dev", members: new Set(["ann", "bob"]), topic: null, kept: false };
 * texts.prefix(room, 2); // { text: "ann bob", away: ["bob"] }
 * texts.prefix(room, 1); // { text: "ann", away: [] }
 * ```
 */
export class RoomNamesText<M> {
  readonly #view: MemberView<M>;
  readonly #texts = new WeakMap<Room<M>, NamesText>();

  constructor(view: MemberView<M>) {
    this.#view = view;
  }

  /** `member` joined `room` (it is in `room.members` already): its name goes at the end. */
  joined(room: Room<M>, member: M): void {
    const kept = this.#texts.get(room);
    if (kept === undefined) return;
    // Anything else means a change went unreported: build it again when next read.
    if (kept.ends.length !== room.members.size - 1) return this.changed(room);
    append(kept, this.#view.name(member), this.#view.away(member));
  }

  /** Someone left `room`, or a member's name or away state changed: built again when read. */
  changed(room: Room<M>): void {
    this.#texts.delete(room);
  }

  /**
   * The names of the first `count` members of `room` (all of them when `count` is its size or
   * more), and those of them away.
   */
  prefix(room: Room<M>, count: number): NamesPrefix {
    const kept = this.#current(room);
    const { ends, awayAt } = kept;
    if (count >= ends.length) return { text: kept.text, away: kept.away };
    if (count <= 0) return { text: "", away: NOBODY };
    const text = kept.text.slice(0, ends[count - 1]);
    let listed = awayAt.length;
    while (listed > 0 && awayAt[listed - 1]! >= count) listed--;
    return { text, away: listed === awayAt.length ? kept.away : kept.away.slice(0, listed) };
  }

  #current(room: Room<M>): NamesText {
    const kept = this.#texts.get(room);
    if (kept !== undefined && kept.ends.length === room.members.size) return kept;
    const built: NamesText = { text: "", ends: [], awayAt: [], away: [] };
    const names: string[] = [];
    for (const member of room.members) {
      const name = this.#view.name(member);
      names.push(name);
      append(built, name, this.#view.away(member), false);
    }
    built.text = names.join(" ");
    this.#texts.set(room, built);
    return built;
  }
}

/** Adds a member's name at the end (to `text` too, unless `toText` is false). */
function append(kept: NamesText, name: string, away: boolean, toText = true): void {
  const first = kept.ends.length === 0;
  if (toText) kept.text = first ? name : `${kept.text} ${name}`;
  kept.ends.push((first ? 0 : kept.ends.at(-1)! + 1) + name.length);
  if (!away) return;
  kept.awayAt.push(kept.ends.length - 1);
  // A new array: the one before may have been handed out with an answer.
  kept.away = [...kept.away, name];
}
