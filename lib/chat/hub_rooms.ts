/**
 * The hub's room requests (`join`, `part`, `rooms`, `topic`, `names`, `say` in a room) and the
 * room events they cause, on a {@linkcode RoomRegistry}. Version 1 clients know nothing of
 * rooms: they live in `#lobby` and get each room event in the form version 1 had, or not at all.
 * @module
 */

import type { ProtocolError } from "./errors.ts";
import type { LeaveReason, ServerMessage } from "./events.ts";
import type { HubClient as Client } from "./hub_client.ts";
import { GATEWAY_NAMES_LINE } from "./hub_types.ts";
import type { NewStoredMessage, SavedRoom } from "./hub_history.ts";
import { announceJoins } from "./join_announcement.ts";
import { JoinBatches } from "./join_batches.ts";
import { MAX_JOINS_PER_EVENT, MAX_WELCOME_NAMES, ROOMS_PROTOCOL_VERSION } from "./limits.ts";
import type { ListReply } from "./list_pages.ts";
import type { Request, RequestId } from "./requests.ts";
import { type Room, RoomRegistry } from "./room_registry.ts";
import { RoomNamesText } from "./room_names_text.ts";
import { checkRoomName, checkTopic, LOBBY } from "./room_rules.ts";

/** What the room requests need of the hub: its queues, its encoders and its clock. */
export interface RoomOutlet {
  /** Queues a line for one client. */
  send(client: Client, line: Uint8Array, now: number): void;
  /** Sends a reply that may need pages (see `listPages`). */
  sendList(client: Client, reply: ListReply, now: number): void;
  /** Answers request `re` with an error. */
  refuse(client: Client, error: ProtocolError, re: RequestId | undefined, now: number): void;
  /** Encodes a line sent to many (kept side by side in their queues). */
  encodeShared(message: object): Uint8Array;
  /** Encodes a line for one client. */
  encodeDirect(message: object): Uint8Array;
  /** The wall clock time shown to people, for the monotonic `now`. */
  wall(now: number): number;
  /** Gives a message said in a room its id and has it kept. */
  record(message: NewStoredMessage): number;
  /** Asks for the replay of a room just joined (`count` messages, default the hub's). */
  replay(client: Client, room: string, count?: number): void;
  /** Has a room's name and topic kept; false when the hub keeps no history. */
  saveRoom(room: SavedRoom): boolean;
}

/** A room request, as the hub hands it over. */
export type RoomRequest = Request & { type: "join" | "part" | "rooms" | "topic" | "names" };

/**
 * The hub's rooms. Sans-IO: everything goes out through the {@linkcode RoomOutlet}.
 *
 * @example
 * ```ts ignore
 * const rooms = new HubRooms(outlet, { maxRooms: 4096, presenceCoalesceMs: 250 });
 * rooms.enterLobby(client, now); // at login
 * rooms.handle(client, { type: "join", room: "#dev" }, now);
 * ```
 */
