/**
 * Lines the hub sends to clients: their types, and the client's parser, which checks every
 * field of every line as the hub checks requests (a hub may be hostile too).
 * @module
 */

import { type ErrorCode, isErrorCode } from "./errors.ts";
import { FieldReader } from "./field_reader.ts";
import { parseObject } from "./json_line.ts";
import { LOCKOUT_WINDOW_MS, MAX_LINE_BYTES, MAX_TEXT_CHARS } from "./limits.ts";
import { checkName } from "./names.ts";
import type { RequestId } from "./requests.ts";
import { optionalRoom, ROOM_READERS } from "./room_events.ts";
import { optionalAway, PRESENCE_READERS } from "./presence_events.ts";
import { checkQuitText } from "./presence_rules.ts";
import { readHistory } from "./history_lines.ts";

/** Why a user left, as carried by a `leave` event. */
export const LEAVE_REASONS = [
  "quit",
  "disconnect",
  "timeout",
  "dropped",
  "shutdown",
  "part",
] as const;

/** Why a user left, as carried by a `leave` event. */
export type LeaveReason = typeof LEAVE_REASONS[number];

/** A file the hub shares. */
export interface FileEntry {
  name: string;
  size: number;
}

/** A user online, as listed by `users`. */
export interface UserEntry {
  name: string;
  since: number;
}

/** A room, as listed by `rooms`. */
export interface RoomEntry {
  name: string;
  /** How many members it has. */
  members: number;
  /** Its topic, empty when it has none. */
  topic: string;
}

/** A stored message, as a `history` line lists it. */
export interface HistoryEntry {
  /** The message's stable id. */
  id: number;
  from: string;
  /** In a private conversation's history: whom it was sent to. */
  to?: string;
  text: string;
  action?: boolean;
  /** When the hub first relayed it (wall clock, ms since the epoch). */
  ts: number;
}

/** Rate limit the hub applies to `say` and `msg`. */
export interface RateInfo {
  perSecond: number;
  burst: number;
}

/** Grant of a file transfer over the UDP file channel. */
export interface TransferGrant {
  transfer: number;
  name: string;
  size: number;
  sha256: string;
  offset: number;
  udpPort: number;
  token: string;
  /** The transfer key the file channel's datagrams are sealed with: 64 hex digits. */
  key: string;
  direction: "download" | "upload";
}

/** Anything the hub sends. `re` echoes the request id a reply answers. */
export type ServerMessage =
  | {
    type: "hello";
    protocol: number;
    server: string;
    maxLineBytes: number;
    heartbeatMs: number;
    /** `null` when the hub has no rate limit. */
    rate: RateInfo | null;
  }
  | {
    type: "welcome";
    re?: RequestId;
    name: string;
    /** The first `MAX_WELCOME_NAMES` users online, this one included. */
    users: string[];
    userCount: number;
    ts: number;
  }
  | {
    type: "ok";
    re?: RequestId;
    ts: number;
    /** In the reply to `msg`: the target's name as it logged in. */
    to?: string;
    /** In the reply to `msg`: the target's away text, when the target is away. */
    away?: string;
    /** In the reply to `nick`: the new name, as the hub now spells it. */
    name?: string;
    /** In the reply to `say` and `msg`: the id the message was given. */
    id?: number;
  }
  | {
    type: "message";
    from: string;
    to?: string;
    text: string;
    /** The text says what `from` does (`/me waves`), shown as `* from waves`. */
    action?: boolean;
    /** The room a broadcast was said in (a version 1 hub leaves it out: its one room). */
    room?: string;
    /** The message's stable id (a hub before protocol 3 leaves it out). */
    id?: number;
    ts: number;
  }
  | { type: "join"; name: string; room?: string; ts: number }
  /**
   * Several users joined `room`, in the order of `names` (protocol 5). A receiver whose own name
   * is among them joined meanwhile and knows those before it: only those after it are news.
   */
  | { type: "joins"; room: string; names: string[]; ts: number }
  | {
    type: "leave";
    name: string;
    room?: string;
    reason: LeaveReason;
    /** The user's goodbye (`/quit see you`), when it gave one. */
    text?: string;
    ts: number;
  }
  | { type: "nick"; old: string; name: string; ts: number }
  | {
    type: "away";
    name: string;
    /** Absent: the user is back. */
    text?: string;
    ts: number;
  }
  | {
    type: "whois";
    re?: RequestId;
    name: string;
    /** When the user logged in (wall clock). */
    since: number;
    /** How long since the user last said something, in ms. */
    idleMs: number;
    /** The rooms the user is in, in the order joined. */
    rooms: string[];
    /** Absent while the user is here. */
    away?: string;
  }
  | {
    type: "joined";
    re?: RequestId;
    room: string;
    /** Empty when the room has none. */
    topic: string;
    /** Who set the topic, and when; absent when the room has none. */
    topicBy?: string;
    topicTs?: number;
    /** The first `MAX_WELCOME_NAMES` members, this one included. */
    members: string[];
    memberCount: number;
    ts: number;
  }
  | { type: "parted"; re?: RequestId; room: string; ts: number }
  | {
    type: "topic";
    re?: RequestId;
    room: string;
    /** Empty when the room has none. */
    topic: string;
    /** Who set it, and when; absent when the room has no topic. */
    by?: string;
    ts?: number;
  }
  | { type: "rooms"; re?: RequestId; rooms: RoomEntry[]; more?: boolean }
  | { type: "names"; re?: RequestId; room: string; names: string[]; more?: boolean }
  | {
    type: "history";
    re?: RequestId;
    /** The room whose history this is, or the peer of the private conversation. */
    room?: string;
    peer?: string;
    /** Oldest first; without `re`, the replay of a room just joined. */
    messages: HistoryEntry[];
    more?: boolean;
  }
  | {
    type: "users";
    re?: RequestId;
    users: UserEntry[];
    /** A page of a long list: the next line continues it (see `listPages`). */
    more?: boolean;
  }
  | { type: "files"; re?: RequestId; files: FileEntry[]; more?: boolean }
  | ({ type: "transfer"; re?: RequestId } & TransferGrant)
  | { type: "transfer_done"; transfer: number; ok: boolean; code?: ErrorCode; message?: string }
  | { type: "file_added"; name: string; size: number; from: string; ts: number }
  | { type: "ping"; ts: number }
  | { type: "pong"; re?: RequestId }
  | { type: "bye"; re?: RequestId }
  | { type: "shutdown"; reason: string }
  | { type: "error"; re?: RequestId; code: ErrorCode; message: string; retryMs?: number };

