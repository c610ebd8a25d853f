/**
 * What a client has seen of each conversation, kept across connections, so that a client that
 * reconnects asks for exactly what it missed: the newest message id it saw in each room and
 * each private conversation, and the `history` requests that fetch what came after them.
 * @module
 */

import type { ServerMessage } from "./events.ts";
import { MAX_HISTORY_LIMIT } from "./limits.ts";
import { nameKey } from "./names.ts";
import type { OutgoingRequest } from "./client_session.ts";
import { LOBBY, roomKey } from "./room_rules.ts";

/** A `history` request, as the client sends it. */
export type CatchUpRequest = OutgoingRequest & { type: "history" };

/**
 * The newest id seen per conversation. Sans-IO.
 *
 * @example
 * ```ts
 * import { ClientHistory } from "./client_history.ts";
 * const seen = new ClientHistory();
 * seen.note("ann", { type: "message", from: "bob", text: "hi", room: "#dev", id: 7, ts: 1 });
 * seen.catchUp(); // [{ type: "history", room: "#dev", after: 7, limit: 500 }]
 * ```
 */
export class ClientHistory {
  /** By room key or `@` and name key: the name as last seen, the newest id. */
  readonly #rooms = new Map<string, { room: string; id: number }>();
  readonly #peers = new Map<string, { peer: string; id: number }>();

  /** The newest id seen in `room`, or `null` when none was. */
  lastInRoom(room: string): number | null {
    return this.#rooms.get(roomKey(room))?.id ?? null;
  }

  /** Takes note of a line from the hub: a message, or a `history` line, seen by `me`. */
  note(me: string, message: ServerMessage): void {
    if (message.type === "message" && message.id !== undefined) {
      if (message.to === undefined) this.#seeRoom(message.room ?? LOBBY, message.id);
      else this.#seePeer(peerOf(me, message.from, message.to), message.id);
    }
    if (message.type !== "history") return;
    const newest = message.messages.at(-1)?.id;
    if (newest === undefined) return;
    if (message.room !== undefined) this.#seeRoom(message.room, newest);
    if (message.peer !== undefined) this.#seePeer(message.peer, newest);
  }

  /** Takes note of the hub's `ok` to a `say` or `msg` the user sent. */
  noteSent(request: OutgoingRequest, reply: ServerMessage): void {
    if (reply.type !== "ok" || reply.id === undefined) return;
    if (request.type === "say") this.#seeRoom(request.room ?? LOBBY, reply.id);
    if (request.type === "msg") this.#seePeer(reply.to ?? request.to, reply.id);
  }

  /**
   * What to ask a new connection for: every message after the last seen, per conversation
   * (private ones, and rooms in `rooms`: the hub serves a room's history to its members only).
   */
  catchUp(rooms?: readonly string[]): CatchUpRequest[] {
    const wanted = rooms === undefined ? null : new Set(rooms.map(roomKey));
    const requests: CatchUpRequest[] = [];
    for (const [key, { room, id }] of this.#rooms) {
      if (wanted === null || wanted.has(key)) requests.push(after({ room }, id));
    }
    for (const { peer, id } of this.#peers.values()) requests.push(after({ peer }, id));
    return requests;
  }

  /**
   * The request for the rest of what was missed, when a catch-up came back full (the hub cut it
   * at `MAX_HISTORY_LIMIT`), or `null` when it has all been fetched.
   */
  more(reply: ServerMessage): CatchUpRequest | null {
    if (reply.type !== "history" || reply.messages.length < MAX_HISTORY_LIMIT) return null;
    const newest = reply.messages.at(-1)!.id;
    if (reply.room !== undefined) return after({ room: reply.room }, newest);
    return reply.peer === undefined ? null : after({ peer: reply.peer }, newest);
  }

  #seeRoom(room: string, id: number): void {
    const key = roomKey(room);
    if ((this.#rooms.get(key)?.id ?? 0) < id) this.#rooms.set(key, { room, id });
  }

  #seePeer(peer: string, id: number): void {
    const key = nameKey(peer);
    if ((this.#peers.get(key)?.id ?? 0) < id) this.#peers.set(key, { peer, id });
  }
}

/**
 * Why a `history` line cannot be what the hub says it is for `me`, or `null`: a private
 * conversation's entries are all between `me` and its peer (a hub that sends others' lines is
 * broken or hostile, and its line is not shown).
 *
 * @example
 * ```ts
 * import { historyProblem } from "./client_history.ts";
 * const line = { type: "history" as const, peer: "bob", messages: [{ id: 1, from: "cy", to: "bob", text: "x", ts: 0 }] };
 * historyProblem("ann", line); // "history: entry 1 is not between ann and bob"
 * ```
 */
export function historyProblem(me: string, line: ServerMessage): string | null {
  if (line.type !== "history" || line.peer === undefined) return null;
  const parties = new Set([nameKey(me), nameKey(line.peer)]);
  for (const entry of line.messages) {
    const between = parties.has(nameKey(entry.from)) && parties.has(nameKey(entry.to ?? "")) &&
      (parties.size === 1 || nameKey(entry.from) !== nameKey(entry.to ?? ""));
    if (!between) return `history: entry ${entry.id} is not between ${me} and ${line.peer}`;
  }
  return null;
}

function after(scope: { room: string } | { peer: string }, id: number): CatchUpRequest {
  return { type: "history", ...scope, after: id, limit: MAX_HISTORY_LIMIT } as CatchUpRequest;
}

/** The other party of a private message between `from` and `to`, as `me` sees it. */
function peerOf(me: string, from: string, to: string): string {
  return nameKey(from) === nameKey(me) ? to : from;
}
