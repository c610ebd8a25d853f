/**
 * What the sans-IO client core tells its driver: actions, statuses, phases, and its settings.
 * @module
 */

import type { ClientError } from "./client_errors.ts";
import type { ServerMessage } from "./events.ts";

/**
 * How the session is doing, for the user to see. `room_lost`: a room the session was in could
 * not be joined again after reconnecting.
 */
export type ClientStatus =
  | { kind: "connected" }
  | { kind: "disconnected"; reason: string }
  | { kind: "reconnecting"; attempt: number; delayMs: number; reason: string }
  | { kind: "reconnected"; name: string }
  | { kind: "name_refused"; name: string; error: ClientError }
  | { kind: "room_lost"; room: string; error: ClientError };

/**
 * What the driver must do. `dial`: open a connection, then report `connected` or
 * `connectFailed`; `hangup`: close the connection (or abandon the dial) without reporting it;
 * `reply`/`fail`: settle request `handle`; `notice`: tell the user (a skipped line);
 * `ended`: the client is done, `error` saying why (`null` after `quit`).
 */
export type ClientAction =
  | { kind: "dial" }
  | { kind: "hangup" }
  | { kind: "reply"; handle: number; message: ServerMessage }
  | { kind: "fail"; handle: number; error: ClientError }
  | { kind: "event"; message: ServerMessage }
  | { kind: "notice"; error: ClientError }
  | { kind: "status"; status: ClientStatus }
  | { kind: "ended"; error: ClientError | null };

/**
 * Where the session stands. `ready`: greeted on the first connection, not logged in yet;
 * `relogging`: greeted on a new connection, logging in again; `backoff`: waiting to dial
 * again; `needName`: a new login was refused and the user must give another name.
 */
export type ClientPhase =
  | "dialing"
  | "greeting"
  | "ready"
  | "relogging"
  | "online"
  | "backoff"
  | "needName"
  | "quitting"
  | "closed";

/** Settings of a {@linkcode ClientCore}. */
export interface ClientCoreOptions {
  /** The hub as named in messages, e.g. `127.0.0.1:50000` (default `the hub`). */
  hub?: string;
  /** Reconnect when a logged-in connection is lost (default true). */
  reconnect?: boolean;
  /**
   * When a login after reconnecting is refused (someone took the name meanwhile): `ask` waits
   * for `ClientCore.login` with another name, `end` ends the client with the
   * refusal's code (default `end`).
   */
  onNameRefused?: "ask" | "end";
  /** Random numbers in [0, 1) for the back-off jitter (default: none, always 0.5). */
  random?: () => number;
}