export class HubRooms {
  /** The registry, for what else sits on the rooms (an IRC front end, a history store). */
  readonly registry: RoomRegistry<Client>;
  readonly #out: RoomOutlet;
  readonly #joins: JoinBatches<Room<Client>, Client>;
  // Only rooms whose names a gateway asked for have one.
  readonly #namesText = new RoomNamesText<Client>({
    name: (member) => member.name!,
    away: (member) => member.away !== null,
  });

  /**
   * @param limits `maxRooms`; `presenceCoalesceMs`, how long joins are held to be announced
   *   together (0: each at once)
   */
  constructor(outlet: RoomOutlet, limits: { maxRooms: number; presenceCoalesceMs: number }) {
    this.#out = outlet;
    this.registry = new RoomRegistry({ maxRooms: limits.maxRooms });
    this.#joins = new JoinBatches({
      holdMs: limits.presenceCoalesceMs,
      maxJoins: MAX_JOINS_PER_EVENT,
    });
  }

  /** When {@linkcode handleTimeout} must next be called (held joins due), or `null`. */
  pollTimeout(): number | null {
    return this.#joins.pollTimeout();
  }

  /** Announces the joins held until `now`. */
  handleTimeout(now: number): void {
    for (const batch of this.#joins.takeDue(now)) announceJoins(batch, this.#out, now);
  }

  /**
   * Announces every join held, at once: before what is not a room's own event (a rename, an
   * away, a broadcast, the list of users) reaches its members.
   */
  flushJoins(now: number): void {
    if (this.#joins.empty) return;
    for (const batch of this.#joins.takeAll()) announceJoins(batch, this.#out, now);
  }

  /**
   * Puts a user who just logged in into `#lobby`, telling its members, and asks for its replay
   * (`replay` messages, default the hub's).
   */
  enterLobby(client: Client, now: number, replay?: number): void {
    const joined = this.registry.join(client, LOBBY, { pastRoomLimit: true });
    if (!joined.ok) return;
    this.#announceJoin(client, joined.room, now);
    this.#out.replay(client, joined.room.name, replay);
  }

  /**
   * Adds the rooms with history of earlier runs (most recently active first), resting empty;
   * a saved name that breaks today's rules is skipped.
   */
  restore(rooms: readonly SavedRoom[]): void {
    for (const room of [...rooms].reverse()) {
      if (checkRoomName(room.name) === null) this.registry.restore(room.name, room.topic);
    }
  }

  /** Handles a room request from a logged-in client. */
  handle(client: Client, request: RoomRequest, now: number): void {
    if (request.type === "rooms") return this.#list(client, request.id, now);
    const invalid = checkRoomName(request.room);
    if (invalid !== null) return this.#out.refuse(client, invalid, request.id, now);
    switch (request.type) {
      case "join":
        return this.#join(client, request, now);
      case "part":
        return this.#part(client, request, now);
      case "topic":
        return this.#topic(client, request, now);
      case "names":
        return this.#names(client, request, now);
    }
  }

  /**
   * `client` has a new name or away state: the name lists of its rooms are built again when
   * next asked for.
   */
  presenceChanged(client: Client): void {
    for (const room of this.registry.roomsOf(client)) this.#namesText.changed(room);
  }

  /**
   * Relays a `say` (text already checked) to the other members of its room (`#lobby` without
   * one); returns why it cannot be said, or the id it was given.
   */
  say(
    client: Client,
    request: Request & { type: "say" },
    now: number,
  ): ProtocolError | { id: number } {
    const name = request.room ?? LOBBY;
    const invalid = checkRoomName(name);
    if (invalid !== null) return invalid;
    const room = this.#memberOf(client, name);
    if (room === null) return notIn(name);
    const ts = this.#out.wall(now);
    const from = client.name!;
    const action = request.action === true;
    const id = this.#out.record({
      kind: "room",
      room: room.name,
      from,
      text: request.text,
      action,
      ts,
    });
    // A room with history stays when empty (see `RoomRegistry.keep`).
    if (!room.kept && this.#out.saveRoom(savedRoom(room))) this.registry.keep(room);
    const legacy = { type: "message", from, text: request.text, ...(action ? { action } : {}), ts };
    this.#fanOut(room, client, now, { ...legacy, room: room.name, id }, legacy);
    return { id };
  }

  /**
   * Takes a user who left out of every room, telling each room unless `quiet` (a shutdown);
   * `text` is the user's goodbye, carried by each `leave`.
   */
  leaveAll(
    client: Client,
    reason: LeaveReason,
    now: number,
    options: { quiet: boolean; text?: string | undefined },
  ): void {
    for (const room of this.registry.leaveAll(client)) {
      this.#namesText.changed(room);
      if (!options.quiet) this.#announceLeave(client, room, reason, now, options.text);
    }
  }

  #join(client: Client, request: RoomRequest & { type: "join" }, now: number): void {
    const joined = this.registry.join(client, request.room);
    if (!joined.ok) return this.#out.refuse(client, joined.error, request.id, now);
    const { room } = joined;
    if (!joined.already) this.#announceJoin(client, room, now);
    const members: string[] = [];
    for (const member of room.members) {
      if (members.length === MAX_WELCOME_NAMES) break;
      members.push(member.name!);
    }
    const reply = {
      type: "joined",
      ...re(request.id),
      room: room.name,
      topic: room.topic?.text ?? "",
      ...(room.topic === null ? {} : { topicBy: room.topic.by, topicTs: room.topic.ts }),
      members,
      memberCount: room.members.size,
      ts: this.#out.wall(now),
    };
    this.#out.send(client, this.#out.encodeDirect(reply), now);
    if (!joined.already) this.#out.replay(client, room.name, request.replay);
  }

  #part(client: Client, request: RoomRequest & { type: "part" }, now: number): void {
    const room = this.registry.part(client, request.room);
    if (room === null) return this.#out.refuse(client, notIn(request.room), request.id, now);
    this.#namesText.changed(room);
    this.#announceLeave(client, room, "part", now);
    const reply = { type: "parted", ...re(request.id), room: room.name, ts: this.#out.wall(now) };
    this.#out.send(client, this.#out.encodeDirect(reply), now);
  }

  #topic(client: Client, request: RoomRequest & { type: "topic" }, now: number): void {
    const { id, topic } = request;
    if (topic === undefined) {
      const room = this.registry.get(request.room);
      if (room === undefined) return this.#out.refuse(client, noSuchRoom(request.room), id, now);
      return this.#out.send(client, this.#out.encodeDirect(topicLine(room, id)), now);
    }
    const room = this.#memberOf(client, request.room);
    if (room === null) return this.#out.refuse(client, notIn(request.room), id, now);
    const refused = checkTopic(topic);
    if (refused !== null) return this.#out.refuse(client, refused, id, now);
    this.registry.setTopic(room, { text: topic, by: client.name!, ts: this.#out.wall(now) });
    if (room.kept) this.#out.saveRoom(savedRoom(room));
    // Version 1 had no topics: its clients would skip the line as unknown.
    this.#fanOut(room, client, now, topicLine(room, undefined), null);
    this.#out.send(client, this.#out.encodeDirect(topicLine(room, id)), now);
  }

  #names(client: Client, request: RoomRequest & { type: "names" }, now: number): void {
    const room = this.registry.get(request.room);
    if (room === undefined) {
      return this.#out.refuse(client, noSuchRoom(request.room), request.id, now);
    }
    // Those whose joins are held and new to the asker are left out: their join is coming.
    const held = this.#joins.peek(room);
    const known = held?.places.get(client) ?? -1;
    if (client.gateway !== null) {
      // Held joins are the room's newest members (a leave or rename announces them first), so
      // those left out are the last ones: what is listed is the first `count`.
      const count = room.members.size - (held?.joiners.length ?? 0) + known + 1;
      return this.#gatewayNames(client, room, count, request.id, now);
    }
    const names: string[] = [];
    for (const member of room.members) {
      if ((held?.places.get(member) ?? -1) <= known) names.push(member.name!);
    }
    this.#out.sendList(client, { type: "names", ...re(request.id), room: room.name, names }, now);
  }

  /** Hands a gateway the names of the first `count` members of `room`, the away ones too. */
  #gatewayNames(
    client: Client,
    room: Room<Client>,
    count: number,
    id: RequestId | undefined,
    now: number,
  ): void {
    const { bytes, away } = this.#namesText.prefix(room, count);
    client.gateway!.names({ ...re(id), room: room.name, names: bytes, away });
    this.#out.send(client, this.#out.encodeDirect(GATEWAY_NAMES), now);
  }

  #list(client: Client, id: RequestId | undefined, now: number): void {
    const rooms = [...this.registry.all()].map((room) => ({
      name: room.name,
      members: room.members.size,
      topic: room.topic?.text ?? "",
    }));
    this.#out.sendList(client, { type: "rooms", ...re(id), rooms }, now);
  }

  #memberOf(client: Client, name: string): Room<Client> | null {
    const room = this.registry.get(name);
    return room !== undefined && room.members.has(client) ? room : null;
  }

  /** Holds the join to be announced with the others of the interval (see `JoinBatches`). */
  #announceJoin(client: Client, room: Room<Client>, now: number): void {
    this.#namesText.joined(room, client);
    const due = this.#joins.add(now, room, client, client.name!);
    if (due !== null) announceJoins(due, this.#out, now);
  }

  #flushRoom(room: Room<Client>, now: number): void {
    const batch = this.#joins.take(room);
    if (batch !== null) announceJoins(batch, this.#out, now);
  }

  #announceLeave(
    client: Client,
    room: Room<Client>,
    reason: LeaveReason,
    now: number,
    text?: string,
  ): void {
    const ts = this.#out.wall(now);
    const said = text === undefined ? {} : { text };
    // To a version 1 client, a part is the user leaving its one room.
    const legacy = { type: "leave", name: client.name!, reason: legacyReason(reason), ...said, ts };
    const current = { type: "leave", name: client.name!, room: room.name, reason, ...said, ts };
    this.#fanOut(room, client, now, current, legacy);
  }

  /**
   * Sends a room event to every member but `except`: `current` to those that know rooms,
   * `legacy` to version 1 clients (none when `null`). Each form is encoded once, if needed.
   * The room's held joins go first.
   */
  #fanOut(
    room: Room<Client>,
    except: Client,
    now: number,
    current: ServerMessage | object,
    legacy: ServerMessage | object | null,
  ): void {
    this.#flushRoom(room, now);
    let currentLine: Uint8Array | null = null;
    let legacyLine: Uint8Array | null = null;
    for (const member of room.members) {
      if (member === except) continue;
      if (member.protocol >= ROOMS_PROTOCOL_VERSION) {
        this.#out.send(member, currentLine ??= this.#out.encodeShared(current), now);
      } else if (legacy !== null) {
        this.#out.send(member, legacyLine ??= this.#out.encodeShared(legacy), now);
      }
    }
  }
}

// Parsed once: `encodeDirect` writes it as GATEWAY_NAMES_LINE.
const GATEWAY_NAMES: object = JSON.parse(GATEWAY_NAMES_LINE);

function savedRoom(room: Room<Client>): SavedRoom {
  return { name: room.name, topic: room.topic };
}

function topicLine(room: Room<Client>, id: RequestId | undefined): object {
  const set = room.topic === null ? {} : { by: room.topic.by, ts: room.topic.ts };
  return { type: "topic", ...re(id), room: room.name, topic: room.topic?.text ?? "", ...set };
}

function legacyReason(reason: LeaveReason): LeaveReason {
  return reason === "part" ? "quit" : reason;
}

function re(id: RequestId | undefined): { re?: RequestId } {
  return id === undefined ? {} : { re: id };
}

function notIn(room: string): ProtocolError {
  return { code: "NOT_IN_ROOM", message: `You are not in ${room}` };
}

function noSuchRoom(room: string): ProtocolError {
  return { code: "NO_SUCH_ROOM", message: `No room named ${room}` };
}
