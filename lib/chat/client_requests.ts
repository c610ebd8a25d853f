/**
 * The client's open requests across connections: those sent on the current connection, by
 * the id they went out with, and those kept for the next connection while there is none.
 * @module
 */

import type { ClientError } from "./client_errors.ts";
import type { OutgoingRequest } from "./client_session.ts";

/** Most requests kept while disconnected, to be sent once reconnected; more fail (`QUEUE_FULL`). */
export const MAX_OFFLINE_REQUESTS = 256;

/** Requests worth sending again on a new connection if no reply came on the old one. */
const RESENDABLE: ReadonlySet<OutgoingRequest["type"]> = new Set([
  "say",
  "msg",
  "users",
  "files",
  "rooms",
  "names",
  "whois",
]);

/** A request and the handle its caller knows it by (stable across connections). */
export interface OpenRequest {
  readonly handle: number;
  readonly request: OutgoingRequest;
}

/**
 * The open requests. Sans-IO bookkeeping for `ClientCore`.
 *
 * @example
 * ```ts
 * import { ClientRequests } from "./client_requests.ts";
 * const requests = new ClientRequests();
 * requests.keep({ handle: 1, request: { type: "say", text: "hi" } }); // null: kept
 * requests.takeKept(); // [{ handle: 1, ... }], to send on the new connection
 * ```
 */
export class ClientRequests {
  #sent = new Map<number, OpenRequest>();
  #kept: OpenRequest[] = [];

  /** Notes a request sent on the current connection with wire id `wire`. */
  sent(wire: number, open: OpenRequest): void {
    this.#sent.set(wire, open);
  }

  /** Takes the request the reply with `re` answers, if it is still open. */
  answered(wire: number): OpenRequest | null {
    const open = this.#sent.get(wire);
    if (open === undefined) return null;
    this.#sent.delete(wire);
    return open;
  }

  /**
   * Keeps a request for the next connection; returns why it cannot wait instead (it is not
   * worth sending late, or too many wait already), or `null` when kept.
   */
  keep(open: OpenRequest): ClientError | null {
    if (!RESENDABLE.has(open.request.type)) {
      return { code: "CONNECTION_LOST", message: "Not connected to the hub; try again once back" };
    }
    if (this.#kept.length >= MAX_OFFLINE_REQUESTS) {
      const message = `${MAX_OFFLINE_REQUESTS} requests wait for the hub already`;
      return { code: "QUEUE_FULL", message };
    }
    this.#kept.push(open);
    return null;
  }

  /**
   * The connection was lost: requests worth resending are kept (before those kept already,
   * being older); the others are returned, to fail.
   */
  connectionLost(): OpenRequest[] {
    const sent = [...this.#sent.values()];
    this.#sent.clear();
    this.#kept = [...sent.filter((o) => RESENDABLE.has(o.request.type)), ...this.#kept];
    return sent.filter((o) => !RESENDABLE.has(o.request.type));
  }

  /** Takes the kept requests, oldest first, to send on the new connection. */
  takeKept(): OpenRequest[] {
    const kept = this.#kept;
    this.#kept = [];
    return kept;
  }

  /** Takes every open request, sent or kept, to fail them all. */
  takeAll(): OpenRequest[] {
    const all = [...this.#sent.values(), ...this.#kept];
    this.#sent.clear();
    this.#kept = [];
    return all;
  }
}
