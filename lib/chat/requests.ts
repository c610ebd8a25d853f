/**
 * Requests a client sends to the hub: their types and a validating parser that never throws.
 * @module
 */

import type { ProtocolError } from "./errors.ts";
import { parseObject } from "./json_line.ts";
import { MAX_REQUEST_ID_CHARS, MAX_TEXT_CHARS } from "./limits.ts";

/** A client's tag for a request, echoed as `re` on the reply. */
export type RequestId = string | number;

/** A request from a client, after validation. */
export type Request =
  | {
    type: "login";
    id?: RequestId;
    name: string;
    protocol: number;
    replay?: number;
    /** The account's password, for a registered name. */
    password?: string;
    /** The server's password, on a private hub. */
    serverPassword?: string;
  }
  | {
    /** Proves an account before logging in (IRC's SASL): `ok`, then a `login` of `name`. */
    type: "authenticate";
    id?: RequestId;
    name: string;
    password: string;
    serverPassword?: string;
  }
  | { type: "register"; id?: RequestId; password: string }
  | { type: "password"; id?: RequestId; old: string; new: string }
  | { type: "say"; id?: RequestId; text: string; action?: true; room?: string }
  | { type: "msg"; id?: RequestId; to: string; text: string; action?: true }
  | { type: "users"; id?: RequestId }
  | { type: "files"; id?: RequestId }
  | { type: "get"; id?: RequestId; name: string; offset: number; prefixSha256?: string }
  | { type: "put"; id?: RequestId; name: string; size: number; sha256: string }
  | { type: "join"; id?: RequestId; room: string; replay?: number }
  | { type: "part"; id?: RequestId; room: string }
  | { type: "rooms"; id?: RequestId }
  | { type: "topic"; id?: RequestId; room: string; topic?: string }
  | { type: "names"; id?: RequestId; room: string }
  | { type: "ping"; id?: RequestId }
  | { type: "pong"; id?: RequestId }
  | { type: "nick"; id?: RequestId; name: string }
  | { type: "away"; id?: RequestId; text?: string }
  | { type: "whois"; id?: RequestId; name: string }
  | { type: "quit"; id?: RequestId; text?: string }
  | ({ type: "history"; id?: RequestId } & HistoryRequest);

/**
 * A `history` request's fields: a room's history or the private conversation with `peer`, the
 * messages before and/or after a message id (neither: the latest), at most `limit` of them.
 */
export type HistoryRequest =
  & ({ room: string; peer?: never } | { peer: string; room?: never })
  & { before?: number; after?: number; limit: number };

/** The outcome of parsing one line: a request, or an error to reply with (and its `re`). */
export type ParsedRequest =
  | { ok: true; request: Request }
  | { ok: false; error: ProtocolError; re?: RequestId };

type Fields = Record<string, unknown>;
type Builder = (fields: Fields) => Omit<Request, "id"> | ProtocolError;

