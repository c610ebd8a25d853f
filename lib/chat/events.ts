/**
 * Lines the hub sends to clients: their types, and a tolerant parser for clients.
 * @module
 */

import { parseObject } from "./json_line.ts";
import type { RequestId } from "./requests.ts";

/** Why a user left, as carried by a `leave` event. */
export type LeaveReason = "quit" | "disconnect" | "timeout" | "dropped" | "shutdown";

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
  }
  | {
    type: "message";
    from: string;
    to?: string;
    text: string;
    /** The text says what `from` does (`/me waves`), shown as `* from waves`. */
    action?: boolean;
    ts: number;
  }
  | { type: "join"; name: string; ts: number }
  | { type: "leave"; name: string; reason: LeaveReason; ts: number }
  | {
    type: "users";
    re?: RequestId;
    users: UserEntry[];
    /** A page of a long list: the next line continues it (see `listPages`). */
    more?: boolean;
  }
  | { type: "files"; re?: RequestId; files: FileEntry[]; more?: boolean }
  | ({ type: "transfer"; re?: RequestId } & TransferGrant)
  | { type: "transfer_done"; transfer: number; ok: boolean; code?: string; message?: string }
  | { type: "file_added"; name: string; size: number; from: string; ts: number }
  | { type: "ping"; ts: number }
  | { type: "pong"; re?: RequestId }
  | { type: "bye"; re?: RequestId }
  | { type: "shutdown"; reason: string }
  | { type: "error"; re?: RequestId; code: string; message: string; retryMs?: number };

const REQUIRED: Record<ServerMessage["type"], Record<string, string>> = {
  hello: { protocol: "number", server: "string", heartbeatMs: "number" },
  welcome: { name: "string", ts: "number" },
  ok: {},
  message: { from: "string", text: "string", ts: "number" },
  join: { name: "string", ts: "number" },
  leave: { name: "string", reason: "string", ts: "number" },
  users: {},
  files: {},
  transfer: { transfer: "number", name: "string", size: "number", token: "string" },
  transfer_done: { transfer: "number", ok: "boolean" },
  file_added: { name: "string", size: "number", from: "string", ts: "number" },
  ping: {},
  pong: {},
  bye: {},
  shutdown: { reason: "string" },
  error: { code: "string", message: "string" },
};

/**
 * Parses a line from the hub, returning `null` for anything a client should ignore
 * (not JSON, an unknown type, fields missing): newer hubs may send more than this client knows.
 */
export function parseServerMessage(line: string): ServerMessage | null {
  const fields = parseObject(line);
  if (fields === null || typeof fields.type !== "string") return null;
  const required = Object.hasOwn(REQUIRED, fields.type)
    ? REQUIRED[fields.type as ServerMessage["type"]]
    : undefined;
  if (required === undefined) return null;
  for (const [name, kind] of Object.entries(required)) {
    const actual = typeof fields[name];
    if (actual !== kind) return null;
  }
  if (fields.type === "users" && !isListOf(fields.users, USER_FIELDS)) return null;
  if (fields.type === "files" && !isListOf(fields.files, FILE_FIELDS)) return null;
  if (fields.more !== undefined && typeof fields.more !== "boolean") return null;
  return fields as unknown as ServerMessage;
}

const USER_FIELDS = { name: "string", since: "number" };
const FILE_FIELDS = { name: "string", size: "number" };

/** Whether `value` is an array of objects whose fields have the types given. */
function isListOf(value: unknown, fields: Record<string, string>): boolean {
  if (!Array.isArray(value)) return false;
  return value.every((entry: unknown) =>
    typeof entry === "object" && entry !== null &&
    Object.entries(fields).every(([name, kind]) =>
      typeof (entry as Record<string, unknown>)[name] === kind
    )
  );
}
