/**
 * The seam between an IRC session and the hub: the requests a session makes on behalf of its
 * user and the events and replies it is fed. The shapes are the hub's own request/event model
 * (docs/PROTOCOL.md) with rooms as issue 10 describes them; the driver that binds a session to
 * the real `Hub` converts between these and the hub's lines or calls.
 * @module
 */

/** The session's tag for a request; the hub's reply carries it back as `re`. */
export type HubRequestId = number;

/** A request to the hub, without its id. */
export type HubRequestBody =
  | { type: "login"; name: string; password?: string; serverPassword?: string }
  | { type: "authenticate"; name: string; password: string; serverPassword?: string }
  | { type: "say"; room: string; text: string; action?: true }
  | { type: "msg"; to: string; text: string; action?: true }
  | { type: "join"; room: string }
  | { type: "part"; room: string }
  | { type: "topic"; room: string; text?: string }
  | { type: "names"; room: string }
  | { type: "rooms" }
  | { type: "whois"; name: string }
  | { type: "away"; text?: string }
  | { type: "nick"; name: string }
  | { type: "pong" }
  | { type: "quit"; text?: string }
  | {
    type: "history";
    /** A room's history, or the private conversation with `peer`. */
    room?: string;
    peer?: string;
    /** Messages before, or after, the one with this id; neither: the latest. */
    before?: string;
    after?: string;
    limit: number;
  };

/** A request to the hub; `id` comes back as the reply's `re`. */
export type HubRequest = HubRequestBody & { id: HubRequestId };

/** A room as `rooms` lists it. */
export interface HubRoomEntry {
  name: string;
  members: number;
  topic: string;
}

/** A stored message, as a `history` reply lists it, oldest first. */
export interface HubHistoryEntry {
  id: string;
  from: string;
  room?: string;
  to?: string;
  text: string;
  action?: boolean;
  ts: number;
}

/**
 * What the hub tells a session: replies (`re` set) and events. `ts` is the hub's wall clock in
 * ms since the Unix epoch. A `leave` with `room` and reason `part` is a PART from that room; any
 * other `leave` is the user gone from the hub (QUIT).
 */
export type HubEvent =
  | { type: "welcome"; re?: HubRequestId; name: string; ts: number }
  | {
    type: "ok";
    re?: HubRequestId;
    ts: number;
    /** In the reply to `msg`: the target's name as it logged in, and its away text if away. */
    to?: string;
    away?: string;
    /** In the reply to `join` or `part`: the room's name as the hub spells it. */
    room?: string;
    /** In the reply to `join`: the room's topic (`""` for none), who set it and when. */
    topic?: string;
    topicBy?: string;
    topicTs?: number;
    /** In the reply to `join`: its first members, and how many it has in all. */
    members?: string[];
    memberCount?: number;
  }
  | { type: "error"; re?: HubRequestId; code: string; message: string }
  | {
    type: "message";
    from: string;
    room?: string;
    to?: string;
    text: string;
    action?: boolean;
    ts: number;
    /** The message's stable id in the history, sent as `msgid`. */
    id?: string;
  }
  | { type: "join"; room: string; name: string; ts: number }
  /** Several users joined `room`, in order; a session whose nick is among them knows those before. */
  | { type: "joins"; room: string; names: string[]; ts: number }
  | { type: "leave"; room?: string; name: string; reason: string; text?: string; ts: number }
  | { type: "topic"; re?: HubRequestId; room: string; text: string; by?: string; ts: number }
  | { type: "names"; re?: HubRequestId; room: string; names: string[] }
  /**
   * The answer to `names` as the hub hands it to its in-process links: the names in one text,
   * one space between, and those of them away (for WHO's `G`).
   */
  | { type: "members"; re?: HubRequestId; room: string; text: string; away: readonly string[] }
  | { type: "rooms"; re?: HubRequestId; rooms: HubRoomEntry[] }
  | {
    type: "whois";
    re?: HubRequestId;
    name: string;
    /** When the user logged in (wall clock, ms). */
    since: number;
    idleMs: number;
    rooms: string[];
    away?: string;
  }
  | { type: "nick"; old: string; name: string; ts: number }
  | { type: "away"; name: string; text?: string; ts: number }
  | { type: "history"; re?: HubRequestId; messages: HubHistoryEntry[] }
  | { type: "ping"; ts: number }
  | { type: "bye"; re?: HubRequestId }
  | { type: "shutdown"; reason: string };
