/**
 * The hub's side of the message history. The hub never touches the store: it gives every room
 * and private message the next id from a counter the driver seeds with the store's next id, asks
 * the driver to keep each one (a `store` action), and asks it for history (a `history` action)
 * when a user joins a room or sends a `history` request; the driver answers with
 * {@linkcode historyReply} through `Hub.reply`.
 * @module
 */

import type { ProtocolError } from "./errors.ts";
import type { HistoryEntry, ServerMessage } from "./events.ts";
import type { ConnId } from "./hub_types.ts";
import { HISTORY_PROTOCOL_VERSION, MAX_HISTORY_LIMIT } from "./limits.ts";
import type { HistoryRequest, RequestId } from "./requests.ts";
import type { RoomTopic } from "./room_registry.ts";

/** A message as the history keeps it (the store's own shape): said in a room, or private. */
export type StoredMessage =
  | {
    /** Stable id, increasing in the order the hub saw messages. */
    id: number;
    kind: "room";
    room: string;
    from: string;
    text: string;
    action: boolean;
    /** Wall-clock time the hub gave the message, ms since the epoch. */
    ts: number;
  }
  | {
    id: number;
    kind: "private";
    from: string;
    to: string;
    text: string;
    action: boolean;
    ts: number;
  };

/** A message before it has its id. */
export type NewStoredMessage = StoredMessage extends infer M
  ? M extends unknown ? Omit<M, "id"> : never
  : never;

/** A room with history as the store keeps it: its name as spelt, and its topic. */
export interface SavedRoom {
  name: string;
  topic: RoomTopic | null;
}

/** Whose history: a room's, or the requester's private conversation with `peer`. */
export type HistoryScope = { room: string } | { peer: string };

/**
 * The history actions. `store`: keep `message` (its id is already on the wire). `history`: read
 * `scope` as `user` may see it (a private conversation is always `user`'s own with the peer) and
 * answer `conn` with {@linkcode historyReply}; without `re` it is the replay of a room joined.
 * `room`: keep a room's name and topic.
 */
export type HistoryAction =
  | { kind: "store"; message: StoredMessage }
  /** Keep the room's name and topic: it has history, so it stays when empty, across restarts. */
  | { kind: "room"; room: SavedRoom }
  | {
    kind: "history";
    conn: ConnId;
    user: string;
    re?: RequestId;
    scope: HistoryScope;
    before?: number;
    after?: number;
    /** At most {@linkcode MAX_HISTORY_LIMIT}. */
    limit: number;
  };

/** How a hub keeps history, when it does. */
export interface HistorySettings {
  /** The id the next message gets: one above the newest the store holds (≥ 1). */
  nextId: number;
  /** Messages replayed to a user joining a room (0 to `MAX_HISTORY_LIMIT`). */
  replay: number;
  /**
   * Rooms with history from earlier runs, the most recently active first: they rest, empty,
   * until someone joins (at most `MAX_RESTING_ROOMS` are taken; default none).
   */
  rooms?: readonly SavedRoom[];
}

/** The requester, as the history needs it. */
interface Requester {
  conn: ConnId;
  name: string | null;
  protocol: number;
}

/**
 * Message ids and the history actions of one hub. Sans-IO. Without settings (history off),
 * messages still get ids, counted from 1, but nothing is kept and nothing replayed.
 *
 * @example
 * ```ts
 * import { HubHistory } from "./hub_history.ts";
 * const actions: unknown[] = [];
 * const history = new HubHistory({ nextId: 8, replay: 50 }, (a) => actions.push(a));
 * history.record({ kind: "room", room: "#dev", from: "ann", text: "hi", action: false, ts: 1 }); // 8
 * actions.length; // 1: a store action
 * ```
 */
export class HubHistory {
  readonly #settings: HistorySettings | null;
  readonly #push: (action: HistoryAction) => void;
  #nextId: number;

  constructor(settings: HistorySettings | null, push: (action: HistoryAction) => void) {
    if (settings !== null) checkSettings(settings);
    this.#settings = settings;
    this.#push = push;
    this.#nextId = settings?.nextId ?? 1;
  }

  /** Whether messages are kept (the hub has history settings). */
  get keeps(): boolean {
    return this.#settings !== null;
  }

  /** Asks the driver to keep a room's name and topic; false (nothing asked) without history. */
  saveRoom(room: SavedRoom): boolean {
    if (this.#settings === null) return false;
    this.#push({ kind: "room", room });
    return true;
  }

  /** Gives `message` its id and asks the driver to keep it; returns the id. */
  record(message: NewStoredMessage): number {
    const id = this.#nextId++;
    if (this.#settings !== null) this.#push({ kind: "store", message: { ...message, id } });
    return id;
  }

  /**
   * Asks for the replay of `room` to a user who just joined it: `count` messages (default the
   * hub's `replay`), none to a client too old to know history lines.
   */
  replay(client: Requester, room: string, count?: number): void {
    if (this.#settings === null || client.protocol < HISTORY_PROTOCOL_VERSION) return;
    const limit = Math.min(count ?? this.#settings.replay, MAX_HISTORY_LIMIT);
    if (limit === 0) return;
    this.#push({ kind: "history", conn: client.conn, user: client.name!, scope: { room }, limit });
  }

  /** Asks for the history a `history` request wants, or says why it cannot be had. */
  request(
    client: Requester,
    request: HistoryRequest & { id?: RequestId },
  ): ProtocolError | null {
    if (this.#settings === null) {
      return { code: "HISTORY_UNAVAILABLE", message: "This hub keeps no history" };
    }
    const scope = request.room !== undefined ? { room: request.room } : { peer: request.peer! };
    this.#push({
      kind: "history",
      conn: client.conn,
      user: client.name!,
      ...(request.id === undefined ? {} : { re: request.id }),
      scope,
      ...(request.before === undefined ? {} : { before: request.before }),
      ...(request.after === undefined ? {} : { after: request.after }),
      limit: Math.min(request.limit, MAX_HISTORY_LIMIT),
    });
    return null;
  }
}

/**
 * The `history` line answering `action` with the `messages` found (oldest first); the hub cuts
 * it into pages when it is too long for one line.
 */
export function historyReply(
  action: HistoryAction & { kind: "history" },
  messages: readonly StoredMessage[],
): ServerMessage {
  const re = action.re === undefined ? {} : { re: action.re };
  return { type: "history", ...re, ...action.scope, messages: messages.map(entryOf) };
}

function entryOf(message: StoredMessage): HistoryEntry {
  const to = message.kind === "private" ? { to: message.to } : {};
  const action = message.action ? { action: true } : {};
  return {
    id: message.id,
    from: message.from,
    ...to,
    text: message.text,
    ...action,
    ts: message.ts,
  };
}

function checkSettings(settings: HistorySettings): void {
  if (!Number.isSafeInteger(settings.nextId) || settings.nextId < 1) {
    throw new RangeError(`Bad first message id ${settings.nextId}`);
  }
  const { replay } = settings;
  if (!Number.isSafeInteger(replay) || replay < 0 || replay > MAX_HISTORY_LIMIT) {
    throw new RangeError(`Replay must be 0 to ${MAX_HISTORY_LIMIT} messages, not ${replay}`);
  }
}
