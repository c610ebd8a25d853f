/**
 * The client's view of a `joins` line: the hub announces the joins of one interval together,
 * the user is shown a `join` each.
 * @module
 */

import type { ServerMessage } from "./events.ts";
import { nameKey } from "./names.ts";

/** A `join` event, as the client shows it. */
export type JoinEvent = ServerMessage & { type: "join" };

/**
 * The `join` events of `joins` for the user logged in as `me` (`null` before a login): those
 * after its own name only, when it is among them (it joined meanwhile, and knew of those
 * before it).
 *
 * @example
 * ```ts
 * import { joinEvents } from "./join_events.ts";
 * const joins = { type: "joins", room: "#dev", names: ["bob", "Ann", "cy"], ts: 1 } as const;
 * joinEvents({ ...joins, names: [...joins.names] }, "ann").map((j) => j.name); // ["cy"]
 * ```
 */
export function joinEvents(
  joins: ServerMessage & { type: "joins" },
  me: string | null,
): JoinEvent[] {
  const self = me === null ? null : nameKey(me);
  const own = self === null ? -1 : joins.names.findIndex((name) => nameKey(name) === self);
  return joins.names.slice(own + 1).map((name) => ({
    type: "join",
    name,
    room: joins.room,
    ts: joins.ts,
  }));
}
