/**
 * What a new connection gives back of a chat session, sans-IO: the rooms it was in, the away
 * text, and what was said meanwhile in each conversation (a history catch-up), asked for once
 * the hub has welcomed the user again. Part of `ClientCore`, which owns the connection.
 * @module
 */

import type { ActionQueue } from "./action_queue.ts";
import type { ClientAction } from "./client_actions.ts";
import type { ClientError } from "./client_errors.ts";
import { ClientHistory, historyProblem } from "./client_history.ts";
import { ClientRooms, type RoomRequest } from "./client_rooms.ts";
import type { OutgoingRequest } from "./client_session.ts";
import type { ServerMessage } from "./events.ts";

/** Sends a request on the current connection; returns its wire id. */
export type SendRequest = (request: OutgoingRequest) => number;

/**
 * The session state a reconnection restores, and the requests that restore it.
 *
 * @example
 * ```ts
 * import { ActionQueue } from "./action_queue.ts";
 * import { SessionRestore } from "./session_restore.ts";
 * const restore = new SessionRestore(new ActionQueue());
 * let wire = 0;
 * restore.restore(() => ++wire); // nothing to join, catch up on or set: no requests
 * ```
 */
export class SessionRestore {
  /** The rooms the session is in, kept across connections. */
  readonly rooms = new ClientRooms();
  /** What the session has seen of each conversation, to ask for what it missed. */
  readonly seen = new ClientHistory();
  readonly #actions: ActionQueue<ClientAction>;
  /** Joins (and a part) sent to restore the rooms on a new connection, by wire id. */
  readonly #restoring = new Map<number, RoomRequest>();
  /** `history` requests sent to catch up on a new connection, by wire id. */
  readonly #catchingUp = new Set<number>();
  /** The away text the hub last accepted, `null` while here: set again on a new connection. */
  #away: string | null = null;

  /** Pushes what it has to tell (lost rooms, history, notices) into `actions`. */
  constructor(actions: ActionQueue<ClientAction>) {
    this.#actions = actions;
  }

  /** The hub accepted an away text (empty: back). */
  noteAway(text: string | undefined): void {
    this.#away = text || null;
  }

  /**
   * Sends what puts a session welcomed on a new connection back where it was: the rooms first,
   * so that what waited to be said there can be; then what was missed, asked for after the
   * joins so that the hub finds the user in them; then the away text, which the hub forgot
   * with the connection (its reply answers no open request and is dropped).
   */
  restore(send: SendRequest): void {
    for (const request of this.rooms.restore()) {
      const seen = request.type === "join" && this.seen.lastInRoom(request.room) !== null;
      this.#restoring.set(send(seen ? { ...request, replay: 0 } : request), request);
    }
    for (const request of this.seen.catchUp(this.rooms.names)) {
      this.#catchingUp.add(send(request));
    }
    if (this.#away !== null) send({ type: "away", text: this.#away });
  }

  /**
   * Takes the reply (or failure) to request `wire` if it is one of the restore's; false for
   * any other. `me` is the name logged in with, `send` asks for more of a history cut short.
   */
  answered(
    wire: number,
    reply: ServerMessage | ClientError,
    me: string,
    send: SendRequest,
  ): boolean {
    if (this.#restoring.has(wire)) {
      this.#onRestored(wire, reply);
      return true;
    }
    if (!this.#catchingUp.delete(wire)) return false;
    if ("type" in reply) this.#caughtUp(reply, me, send);
    else this.#actions.push({ kind: "notice", error: reply });
    return true;
  }

  /** The connection is gone: its requests will never be answered. */
  connectionEnded(): void {
    this.#restoring.clear();
    this.#catchingUp.clear();
  }

  /** A reply to a join (or part) sent to restore the rooms: a refusal loses that room. */
  #onRestored(wire: number, message: ServerMessage | ClientError): void {
    const request = this.#restoring.get(wire)!;
    const { room } = request;
    this.#restoring.delete(wire);
    if ("type" in message && message.type !== "error") return this.rooms.note(request, message);
    // A part refused is one of a room the user is out of already: nothing is lost.
    if (request.type === "part") return;
    this.rooms.forget(room);
    const error: ClientError = { code: message.code, message: message.message };
    this.#actions.push({ kind: "status", status: { kind: "room_lost", room, error } });
  }

  /** A catch-up came back: shown as history, and the rest asked for if it was cut. */
  #caughtUp(message: ServerMessage, me: string, send: SendRequest): void {
    // A refusal (a room lost meanwhile, a hub without history, the rate) is told, not retried.
    if (message.type === "error") {
      const error = {
        code: message.code,
        message: `Cannot fetch what was missed: ${message.message}`,
      };
      return this.#actions.push({ kind: "notice", error });
    }
    if (message.type !== "history") return;
    const problem = historyProblem(me, message);
    if (problem !== null) {
      return this.#actions.push({ kind: "notice", error: badHistory(problem) });
    }
    this.seen.note(me, message);
    this.#actions.push({ kind: "event", message });
    const more = this.seen.more(message);
    if (more !== null) this.#catchingUp.add(send(more));
  }
}

/** The error a history line the user may not be shown is told with. */
export function badHistory(problem: string): ClientError {
  return { code: "BAD_SERVER_LINE", message: `Skipped a line from the hub: ${problem}` };
}
