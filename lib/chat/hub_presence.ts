/**
 * Presence on the hub: renaming (`nick`), being away (`away`) and asking after someone
 * (`whois`). Sans-IO, like the rooms: everything goes out through the {@linkcode RoomOutlet}.
 * @module
 */

import { type ProtocolError, protocolError } from "./errors.ts";
import type { HubClient as Client } from "./hub_client.ts";
import type { RoomOutlet } from "./hub_rooms.ts";
import { ROOMS_PROTOCOL_VERSION } from "./limits.ts";
import { checkName, nameKey } from "./names.ts";
import { checkAway } from "./presence_rules.ts";
import type { Request, RequestId } from "./requests.ts";
import type { RoomRegistry } from "./room_registry.ts";

/** A presence request, as the hub hands it over. */
export type PresenceRequest = Request & { type: "nick" | "away" | "whois" };

/** What presence needs of the hub besides its outlet: who is online, and the rooms. */
export interface PresenceState {
  /** Everyone logged in, by `nameKey`; a rename moves its user to the new key. */
  readonly members: Map<string, Client>;
  readonly registry: RoomRegistry<Client>;
  /** Told of each rename and change of away state, once made (the rooms' name lists). */
  readonly changed: (client: Client) => void;
}

/**
 * The hub's presence requests.
 *
 * @example
 * ```ts ignore
 * const presence = new HubPresence(outlet, { members, registry, changed: () => {} });
 * presence.handle(client, { type: "away", text: "lunch" }, now);
 * ```
 */
export class HubPresence {
  readonly #out: RoomOutlet;
  readonly #state: PresenceState;

  constructor(outlet: RoomOutlet, state: PresenceState) {
    this.#out = outlet;
    this.#state = state;
  }

  /** Handles a presence request from a logged-in client (already metered). */
  handle(client: Client, request: PresenceRequest, now: number): void {
    switch (request.type) {
      case "nick":
        return this.#nick(client, request.name, request.id, now);
      case "away":
        return this.#away(client, request.text ?? "", request.id, now);
      case "whois":
        return this.#whois(client, request.name, request.id, now);
    }
  }

  /**
   * Renames the user: the name rules and uniqueness apply (a change of case of one's own name
   * is allowed). Everyone sharing a room is told once: `nick`, or to a version 1 client a
   * `leave` of the old name and a `join` of the new one, as if the user had left and come back.
   */
  #nick(client: Client, name: string, id: RequestId | undefined, now: number): void {
    const old = client.name!;
    const refused = nickRefusal(old, name, this.#state.members);
    if (refused !== null) return this.#out.refuse(client, refused, id, now);
    const ts = this.#out.wall(now);
    if (name !== old) {
      this.#state.members.delete(nameKey(old));
      this.#state.members.set(nameKey(name), client);
      client.name = name;
      this.#state.changed(client);
      this.#tellRename(client, old, ts, now);
    }
    this.#out.send(client, this.#out.encodeDirect({ type: "ok", ...re(id), name, ts }), now);
  }

  #tellRename(client: Client, old: string, ts: number, now: number): void {
    const name = client.name!;
    let current: Uint8Array | null = null;
    let legacy: Uint8Array[] | null = null;
    for (const member of this.#neighbours(client)) {
      if (member === client) continue;
      if (member.protocol >= ROOMS_PROTOCOL_VERSION) {
        current ??= this.#out.encodeShared({ type: "nick", old, name, ts });
        this.#out.send(member, current, now);
        continue;
      }
      // A version 1 client lives in #lobby, which it shares with the user (or it would not
      // be a neighbour): to it the old name leaves and the new one joins.
      legacy ??= [
        this.#out.encodeShared({ type: "leave", name: old, reason: "quit", ts }),
        this.#out.encodeShared({ type: "join", name, ts }),
      ];
      for (const line of legacy) this.#out.send(member, line, now);
    }
  }

  /**
   * Marks the user away with `text`, or back with `""`. Those sharing a room (version 2 and
   * later) get an `away` event once each, when the state changed.
   */
  #away(client: Client, text: string, id: RequestId | undefined, now: number): void {
    if (text !== "") {
      const refused = checkAway(text);
      if (refused !== null) return this.#out.refuse(client, refused, id, now);
    }
    const away = text === "" ? null : text;
    const ts = this.#out.wall(now);
    if (away !== client.away) {
      client.away = away;
      this.#state.changed(client);
      const event = { type: "away", name: client.name!, ...(away === null ? {} : { text }), ts };
      let line: Uint8Array | null = null;
      for (const member of this.#neighbours(client)) {
        if (member === client || member.protocol < ROOMS_PROTOCOL_VERSION) continue;
        this.#out.send(member, line ??= this.#out.encodeShared(event), now);
      }
    }
    this.#out.send(client, this.#out.encodeDirect({ type: "ok", ...re(id), ts }), now);
  }

  /** Answers who `name` is: since when, idle how long, in which rooms, away or not. */
  #whois(client: Client, name: string, id: RequestId | undefined, now: number): void {
    const target = this.#state.members.get(nameKey(name));
    if (target === undefined) return this.#out.refuse(client, noSuchUser(name), id, now);
    const reply = {
      type: "whois",
      ...re(id),
      name: target.name!,
      since: target.joinedAt,
      // Whole ms: the driver's monotonic clock has fractions.
      idleMs: Math.max(0, Math.floor(now - target.lastSpokeAt)),
      rooms: this.#state.registry.roomsOf(target).map((room) => room.name),
      ...(target.away === null ? {} : { away: target.away }),
    };
    this.#out.send(client, this.#out.encodeDirect(reply), now);
  }

  /** Everyone who shares at least one room with `client`, each once; `client` may be there too. */
  #neighbours(client: Client): Iterable<Client> {
    const rooms = this.#state.registry.roomsOf(client);
    // In one room (most users: #lobby) its members are each there once already.
    if (rooms.length === 1) return rooms[0]!.members;
    const found = new Set<Client>();
    for (const room of rooms) {
      for (const member of room.members) found.add(member);
    }
    return found;
  }
}

/** Why `old` may not be renamed `name`, or `null`. */
function nickRefusal(
  old: string,
  name: string,
  members: ReadonlyMap<string, Client>,
): ProtocolError | null {
  const invalid = checkName(name);
  if (invalid !== null) return invalid;
  // The user's own name in another case is theirs to take.
  if (nameKey(name) !== nameKey(old) && members.has(nameKey(name))) {
    return protocolError("NAME_TAKEN", `Name '${name}' is taken`);
  }
  return null;
}

function noSuchUser(name: string): ProtocolError {
  return protocolError("NO_SUCH_USER", `No user named '${name.slice(0, 64)}'`);
}

function re(id: RequestId | undefined): { re?: RequestId } {
  return id === undefined ? {} : { re: id };
}