/**
 * Longest wait a `RATE_LIMITED` error's `retryMs` may ask for, in ms. The hub's is at most a
 * second; a longer one would let a hostile hub hold a patient client back for ever.
 */
export const MAX_RETRY_MS = 60_000;
/** Longest heartbeat a `hello` may announce, in ms: a client notices a silent hub by 3 × this. */
export const MAX_HEARTBEAT_MS = 3_600_000;

/** What a line from the hub amounts to: a message, or why it was not one. */
export type ParsedServerLine =
  | { ok: true; message: ServerMessage }
  | {
    ok: false;
    /** What is wrong, naming the type and field: "file_added: field 'size' must be ...". */
    problem: string;
    /** The line's `re`, when readable: the request it meant to answer. */
    re?: RequestId;
  };

/**
 * Parses and checks a line from the hub. Every field is checked against its rule (sizes and
 * counts are non-negative safe integers, times finite, names keep the name rules, each entry
 * of a list is checked), and the message is built from the checked fields alone: unknown
 * fields are dropped. Never throws.
 *
 * @example
 * ```ts
 * import { parseServerMessage } from "./events.ts";
 * parseServerMessage('{"type":"join","name":"ann","ts":1}');
 * // { ok: true, message: { type: "join", name: "ann", ts: 1 } }
 * parseServerMessage('{"type":"file_added","name":"a","size":-1,"from":"ann","ts":1}').ok;
 * // false: "file_added: field 'size' must be a non-negative integer"
 * ```
 */
export function parseServerMessage(line: string): ParsedServerLine {
  const fields = parseObject(line);
  if (fields === null) return { ok: false, problem: "not a JSON object" };
  const reader = new FieldReader(fields);
  const re = reader.absent("re") ? undefined : reader.requestId("re");
  const withRe = re === undefined || reader.problem !== null ? {} : { re };
  const type = fields.type;
  if (typeof type !== "string") return { ok: false, problem: "field 'type' must be a string" };
  const read = Object.hasOwn(READERS, type) ? READERS[type] : undefined;
  if (read === undefined) {
    return { ok: false, problem: `unknown type '${type.slice(0, 32)}'`, ...withRe };
  }
  const message = read(reader, withRe);
  if (reader.problem !== null) {
    return { ok: false, problem: `${type}: ${reader.problem}`, ...withRe };
  }
  return { ok: true, message };
}

type Re = { re?: RequestId };
type Reader = (r: FieldReader, re: Re) => ServerMessage;

