/**
 * Exit codes of chat-client, so scripts can tell what happened.
 * @module
 */

import type { ClientErrorCode } from "../chat/client_errors.ts";

/** Exit codes, each with one meaning. */
export const EXIT = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  CONNECT_FAILED: 3,
  NAME_REJECTED: 4,
  NO_SUCH_USER: 5,
  NO_SUCH_FILE: 6,
  TRANSFER_FAILED: 7,
  CONNECTION_LOST: 8,
  /** TLS was refused: not spoken, required, or a certificate not trusted for this hub. */
  TLS_FAILED: 9,
  /** A password was refused, missing, locked out, or could not be sent safely. */
  AUTH_FAILED: 10,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  TERMINATED: 143,
} as const;

/** One of the {@linkcode EXIT} codes. */
export type ExitCode = typeof EXIT[keyof typeof EXIT];

/**
 * The exit code of every failure code. Total on purpose: a new code must be given its exit
 * code here, and a misspelt one does not compile.
 */
const BY_CODE: Readonly<Record<ClientErrorCode, ExitCode>> = {
  // Cannot talk to this hub at all.
  CONNECT_FAILED: EXIT.CONNECT_FAILED,
  SERVER_FULL: EXIT.CONNECT_FAILED,
  TOO_MANY_CONNECTIONS: EXIT.CONNECT_FAILED,
  PROTOCOL_VERSION: EXIT.CONNECT_FAILED,
  // The name.
  NAME_TAKEN: EXIT.NAME_REJECTED,
  NAME_INVALID: EXIT.NAME_REJECTED,
  NAME_RESERVED: EXIT.NAME_REJECTED,
  // The passwords (a registered name given without one: its password is missing).
  NAME_REGISTERED: EXIT.AUTH_FAILED,
  BAD_PASSWORD: EXIT.AUTH_FAILED,
  NOT_REGISTERED: EXIT.AUTH_FAILED,
  PASSWORD_INVALID: EXIT.AUTH_FAILED,
  LOCKED_OUT: EXIT.AUTH_FAILED,
  INSECURE_LOGIN: EXIT.AUTH_FAILED,
  SERVER_PASSWORD_REQUIRED: EXIT.AUTH_FAILED,
  NO_SUCH_USER: EXIT.NO_SUCH_USER,
  NO_SUCH_FILE: EXIT.NO_SUCH_FILE,
  // A transfer that was refused, failed, or could not start here.
  TRANSFER_REFUSED: EXIT.TRANSFER_FAILED,
  TRANSFER_FAILED: EXIT.TRANSFER_FAILED,
  TOO_MANY_TRANSFERS: EXIT.TRANSFER_FAILED,
  SERVER_BUSY: EXIT.TRANSFER_FAILED,
  FILE_EXISTS: EXIT.TRANSFER_FAILED,
  FOLDER_UNUSABLE: EXIT.TRANSFER_FAILED,
  TIMEOUT: EXIT.TRANSFER_FAILED,
  // The session ended under the client.
  CONNECTION_LOST: EXIT.CONNECTION_LOST,
  CLOSED: EXIT.CONNECTION_LOST,
  IDLE_TIMEOUT: EXIT.CONNECTION_LOST,
  LOGIN_TIMEOUT: EXIT.CONNECTION_LOST,
  SLOW_CONSUMER: EXIT.CONNECTION_LOST,
  TOO_MANY_ERRORS: EXIT.CONNECTION_LOST,
  SHUTTING_DOWN: EXIT.CONNECTION_LOST,
  // Anything else: a refused or garbled request or reply.
  LINE_TOO_LONG: EXIT.ERROR,
  INVALID_UTF8: EXIT.ERROR,
  MALFORMED_JSON: EXIT.ERROR,
  BAD_REQUEST: EXIT.ERROR,
  UNKNOWN_COMMAND: EXIT.ERROR,
  TEXT_INVALID: EXIT.ERROR,
  ALREADY_LOGGED_IN: EXIT.ERROR,
  NOT_LOGGED_IN: EXIT.ERROR,
  RATE_LIMITED: EXIT.ERROR,
  REPLY_TOO_LONG: EXIT.ERROR,
  BAD_SERVER_LINE: EXIT.ERROR,
  QUEUE_FULL: EXIT.ERROR,
  INTERNAL_ERROR: EXIT.ERROR,
  ROOM_INVALID: EXIT.ERROR,
  NO_SUCH_ROOM: EXIT.ERROR,
  NOT_IN_ROOM: EXIT.ERROR,
  TOO_MANY_ROOMS: EXIT.ERROR,
  ROOMS_FULL: EXIT.ERROR,
  TOPIC_INVALID: EXIT.ERROR,
  AWAY_INVALID: EXIT.ERROR,
  HISTORY_UNAVAILABLE: EXIT.ERROR,
  AUTH_PENDING: EXIT.ERROR,
  ACCOUNTS_UNAVAILABLE: EXIT.ERROR,
  USAGE: EXIT.USAGE,
  // TLS: the client's settings do not fit this hub; trying again would not help.
  TLS_NOT_SPOKEN: EXIT.TLS_FAILED,
  TLS_REQUIRED: EXIT.TLS_FAILED,
  CERT_UNKNOWN: EXIT.TLS_FAILED,
  CERT_WRONG_HOST: EXIT.TLS_FAILED,
  CERT_EXPIRED: EXIT.TLS_FAILED,
  TLS_FAILED: EXIT.TLS_FAILED,
  CA_UNUSABLE: EXIT.TLS_FAILED,
};

/** The exit code for a failure with this error code. */
export function exitCodeFor(code: ClientErrorCode): ExitCode {
  return BY_CODE[code];
}

/**
 * Exit codes from the most serious failure to the least: a run that met several failures
 * (piped input) exits with the most serious one's code.
 */
export const SEVERITY: readonly ExitCode[] = [
  EXIT.TERMINATED,
  EXIT.INTERRUPTED,
  EXIT.CONNECTION_LOST,
  EXIT.TLS_FAILED,
  EXIT.CONNECT_FAILED,
  EXIT.AUTH_FAILED,
  EXIT.NAME_REJECTED,
  EXIT.TRANSFER_FAILED,
  EXIT.NO_SUCH_FILE,
  EXIT.NO_SUCH_USER,
  EXIT.ERROR,
  EXIT.USAGE,
  EXIT.OK,
];

/** The more serious of two exit codes (see {@linkcode SEVERITY}). */
export function worseExit(a: ExitCode, b: ExitCode): ExitCode {
  return SEVERITY.indexOf(a) <= SEVERITY.indexOf(b) ? a : b;
}

/** The exit code a signal stops a scripted run with. */
export function exitForSignal(signal: "SIGINT" | "SIGTERM"): ExitCode {
  return signal === "SIGINT" ? EXIT.INTERRUPTED : EXIT.TERMINATED;
}
