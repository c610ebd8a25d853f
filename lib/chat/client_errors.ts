/**
 * The error codes a chat client reports: every code a hub may send, and the client's own.
 * @module
 */

import type { ErrorCode } from "./errors.ts";

/** The client's own failure codes, which no hub sends, with what each means. */
export const CLIENT_ONLY_CODES = {
  CONNECT_FAILED: "the hub cannot be reached, or did not greet in time",
  CONNECTION_LOST: "the connection to the hub was lost",
  CLOSED: "the client was closed",
  TIMEOUT: "no answer in time",
  FILE_EXISTS: "a download would replace a file",
  FOLDER_UNUSABLE: "the downloads folder cannot be created or written",
  REPLY_TOO_LONG: "a paged list reply passed MAX_LIST_REPLY_CHARS",
  BAD_SERVER_LINE: "a line from the hub broke the protocol and was skipped",
  QUEUE_FULL: "too many requests wait for the connection to come back",
  INTERNAL_ERROR: "a bug in the client (an event handler threw)",
  USAGE: "an input line the client cannot read (an unknown /command, say)",
  TLS_NOT_SPOKEN: "the hub does not speak TLS (a plaintext port asked for with --tls or --ca)",
  TLS_REQUIRED: "the hub speaks TLS only: connect with --tls or --ca",
  CERT_UNKNOWN: "the hub's certificate is signed by no authority trusted (see --ca)",
  CERT_WRONG_HOST: "the hub's certificate is not valid for the host name connected to",
  CERT_EXPIRED: "the hub's certificate has expired, or is not valid yet",
  TLS_FAILED: "the TLS handshake failed (a refused certificate or protocol)",
  CA_UNUSABLE: "the --ca file cannot be read or holds no certificate",
} as const;

/** A code of the client's own. */
export type ClientOnlyCode = keyof typeof CLIENT_ONLY_CODES;

/** Every code a client failure may carry: a hub's {@linkcode ErrorCode} or the client's own. */
export type ClientErrorCode = ErrorCode | ClientOnlyCode;

/** A failure as the client core reports it (the driver turns it into a `ChatError`). */
export interface ClientError {
  code: ClientErrorCode;
  message: string;
  /** For `RATE_LIMITED`: how long to wait before retrying. */
  retryMs?: number;
}