const BUILDERS: Record<string, Builder> = {
  login: (f) =>
    needString(f, "name") ??
      (f.protocol !== undefined && !Number.isSafeInteger(f.protocol)
        ? badField("protocol", "an integer")
        : needCount(f, "replay") ?? maybeString(f, "password") ??
          maybeString(f, "serverPassword") ?? {
          type: "login",
          name: f.name as string,
          protocol: (f.protocol as number) ?? 1,
          ...count(f, "replay"),
          ...optional(f, "password"),
          ...optional(f, "serverPassword"),
        }),
  authenticate: (f) =>
    needString(f, "name") ?? needString(f, "password") ?? maybeString(f, "serverPassword") ?? {
      type: "authenticate",
      name: f.name as string,
      password: f.password as string,
      ...optional(f, "serverPassword"),
    },
  register: (f) =>
    needString(f, "password") ?? { type: "register", password: f.password as string },
  password: (f) =>
    needString(f, "old") ?? needString(f, "new") ??
      { type: "password", old: f.old as string, new: f.new as string },
  say: (f) =>
    needString(f, "text") ?? needAction(f) ?? maybeString(f, "room") ??
      { type: "say", text: f.text as string, ...action(f), ...optional(f, "room") },
  msg: (f) =>
    needString(f, "to") ?? needString(f, "text") ?? needAction(f) ??
      { type: "msg", to: f.to as string, text: f.text as string, ...action(f) },
  users: () => ({ type: "users" }),
  files: () => ({ type: "files" }),
  get: (f) =>
    needString(f, "name") ??
      (f.offset !== undefined && !isByteCount(f.offset)
        ? badField("offset", "a non-negative integer")
        : (f.offset ?? 0) !== 0 && !isSha256(f.prefixSha256)
        ? badField("prefixSha256", "64 hexadecimal digits when resuming from an offset")
        : {
          type: "get",
          name: f.name as string,
          offset: (f.offset as number) ?? 0,
          ...(isSha256(f.prefixSha256)
            ? { prefixSha256: (f.prefixSha256 as string).toLowerCase() }
            : {}),
        }),
  put: (f) =>
    needString(f, "name") ??
      (!isByteCount(f.size)
        ? badField("size", "a non-negative integer")
        : !isSha256(f.sha256)
        ? badField("sha256", "64 hexadecimal digits")
        : {
          type: "put",
          name: f.name as string,
          size: f.size as number,
          sha256: f.sha256 as string,
        }),
  join: (f) =>
    needString(f, "room") ?? needCount(f, "replay") ??
      { type: "join", room: f.room as string, ...count(f, "replay") },
  part: (f) => needString(f, "room") ?? { type: "part", room: f.room as string },
  rooms: () => ({ type: "rooms" }),
  topic: (f) =>
    needString(f, "room") ?? maybeString(f, "topic") ??
      { type: "topic", room: f.room as string, ...optional(f, "topic") },
  names: (f) => needString(f, "room") ?? { type: "names", room: f.room as string },
  ping: () => ({ type: "ping" }),
  pong: () => ({ type: "pong" }),
  nick: (f) => needString(f, "name") ?? { type: "nick", name: f.name as string },
  away: (f) => maybeString(f, "text") ?? { type: "away", ...optional(f, "text") },
  whois: (f) => needString(f, "name") ?? { type: "whois", name: f.name as string },
  quit: (f) => maybeString(f, "text") ?? { type: "quit", ...optional(f, "text") },
  history: (f) =>
    (typeof f.room === "string") === (typeof f.peer === "string")
      ? { code: "BAD_REQUEST", message: "Field 'room' or field 'peer' must be a string, not both" }
      : needCount(f, "before") ?? needCount(f, "after") ??
        (isByteCount(f.limit) ? null : badField("limit", "a non-negative integer")) ?? {
        type: "history",
        ...(typeof f.room === "string" ? { room: f.room } : { peer: f.peer as string }),
        ...count(f, "before"),
        ...count(f, "after"),
        limit: f.limit as number,
      },
};

/**
 * Parses one line from a client into a validated request.
 *
 * @example
 * ```ts
 * import { parseRequest } from "./requests.ts";
 * parseRequest('{"type":"say","id":7,"text":"hi"}');
 * // { ok: true, request: { type: "say", text: "hi", id: 7 } }
 * ```
 */
export function parseRequest(line: string): ParsedRequest {
  const fields = parseObject(line);
  if (fields === null) {
    return {
      ok: false,
      error: { code: "MALFORMED_JSON", message: "Cannot parse line: not a JSON object" },
    };
  }
  const id = fields.id;
  if (id !== undefined && !isRequestId(id)) {
    return {
      ok: false,
      error: badField(
        "id",
        `a string of at most ${MAX_REQUEST_ID_CHARS} characters or a non-negative integer`,
      ),
    };
  }
  const withRe = id === undefined ? {} : { re: id };
  if (typeof fields.type !== "string") {
    return { ok: false, error: badField("type", "a string"), ...withRe };
  }
  const build = Object.hasOwn(BUILDERS, fields.type) ? BUILDERS[fields.type] : undefined;
  if (build === undefined) {
    return {
      ok: false,
      error: {
        code: "UNKNOWN_COMMAND",
        message: `Unknown request type '${fields.type.slice(0, 32)}'`,
      },
      ...withRe,
    };
  }
  const built = build(fields);
  if ("code" in built) return { ok: false, error: built, ...withRe };
  const request = (id === undefined ? built : { ...built, id }) as Request;
  return { ok: true, request };
}

