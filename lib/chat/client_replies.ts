/**
 * The hub's answers to the user's requests, on the client: each reply settles the request it
 * answers (or one the session sent to restore itself), and notes what it says of the session
 * (rooms joined, what was seen, the away text, a new name). Sans-IO, part of `ClientCore`,
 * which routes the replies to its own login and quit first.
 * @module
 */

import type { ActionQueue } from "./action_queue.ts";
import type { ClientAction } from "./client_actions.ts";
import type { ClientError } from "./client_errors.ts";
import { historyProblem } from "./client_history.ts";
import type { ClientRequests } from "./client_requests.ts";
import type { ServerMessage } from "./events.ts";
import { MAX_LINE_BYTES } from "./limits.ts";
import { nameKey } from "./names.ts";
import { badHistory, type SendRequest, type SessionRestore } from "./session_restore.ts";

/**
 * Settles the open requests from their replies.
 *
 * @example
 * ```ts ignore
 * const replies = new ClientReplies(actions, { requests, restore });
 * replies.answered(wire, { type: "ok" }, "ann", send); // null: no new name
 * ```
 */
export class ClientReplies {
  readonly #actions: ActionQueue<ClientAction>;
  readonly #requests: ClientRequests;
  readonly #restore: SessionRestore;

  /** Pushes a `reply` or a `fail` for each request settled into `actions`. */
  constructor(
    actions: ActionQueue<ClientAction>,
    parts: { requests: ClientRequests; restore: SessionRestore },
  ) {
    this.#actions = actions;
    this.#requests = parts.requests;
    this.#restore = parts.restore;
  }

  /**
   * The reply `message` to wire id `wire` came, for the user logged in as `me` (`""` before a
   * login); `send` sends what restoring the session asks next. Returns the user's new name
   * when it answers a rename, else `null`.
   */
  answered(wire: number, message: ServerMessage, me: string, send: SendRequest): string | null {
    if (this.#restore.answered(wire, message, me, send)) return null;
    const entry = this.#requests.answered(wire);
    if (entry === null) return null;
    const problem = historyProblem(me, message);
    if (problem !== null) {
      this.#fail(entry.handle, badHistory(problem));
      return null;
    }
    this.#restore.rooms.note(entry.request, message);
    this.#restore.seen.noteSent(entry.request, message);
    if (message.type === "history") this.#restore.seen.note(me, message);
    if (entry.request.type === "away" && message.type === "ok") {
      this.#restore.noteAway(entry.request.text);
    }
    if (entry.request.type === "nick" && message.type === "ok") {
      return this.#renamed(entry.handle, entry.request.name, message);
    }
    if (message.type !== "error") {
      this.#actions.push({ kind: "reply", handle: entry.handle, message });
      return null;
    }
    const retry = message.retryMs === undefined ? {} : { retryMs: message.retryMs };
    this.#fail(entry.handle, { code: message.code, message: message.message, ...retry });
    return null;
  }

  /** The reply to wire id `wire` could not be read: its request fails with `error`. */
  failed(wire: number, error: ClientError, me: string, send: SendRequest): void {
    if (this.#restore.answered(wire, error, me, send)) return;
    const entry = this.#requests.answered(wire);
    if (entry !== null) this.#fail(entry.handle, error);
  }

  /**
   * The hub broke its own line limit. The line was skipped, and it may have been the reply to
   * any request waiting: those fail now rather than wait for ever (their late replies, if any,
   * are ignored); with none waiting the user is told.
   */
  overlong(pending: number[]): void {
    const message = `The hub sent a line over ${MAX_LINE_BYTES} bytes; it was skipped`;
    const error: ClientError = { code: "LINE_TOO_LONG", message };
    let failed = 0;
    for (const wire of pending) {
      const entry = this.#requests.answered(wire);
      if (entry === null) continue;
      this.#fail(entry.handle, error);
      failed++;
    }
    if (failed === 0) this.#actions.push({ kind: "notice", error });
  }

  /**
   * The hub accepted a new name: it is the one to log in with from now on. An `ok` naming
   * another name than the one asked for (ignoring case) is a broken reply, and changes nothing.
   */
  #renamed(handle: number, asked: string, ok: ServerMessage & { type: "ok" }): string | null {
    const name = ok.name ?? asked;
    if (nameKey(name) !== nameKey(asked)) {
      const message = `The hub answered a rename to '${asked}' with the name '${name}'`;
      this.#fail(handle, { code: "BAD_SERVER_LINE", message });
      return null;
    }
    this.#actions.push({ kind: "reply", handle, message: ok });
    return name;
  }

  #fail(handle: number, error: ClientError): void {
    this.#actions.push({ kind: "fail", handle, error });
  }
}
