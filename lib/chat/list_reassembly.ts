/**
 * The client's side of paged list replies: pages with `"more":true` are held until the last
 * one, then handed on as one reply, as if the list had fit in one line.
 * @module
 */

import type { ClientError } from "./client_errors.ts";
import type { ServerMessage } from "./events.ts";
import { listOf, type ListReply, withList } from "./list_pages.ts";

/**
 * Most characters (UTF-16 code units, as the client holds them) of pages one list reply may
 * take before the client gives it up: 64 Mi, a million users with the longest names. A hostile
 * hub could otherwise send `"more":true` for ever and fill the client's memory.
 */
export const MAX_LIST_REPLY_CHARS = 64 * 1024 * 1024;

/**
 * What a line of a reply amounts to: the whole reply, more to come, or a reply given up
 * (`REPLY_TOO_LONG`; its request is settled, so its later pages are mere events).
 */
export type PageOutcome =
  | { kind: "done"; message: ServerMessage }
  | { kind: "more" }
  | { kind: "failed"; error: ClientError };

interface Held {
  first: ListReply;
  entries: unknown[];
  chars: number;
}

/**
 * Joins the pages of list replies, per request id. Sans-IO.
 *
 * @example
 * ```ts
 * import { ListReassembly } from "./list_reassembly.ts";
 * const lists = new ListReassembly();
 * lists.add(1, { type: "users", re: 1, users: [{ name: "a", since: 0 }], more: true }, 50);
 * lists.add(1, { type: "users", re: 1, users: [{ name: "b", since: 0 }] }, 40);
 * // { kind: "done", message: { type: "users", re: 1, users: [a, b] } }
 * ```
 */
export class ListReassembly {
  readonly #partial = new Map<number, Held>();
  readonly #maxChars: number;

  /** @param maxChars most characters of pages per reply (default `MAX_LIST_REPLY_CHARS`) */
  constructor(maxChars: number = MAX_LIST_REPLY_CHARS) {
    this.#maxChars = maxChars;
  }

  /**
   * Takes one reply line for request `id`, `lineChars` long: a page with `"more":true` is
   * held, anything else ends the reply. A reply past the bound fails with `REPLY_TOO_LONG`.
   */
  add(id: number, message: ServerMessage, lineChars: number): PageOutcome {
    const held = this.#partial.get(id);
    if (!isList(message) || (held !== undefined && held.first.type !== message.type)) {
      this.#partial.delete(id);
      return { kind: "done", message };
    }
    const partial = held ?? { first: message, entries: [], chars: 0 };
    partial.chars += lineChars;
    if (partial.chars > this.#maxChars) {
      this.#partial.delete(id);
      const text = `List reply over ${this.#maxChars} characters: given up`;
      return { kind: "failed", error: { code: "REPLY_TOO_LONG", message: text } };
    }
    partial.entries.push(...listOf(message));
    if (message.more === true) {
      this.#partial.set(id, partial);
      return { kind: "more" };
    }
    this.#partial.delete(id);
    if (held === undefined) return { kind: "done", message };
    return { kind: "done", message: joined(message, partial) };
  }

  /** Forgets the pages held for request `id` (its reply failed otherwise). */
  drop(id: number): void {
    this.#partial.delete(id);
  }
}

function isList(message: ServerMessage): message is ListReply {
  return message.type === "users" || message.type === "files" || message.type === "rooms" ||
    message.type === "names" || message.type === "history";
}

function joined(last: ListReply, held: Held): ServerMessage {
  return withList(last, held.entries, false);
}
