/**
 * Each room's member names as one run of bytes, kept for the hub's in-process gateways (the
 * IRC links): a NAMES reply is then a view of a buffer, not a list of thousands of names built,
 * encoded, parsed and checked again per login. Bytes rather than a string: the list lives long,
 * and a string grown by a name per login would leave a copy of the whole list in V8's old
 * generation at each (a login storm's garbage kept the heap's pages). Sans-IO bookkeeping.
 * @module
 */

import type { Room } from "./room_registry.ts";

/** The names of a room's first members, and those of them away. */
export interface NamesPrefix {
  /**
   * Their names in join order, one space between, in ASCII (the names are): a view of bytes
   * that are never written again.
   */
  bytes: Uint8Array;
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
  /**
   * The names of the room's first `ends.length` members, in join order, one space between,
   * in the buffer's first `used` bytes; a larger buffer takes over when full (the bytes handed
   * out stay as they are, in the old one).
   */
  buffer: Uint8Array;
  used: number;
  /** Where each member's name ends in the buffer. */
  ends: number[];
  /** The members away: their places in the list, and their names (copied on change). */
  awayAt: number[];
  away: readonly string[];
}

const NOBODY: readonly string[] = [];
const NO_BYTES = new Uint8Array(0);
const SPACE = 0x20;
const utf8 = new TextEncoder();

/**
 * The names of each room's members, in the order they joined, as one space-separated run of
 * bytes, with who of them is away. A join appends to it; a leave, a rename or a change of away state
 * drops it, and the next read builds it again from the room (once per change, however many
 * read it after). The hub reports every join, leave and change; a count of members that does
 * not match the text (a change not reported) has it built again too.
 *
 * @example
 * ```ts
 * import { RoomNamesText } from "./room_names_text.ts";
 * const texts = new RoomNamesText<string>({ name: (m) => m, away: (m) => m === "bob" });
 * const room = { name: "#dev", members: new Set(["ann", "bob"]), topic: null, kept: false };
 * new TextDecoder().decode(texts.prefix(room, 2).bytes); // "ann bob"
 * texts.prefix(room, 2).away; // ["bob"]
 * texts.prefix(room, 1).away; // []
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
    if (count >= ends.length) return { bytes: kept.buffer.subarray(0, kept.used), away: kept.away };
    if (count <= 0) return { bytes: NO_BYTES, away: NOBODY };
    const bytes = kept.buffer.subarray(0, ends[count - 1]);
    let listed = awayAt.length;
    while (listed > 0 && awayAt[listed - 1]! >= count) listed--;
    return { bytes, away: listed === awayAt.length ? kept.away : kept.away.slice(0, listed) };
  }

  #current(room: Room<M>): NamesText {
    const kept = this.#texts.get(room);
    if (kept !== undefined && kept.ends.length === room.members.size) return kept;
    const built: NamesText = { buffer: NO_BYTES, used: 0, ends: [], awayAt: [], away: [] };
    const names: string[] = [];
    let bytes = MIN_SPARE_BYTES;
    for (const member of room.members) {
      const name = this.#view.name(member);
      names.push(name);
      bytes += 3 * name.length + 1;
    }
    built.buffer = new Uint8Array(bytes);
    let i = 0;
    for (const member of room.members) append(built, names[i++]!, this.#view.away(member));
    this.#texts.set(room, built);
    return built;
  }
}

/** Room left for joins when a list is built or grown, at the least (a few names). */
const MIN_SPARE_BYTES = 256;

/** Adds a member's name at the end. */
function append(kept: NamesText, name: string, away: boolean): void {
  const first = kept.ends.length === 0;
  // Room for the worst of UTF-8, though a name is ASCII: as many bytes as characters.
  const needed = kept.used + 3 * name.length + 1;
  if (needed > kept.buffer.length) {
    const grown = new Uint8Array(needed * 2 + MIN_SPARE_BYTES);
    grown.set(kept.buffer.subarray(0, kept.used));
    kept.buffer = grown;
  }
  if (!first) kept.buffer[kept.used++] = SPACE;
  kept.used += utf8.encodeInto(name, kept.buffer.subarray(kept.used)).written;
  kept.ends.push(kept.used);
  if (!away) return;
  kept.awayAt.push(kept.ends.length - 1);
  // A new array: the one before may have been handed out with an answer.
  kept.away = [...kept.away, name];
}
