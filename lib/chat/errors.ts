/**
 * Stable error codes of the chat protocol, shared by the hub, the client and tests.
 * @module
 */

import type { LeaveReason } from "./events.ts";

/** Every error code a hub may send, with whether it closes the connection. */
export const ERROR_CODES = {
  LINE_TOO_LONG: false,
  INVALID_UTF8: false,
  MALFORMED_JSON: false,
  BAD_REQUEST: false,
  UNKNOWN_COMMAND: false,
  TEXT_INVALID: false,
  PROTOCOL_VERSION: false,
  NAME_INVALID: false,
  NAME_RESERVED: false,
  NAME_TAKEN: false,
  ALREADY_LOGGED_IN: false,
  NOT_LOGGED_IN: false,
  NO_SUCH_USER: false,
  RATE_LIMITED: false,
  NO_SUCH_FILE: false,
  TRANSFER_REFUSED: false,
  TOO_MANY_TRANSFERS: false,
  SERVER_BUSY: false,
  TRANSFER_FAILED: false,
  ROOM_INVALID: false,
  NO_SUCH_ROOM: false,
  NOT_IN_ROOM: false,
  TOO_MANY_ROOMS: false,
  ROOMS_FULL: false,
  TOPIC_INVALID: false,
  AWAY_INVALID: false,
  HISTORY_UNAVAILABLE: false,
  NAME_REGISTERED: false,
  NOT_REGISTERED: false,
  BAD_PASSWORD: false,
  PASSWORD_INVALID: false,
  LOCKED_OUT: false,
  INSECURE_LOGIN: false,
  SERVER_PASSWORD_REQUIRED: false,
  AUTH_PENDING: false,
  ACCOUNTS_UNAVAILABLE: false,
  TOO_MANY_ERRORS: true,
  LOGIN_TIMEOUT: true,
  IDLE_TIMEOUT: true,
  SLOW_CONSUMER: true,
  SERVER_FULL: true,
  TOO_MANY_CONNECTIONS: true,
  SHUTTING_DOWN: true,
} as const;

/** A stable, machine-readable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error as carried on the wire: a code and a human sentence. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
  /**
   * For `RATE_LIMITED`, `SERVER_BUSY` and `LOCKED_OUT`: how long to wait before the request
   * would be accepted.
   */
  retryMs?: number;
}

/** Builds a {@linkcode ProtocolError}. */
export function protocolError(code: ErrorCode, message: string): ProtocolError {
  return { code, message };
}

/** Whether a code is one the hub closes the connection after. */
export function isFatal(code: ErrorCode): boolean {
  return ERROR_CODES[code];
}

/** Whether a string is a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/** The reason others are given when a connection closes with `code`. */
export function leaveReasonFor(code: ErrorCode): LeaveReason {
  if (code === "IDLE_TIMEOUT") return "timeout";
  if (code === "SHUTTING_DOWN") return "shutdown";
  return isFatal(code) ? "dropped" : "disconnect";
}
