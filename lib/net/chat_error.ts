/**
 * The error a chat client's requests reject with.
 * @module
 */

import type { ClientErrorCode } from "../chat/client_errors.ts";

/**
 * A failed request or connection. `code` is a hub error code (`NAME_TAKEN`, `NO_SUCH_USER`...)
 * or one of the client's own (`CONNECT_FAILED`, `CONNECTION_LOST`, `CLOSED`, `TIMEOUT`...; see
 * `CLIENT_ONLY_CODES`).
 */
export class ChatError extends Error {
  /** Stable, machine-readable code. */
  readonly code: ClientErrorCode;
  /** For `RATE_LIMITED`: how long to wait before retrying. */
  readonly retryMs: number | undefined;

  constructor(code: ClientErrorCode, message: string, options: { retryMs?: number } = {}) {
    super(message);
    this.name = "ChatError";
    this.code = code;
    this.retryMs = options.retryMs;
  }
}
