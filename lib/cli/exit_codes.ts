/**
 * Exit codes of chat-client, so scripts can tell what happened.
 * @module
 */

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
} as const;

const BY_CODE: Record<string, number> = {
  CONNECT_FAILED: EXIT.CONNECT_FAILED,
  SERVER_FULL: EXIT.CONNECT_FAILED,
  NAME_TAKEN: EXIT.NAME_REJECTED,
  NAME_INVALID: EXIT.NAME_REJECTED,
  NAME_RESERVED: EXIT.NAME_REJECTED,
  NO_SUCH_USER: EXIT.NO_SUCH_USER,
  NO_SUCH_FILE: EXIT.NO_SUCH_FILE,
  TRANSFER_REFUSED: EXIT.TRANSFER_FAILED,
  TRANSFER_FAILED: EXIT.TRANSFER_FAILED,
  CONNECTION_LOST: EXIT.CONNECTION_LOST,
  CLOSED: EXIT.CONNECTION_LOST,
};

/** The exit code for a failure with this error code. */
export function exitCodeFor(code: string): number {
  return BY_CODE[code] ?? EXIT.ERROR;
}
