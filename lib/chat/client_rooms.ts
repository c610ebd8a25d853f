/**
 * The rooms a client's session is in, kept across connections: a new connection puts the user
 * in `#lobby` only, and these say what to join (and part) to be back where the user was.
 * @module
 */

import type { OutgoingRequest } from "./client_session.ts";
import type { ServerMessage } from "./events.ts";
import { LOBBY, roomKey } from "./room_rules.ts";

/** A request that puts the session back in a room, or out of `#lobby`. */
export type RoomRequest = OutgoingRequest & { type: "join" | "part" };

/**
 * The session's rooms, from the hub's `joined` and `parted` replies. Sans-IO.
 *
 * @example
 * ```ts
 * import { ClientRooms } from "./client_rooms.ts";
 * const rooms = new ClientRooms();
 * const joined = { type: "joined", room: "#dev", topic: "", members: [], memberCount: 1, ts: 0 };
 * rooms.note({ type: "join", room: "#dev" }, joined as const);
 * rooms.names; // ["#lobby", "#dev"]
 * rooms.restore(); // [{ type: "join", room: "#dev" }]
 * ```
 */
export class ClientRooms {
  // By key, the name as the hub spells it; in the order joined.
  readonly #rooms = new Map<string, string>([[roomKey(LOBBY), LOBBY]]);

  /** The rooms the session is in, in the order joined. */
  get names(): string[] {
    return [...this.#rooms.values()];
  }

  /** Whether the session is in that room (any case). */
  has(room: string): boolean {
    return this.#rooms.has(roomKey(room));
  }

  /**
   * Takes note of the reply to `request`: a `joined` answering a join of that room adds it, a
   * `parted` answering a part of it removes it; any other pairing (a hub answering `users`
   * with `joined`, or naming another room) changes nothing.
   */
  note(request: OutgoingRequest, message: ServerMessage): void {
    if (request.type !== "join" && request.type !== "part") return;
    if (!("room" in message) || roomKey(message.room) !== roomKey(request.room)) return;
    if (request.type === "join" && message.type === "joined") {
      this.#rooms.set(roomKey(message.room), message.room);
    }
    if (request.type === "part" && message.type === "parted") this.forget(message.room);
  }

  /** Forgets a room (one that could not be joined again). */
  forget(room: string): void {
    this.#rooms.delete(roomKey(room));
  }

  /**
   * What to send on a new connection, where the hub has put the user in `#lobby` only: a
   * join of every other room, in order, and a part of `#lobby` if the user had left it.
   */
  restore(): RoomRequest[] {
    const requests: RoomRequest[] = [];
    for (const [key, room] of this.#rooms) {
      if (key !== roomKey(LOBBY)) requests.push({ type: "join", room });
    }
    if (!this.has(LOBBY)) requests.push({ type: "part", room: LOBBY });
    return requests;
  }
}