function isRequestId(value: unknown): value is RequestId {
  return (typeof value === "string" && value.length <= MAX_REQUEST_ID_CHARS) ||
    (Number.isSafeInteger(value) && (value as number) >= 0);
}

/** A field that may be absent, and is a non-negative integer when present. */
function needCount(fields: Fields, name: string): ProtocolError | null {
  return fields[name] === undefined || isByteCount(fields[name])
    ? null
    : badField(name, "a non-negative integer");
}

/** The field, when present (already checked to be a count). */
function count<K extends string>(fields: Fields, name: K): { [P in K]?: number } {
  return fields[name] === undefined ? {} : { [name]: fields[name] } as { [P in K]?: number };
}

function isByteCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isSha256(value: unknown): boolean {
  return typeof value === "string" && /^[0-9a-f]{64}$/i.test(value);
}

function needString(fields: Fields, name: string): ProtocolError | null {
  return typeof fields[name] === "string" ? null : badField(name, "a string");
}

/** A field that may be absent, and is a string when present. */
function maybeString(fields: Fields, name: string): ProtocolError | null {
  return fields[name] === undefined ? null : needString(fields, name);
}

/** The field, when present (already checked to be a string). */
function optional<K extends string>(fields: Fields, name: K): { [P in K]?: string } {
  return fields[name] === undefined ? {} : { [name]: fields[name] } as { [P in K]?: string };
}

/**
 * Why the hub refuses a message's text (`TEXT_INVALID`), or `null`. A rule of the hub, not of
 * the syntax: a request whose text breaks it is well-formed, so it is no bad line (it is
 * refused after metering, like a `msg` to nobody).
 */
export function textRefusal(text: string): ProtocolError | null {
  if (text.length === 0 || text.length > MAX_TEXT_CHARS) {
    return { code: "TEXT_INVALID", message: `Text must be 1 to ${MAX_TEXT_CHARS} characters` };
  }
  return null;
}

/** `action`, when present, is a boolean: `true` makes the text an action (`/me waves`). */
function needAction(fields: Fields): ProtocolError | null {
  const value = fields.action;
  return value === undefined || typeof value === "boolean" ? null : badField("action", "a boolean");
}

function action(fields: Fields): { action?: true } {
  return fields.action === true ? { action: true } : {};
}

function badField(name: string, what: string): ProtocolError {
  return { code: "BAD_REQUEST", message: `Field '${name}' must be ${what}` };
}

/**
 * Requests that make the hub work or fan out, and so spend rate-limit tokens. `history` spends
 * from a bucket of its own instead (`HISTORY_RATE_PER_SECOND`).
 */
export const RATE_LIMITED_TYPES: ReadonlySet<Request["type"]> = new Set([
  "say",
  "msg",
  "users",
  "files",
  "get",
  "put",
  "join",
  "part",
  "rooms",
  "topic",
  "names",
  "nick",
  "away",
  "whois",
  "register",
  "password",
]);

/**
 * Requests the chat rate leaves free that still cost a reply, and so spend tokens of a bucket
 * of their own (`CONTROL_RATE_PER_SECOND`), logged in or not. `pong` costs no reply, `quit`
 * ends the connection: both are always free.
 */
export const CONTROL_TYPES: ReadonlySet<Request["type"]> = new Set([
  "login",
  "authenticate",
  "ping",
]);
