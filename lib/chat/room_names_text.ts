/**
 * Each room's member names as one text, kept for the hub's in-process gateways (the IRC
 * links): a NAMES reply is then a slice of a string, not a list of thousands of names built,
 * encoded, parsed and checked again per login. Sans-IO bookkeeping.
 * @module
 */

import type { Room } from "./room_registry.ts";

interface NamesText {
  /** The names of the room's first `ends.length` members, in join order, one space between. */
  text: string;
  /** Where each member's name ends in `text`, in UTF-16 units (the names are ASCII). */
  ends: number[];
}

/**
 * The names of each room's members, in the order they joined, as one space-separated text.
 * A join appends to it; a leave or a rename drops it, and the next read builds it again from
 * the room (once per change, however many read it after). The hub reports every join, leave
 * and rename; a count of members that does not match the text (a change not reported) has it
 * built again too.
 *
 * @example
 * ```ts
 * import { RoomNamesText } from "./room_names_text.ts";
 * const texts = new RoomNamesText<string>((member) => member);
 * const room = { name: "#dev", members: new Set(["ann", "bob"]), topic: null, kept: false };
 * texts.prefix(room, 2); // "ann bob"
 * texts.prefix(room, 1); // "ann"
 * ```
 */
export class RoomNamesText<M> {
  readonly #nameOf: (member: M) => string;
  readonly #texts = new WeakMap<Room<M>, NamesText>();

  /** @param nameOf a member's name as it is to be listed */
  constructor(nameOf: (member: M) => string) {
    this.#nameOf = nameOf;
  }

  /** `member` joined `room` (it is in `room.members` already): its name goes at the end. */
  joined(room: Room<M>, member: M): void {
    const kept = this.#texts.get(room);
    if (kept === undefined) return;
    // Anything else means a change went unreported: build it again when next read.
    if (kept.ends.length !== room.members.size - 1) return this.changed(room);
    const name = this.#nameOf(member);
    kept.text = kept.ends.length === 0 ? name : `${kept.text} ${name}`;
    kept.ends.push(kept.text.length);
  }

  /** Someone left `room`, or a member was renamed: its text is built again when next read. */
  changed(room: Room<M>): void {
    this.#texts.delete(room);
  }

  /**
   * The names of the first `count` members of `room` (all of them when `count` is its size or
   * more), one space between.
   */
  prefix(room: Room<M>, count: number): string {
    const kept = this.#current(room);
    if (count >= kept.ends.length) return kept.text;
    return count <= 0 ? "" : kept.text.slice(0, kept.ends[count - 1]);
  }

  #current(room: Room<M>): NamesText {
    const kept = this.#texts.get(room);
    if (kept !== undefined && kept.ends.length === room.members.size) return kept;
    const names: string[] = [];
    const ends: number[] = [];
    let end = -1;
    for (const member of room.members) {
      const name = this.#nameOf(member);
      names.push(name);
      end += 1 + name.length;
      ends.push(end);
    }
    const built = { text: names.join(" "), ends };
    this.#texts.set(room, built);
    return built;
  }
}
