/**
 * The rooms of a hub: who is in which, and each room's topic. A room is created by its first
 * join and gone with its last member, unless it is kept (it has history): then it rests, empty,
 * with its name and topic, up to {@linkcode MAX_RESTING_ROOMS} of them. Sans-IO bookkeeping, knowing nothing of connections or
 * lines: the hub (and later an IRC front end, or a history store) sits on it.
 * @module
 */

import type { ProtocolError } from "./errors.ts";
import { DEFAULT_MAX_ROOMS, MAX_RESTING_ROOMS, MAX_ROOMS_PER_USER } from "./limits.ts";
import { checkRoomName, roomKey } from "./room_rules.ts";

/** A room's topic, who set it, and when (wall clock, ms since the Unix epoch). */
export interface RoomTopic {
  text: string;
  by: string;
  ts: number;
}

/** One room, as the registry lends it out: read it, never change it. */
export interface Room<M> {
  /** The name as its first member spelt it (`#Dev`); unique ignoring case. */
  readonly name: string;
  /** The members, in the order they joined. */
  readonly members: ReadonlySet<M>;
  /** `null` until someone sets one, and after it is cleared. */
  readonly topic: RoomTopic | null;
  /** Whether it stays when empty (it has history). */
  readonly kept: boolean;
}

/** Limits of a {@linkcode RoomRegistry}. */
export interface RoomLimits {
  /** Most rooms at once (default `DEFAULT_MAX_ROOMS`); past it `ROOMS_FULL`. */
  maxRooms?: number;
  /** Most rooms one member is in at once (default `MAX_ROOMS_PER_USER`); `TOO_MANY_ROOMS`. */
  maxRoomsPerMember?: number;
  /** Most kept rooms resting empty (default `MAX_RESTING_ROOMS`); past it the oldest go. */
  maxResting?: number;
}

/** The outcome of a join: the room, and whether the member was in it already. */
export type JoinOutcome<M> =
  | { ok: true; room: Room<M>; already: boolean }
  | { ok: false; error: ProtocolError };

interface MutableRoom<M> {
  name: string;
  members: Set<M>;
  topic: RoomTopic | null;
  kept: boolean;
}

/**
 * Rooms by name (ignoring case), and the rooms of each member.
 *
 * @example
 * ```ts
 * import { RoomRegistry } from "./room_registry.ts";
 * const rooms = new RoomRegistry<string>();
 * rooms.join("ann", "#Dev"); // { ok: true, room: { name: "#Dev", ... }, already: false }
 * rooms.get("#dev")?.members.size; // 1
 * rooms.part("ann", "#dev"); // the room, now gone
 * rooms.get("#dev"); // undefined
 * ```
 */
export class RoomRegistry<M> {
  readonly #rooms = new Map<string, MutableRoom<M>>();
  readonly #of = new Map<M, Set<MutableRoom<M>>>();
  /** Kept rooms with no member, by key, the one empty the longest first. */
  readonly #resting = new Map<string, MutableRoom<M>>();
  readonly #maxRooms: number;
  readonly #maxPerMember: number;
  readonly #maxResting: number;

  constructor(limits: RoomLimits = {}) {
    this.#maxRooms = limits.maxRooms ?? DEFAULT_MAX_ROOMS;
    this.#maxPerMember = limits.maxRoomsPerMember ?? MAX_ROOMS_PER_USER;
    this.#maxResting = limits.maxResting ?? MAX_RESTING_ROOMS;
  }

  /** How many rooms exist. */
  get size(): number {
    return this.#rooms.size;
  }

  /** The room of that name (any case), if it exists. */
  get(name: string): Room<M> | undefined {
    return this.#rooms.get(roomKey(name));
  }

  /** Every room, in the order they were created. */
  all(): IterableIterator<Room<M>> {
    return this.#rooms.values();
  }