const READERS: Record<string, Reader> = {
  hello: (r) => ({
    type: "hello",
    protocol: r.integer("protocol", 1),
    server: r.string("server"),
    // Hubs that leave these out have the defaults.
    maxLineBytes: r.absent("maxLineBytes") ? MAX_LINE_BYTES : r.integer("maxLineBytes", 1),
    heartbeatMs: r.integer("heartbeatMs", 1, MAX_HEARTBEAT_MS),
    rate: r.absent("rate") ? null : r.object("rate", (rate) => ({
      perSecond: rate.integer("perSecond", 1),
      burst: rate.integer("burst", 1),
    })),
  }),
  welcome: (r, re) => ({
    type: "welcome",
    ...re,
    name: r.name("name"),
    users: r.strings("users", (name) => checkName(name)?.message ?? null),
    userCount: r.count("userCount"),
    ts: r.time("ts"),
  }),
  ok: (r, re) => {
    // The reply to `msg` names its target as it logged in; the reply to `nick` the new name;
    // the reply to `say` and `msg` the id the message was given.
    const to = r.absent("to") ? {} : { to: r.name("to") };
    const name = r.absent("name") ? {} : { name: r.name("name") };
    const id = r.absent("id") ? {} : { id: r.integer("id", 1) };
    return {
      type: "ok",
      ...re,
      ts: r.time("ts"),
      ...to,
      ...optionalAway(r, "away"),
      ...name,
      ...id,
    };
  },
  message: (r) => {
    const to = r.absent("to") ? undefined : r.name("to");
    const action = r.absent("action") ? undefined : r.boolean("action");
    // A private message is said in no room: a line with both is forged or broken.
    const room = to === undefined ? optionalRoom(r) : r.absent("room") ? {} : noRoom(r);
    return {
      type: "message",
      from: r.name("from"),
      ...(to === undefined ? {} : { to }),
      text: r.string("text", checkText),
      ...(action === undefined ? {} : { action }),
      ...room,
      ...(r.absent("id") ? {} : { id: r.integer("id", 1) }),
      ts: r.time("ts"),
    };
  },
  join: (r) => ({ type: "join", name: r.name("name"), ...optionalRoom(r), ts: r.time("ts") }),
  leave: (r) => ({
    type: "leave",
    name: r.name("name"),
    ...optionalRoom(r),
    reason: r.oneOf("reason", LEAVE_REASONS),
    ...(r.absent("text") ? {} : { text: r.string("text", checkQuitText) }),
    ts: r.time("ts"),
  }),
  users: (r, re) => ({
    type: "users",
    ...re,
    users: r.list("users", (u) => ({ name: u.name("name"), since: u.time("since") })),
    ...more(r),
  }),
  files: (r, re) => ({
    type: "files",
    ...re,
    files: r.list("files", (f) => ({ name: f.fileName("name"), size: f.count("size") })),
    ...more(r),
  }),
  transfer: readTransfer,
  transfer_done: (r) => {
    const code = r.absent("code")
      ? undefined
      : r.member("code", isErrorCode, "an error code", "TRANSFER_FAILED");
    const message = r.absent("message") ? undefined : r.string("message");
    return {
      type: "transfer_done",
      transfer: r.count("transfer"),
      ok: r.boolean("ok"),
      ...(code === undefined ? {} : { code }),
      ...(message === undefined ? {} : { message }),
    };
  },
  file_added: (r) => ({
    type: "file_added",
    name: r.fileName("name"),
    size: r.count("size"),
    from: r.name("from"),
    ts: r.time("ts"),
  }),
  ping: (r) => ({ type: "ping", ts: r.time("ts") }),
  pong: (_, re) => ({ type: "pong", ...re }),
  bye: (_, re) => ({ type: "bye", ...re }),
  shutdown: (r) => ({ type: "shutdown", reason: r.string("reason") }),
  ...ROOM_READERS,
  ...PRESENCE_READERS,
  history: readHistory,
  error: (r, re) => {
    const code = r.member("code", isErrorCode, "a known error code", "BAD_REQUEST");
    // A lockout lasts up to its window; any other wait is short.
    const maxRetryMs = code === "LOCKED_OUT" ? LOCKOUT_WINDOW_MS : MAX_RETRY_MS;
    const retryMs = r.absent("retryMs") ? undefined : r.integer("retryMs", 0, maxRetryMs);
    return {
      type: "error",
      ...re,
      code,
      message: r.string("message"),
      ...(retryMs === undefined ? {} : { retryMs }),
    };
  },
};

function readTransfer(r: FieldReader, re: Re): ServerMessage {
  const size = r.count("size");
  return {
    type: "transfer",
    ...re,
    transfer: r.count("transfer"),
    name: r.fileName("name"),
    size,
    sha256: r.string("sha256", (v) => /^[0-9a-f]{64}$/.test(v) ? null : "not 64 hex digits"),
    offset: r.integer("offset", 0, size),
    udpPort: r.integer("udpPort", 1, 65535),
    token: r.string("token", (v) => /^[0-9a-f]{32}$/i.test(v) ? null : "not 32 hex digits"),
    key: r.string("key", (v) => /^[0-9a-f]{64}$/i.test(v) ? null : "not 64 hex digits"),
    direction: r.oneOf("direction", ["download", "upload"] as const),
  };
}

/** Marks a private message that names a room as broken. */
function noRoom(r: FieldReader): { room?: string } {
  r.member("room", (_): _ is never => false, "absent from a private message", undefined);
  return {};
}

/** A page's `more`, when present. */
function more(r: FieldReader): { more?: boolean } {
  return r.absent("more") ? {} : { more: r.boolean("more") };
}

function checkText(text: string): string | null {
  return text.length >= 1 && text.length <= MAX_TEXT_CHARS
    ? null
    : `not 1 to ${MAX_TEXT_CHARS} characters`;
}
