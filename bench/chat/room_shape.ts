/**
 * How the benchmark's users are spread over rooms: everyone in one room (the runs from before
 * rooms), ten rooms of 100, or one joined room of 1,000.
 * @module
 */

/** The room shapes the benchmark knows. */
export type ShapeName = "one" | "10x100" | "1x1000";

/** Every shape, in the order the benchmark runs them. */
export const SHAPES: readonly ShapeName[] = ["one", "10x100", "1x1000"];

/** Rooms of the ten-room shape, and members in each. */
export const SMALL_ROOMS = 10;
/** Members of each room of the ten-room shape. */
export const SMALL_ROOM_MEMBERS = 100;
/** Members of the one big joined room. */
export const BIG_ROOM_MEMBERS = 1000;
/** The big joined room's name. */
export const BIG_ROOM = "#big";

/** Where one user goes: the rooms it is in, and the room it talks in if it sends. */
export interface Placement {
  rooms: string[];
  talksIn: string;
}

/**
 * The users a shape needs, or `null` when it takes any number (the one-room shape).
 */
export function shapeClients(shape: ShapeName): number | null {
  if (shape === "10x100") return SMALL_ROOMS * SMALL_ROOM_MEMBERS;
  if (shape === "1x1000") return BIG_ROOM_MEMBERS;
  return null;
}

/**
 * The rooms of user number `index` (from 0) in `shape`; `homeRoom` is the dialect's room of
 * the one-room shape. In the ten-room shape users are dealt round the rooms, so the first ten
 * (the senders) talk one in each room.
 */
export function placeUser(shape: ShapeName, index: number, homeRoom: string): Placement {
  if (shape === "10x100") {
    const room = `#r${index % SMALL_ROOMS}`;
    return { rooms: [room], talksIn: room };
  }
  if (shape === "1x1000") return { rooms: [BIG_ROOM], talksIn: BIG_ROOM };
  return { rooms: [homeRoom], talksIn: homeRoom };
}

/** Parses a `--shapes` value: shape names, comma separated; `null` if one is unknown. */
export function parseShapes(value: string): ShapeName[] | null {
  const names = value.split(",");
  return names.every((name): name is ShapeName => (SHAPES as readonly string[]).includes(name))
    ? names
    : null;
}