  /** The rooms `member` is in, in the order joined. */
  roomsOf(member: M): Room<M>[] {
    return [...(this.#of.get(member) ?? [])];
  }

  /** Whether `member` is in the room of that name. */
  isIn(member: M, name: string): boolean {
    const room = this.#rooms.get(roomKey(name));
    return room !== undefined && room.members.has(member);
  }

  /**
   * Puts `member` in the room, creating it if need be. Refused: a name that breaks the rules
   * (`ROOM_INVALID`), a member in too many rooms (`TOO_MANY_ROOMS`), a new room past the
   * hub's limit (`ROOMS_FULL`). Joining a room one is in already changes nothing.
   *
   * @param options.pastRoomLimit create the room even past `maxRooms` (`#lobby` at login, so
   *   that no number of rooms can keep a newcomer out of it)
   */
  join(member: M, name: string, options: { pastRoomLimit?: boolean } = {}): JoinOutcome<M> {
    const invalid = checkRoomName(name);
    if (invalid !== null) return { ok: false, error: invalid };
    const key = roomKey(name);
    const existing = this.#rooms.get(key);
    if (existing?.members.has(member)) return { ok: true, room: existing, already: true };
    const mine = this.#of.get(member) ?? new Set<MutableRoom<M>>();
    if (mine.size >= this.#maxPerMember) {
      const message = `In ${this.#maxPerMember} rooms already: leave one first`;
      return { ok: false, error: { code: "TOO_MANY_ROOMS", message } };
    }
    if (existing === undefined && this.#rooms.size >= this.#maxRooms) {
      const oldest = this.#resting.values().next();
      if (!oldest.done) this.#forget(oldest.value);
      else if (!options.pastRoomLimit) {
        const message = `The server holds ${this.#maxRooms} rooms already: join one of them`;
        return { ok: false, error: { code: "ROOMS_FULL", message } };
      }
    }
    const room = existing ?? { name, members: new Set<M>(), topic: null, kept: false };
    if (existing === undefined) this.#rooms.set(key, room);
    this.#resting.delete(key);
    room.members.add(member);
    mine.add(room);
    this.#of.set(member, mine);
    return { ok: true, room, already: false };
  }

  /**
   * Marks a room that exists as kept (it has history): it will rest when empty instead of going.
   * Returns whether it was not kept before.
   */
  keep(room: Room<M>): boolean {
    const held = this.#held(room);
    if (held.kept) return false;
    held.kept = true;
    return true;
  }

  /**
   * Adds a kept room with no member (one with history, from an earlier run), unless a room of
   * that name exists or {@linkcode RoomLimits.maxResting} rooms already rest; returns whether
   * it was added. Throws RangeError on a name that breaks the rules (the caller's bug).
   */
  restore(name: string, topic: RoomTopic | null): boolean {
    const invalid = checkRoomName(name);
    if (invalid !== null) throw new RangeError(`Cannot restore room ${name}: ${invalid.message}`);
    const key = roomKey(name);
    if (this.#rooms.has(key) || this.#resting.size >= this.#maxResting) return false;
    if (this.#rooms.size >= this.#maxRooms) return false;
    const room = { name, members: new Set<M>(), topic, kept: true };
    this.#rooms.set(key, room);
    this.#resting.set(key, room);
    return true;
  }

  /**
   * Takes `member` out of the room; returns the room (gone if it is now empty and not kept), or `null`
   * when the member was not in it.
   */
  part(member: M, name: string): Room<M> | null {
    const room = this.#rooms.get(roomKey(name));
    if (room === undefined || !room.members.has(member)) return null;
    this.#leave(member, room);
    return room;
  }

  /** Takes `member` out of every room (a user leaving); returns those rooms, in join order. */
  leaveAll(member: M): Room<M>[] {
    const rooms = [...(this.#of.get(member) ?? [])];
    for (const room of rooms) this.#leave(member, room);
    return rooms;
  }

  /** Sets or clears (`text` empty) the topic of a room that exists. */
  setTopic(room: Room<M>, topic: RoomTopic): void {
    this.#held(room).topic = topic.text === "" ? null : topic;
  }

  #held(room: Room<M>): MutableRoom<M> {
    const held = this.#rooms.get(roomKey(room.name));
    if (held === undefined) throw new RangeError(`No room ${room.name}`);
    return held;
  }

  #leave(member: M, room: MutableRoom<M>): void {
    room.members.delete(member);
    const mine = this.#of.get(member);
    mine?.delete(room);
    if (mine?.size === 0) this.#of.delete(member);
    if (room.members.size > 0) return;
    if (!room.kept) return this.#forget(room);
    this.#resting.set(roomKey(room.name), room);
    if (this.#resting.size > this.#maxResting) this.#forget(this.#resting.values().next().value!);
  }

  #forget(room: MutableRoom<M>): void {
    const key = roomKey(room.name);
    this.#rooms.delete(key);
    this.#resting.delete(key);
  }
}
