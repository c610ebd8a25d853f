/**
 * Long list replies (`users`, `files`, `rooms`, `names`, `history`) cut into pages, so that no line the hub sends is over
 * `MAX_LINE_BYTES`.
 * @module
 */

import type { ServerMessage } from "./events.ts";
import { utf8Length } from "../irc/utf8_length.ts";
import { MAX_LINE_BYTES } from "./limits.ts";

/** A list reply, one page of it or all of it. */
export type ListReply = ServerMessage & {
  type: "users" | "files" | "rooms" | "names" | "history";
};

/** The field of each list reply that holds its list; every other field is on every page. */
export const LIST_FIELD = {
  users: "users",
  files: "files",
  rooms: "rooms",
  names: "names",
  history: "messages",
} as const satisfies Record<ListReply["type"], string>;

/** One entry of a list reply. */
type Entry = unknown;

/** The pages of a list reply, and how many entries were left out for not fitting any line. */
export interface ListPages {
  pages: ListReply[];
  /** Entries too long for a line of their own (none, with the hub's names and file names). */
  skipped: number;
}

// `,` between entries.
const SEPARATOR_BYTES = 1;

/**
 * Cuts a list reply into as few lines as fit in `maxLineBytes` each (newline excluded). A list
 * that fits is one line, exactly as before paging existed (no `more` field); otherwise every
 * page but the last carries `"more":true`, and all carry the same `re`.
 *
 * @example
 * ```ts
 * import { listPages } from "./list_pages.ts";
 * const users = [{ name: "ann", since: 1 }, { name: "bob", since: 2 }];
 * listPages({ type: "users", re: 4, users }, 60).pages;
 * // [{ type: "users", re: 4, users: [ann], more: true }, { type: "users", re: 4, users: [bob] }]
 * ```
 */
export function listPages(reply: ListReply, maxLineBytes: number = MAX_LINE_BYTES): ListPages {
  // Measured, not encoded: a names reply at each login of a big room is thousands of entries.
  if (utf8Length(JSON.stringify(reply)) <= maxLineBytes) return { pages: [reply], skipped: 0 };
  const entries = listOf(reply);
  const sizes = entries.map((entry) => utf8Length(JSON.stringify(entry)));
  // Every page is given the room of one that carries `"more":true`, the longer envelope.
  const room = maxLineBytes - byteLength(withList(reply, [], true));
  const pages: ListReply[] = [];
  let page: Entry[] = [];
  let used = 0;
  let skipped = 0;
  for (let i = 0; i < entries.length; i++) {
    const size = sizes[i]!;
    if (size > room) {
      skipped++;
      continue;
    }
    if (page.length > 0 && used + SEPARATOR_BYTES + size > room) {
      pages.push(withList(reply, page, true));
      page = [];
      used = 0;
    }
    used += (page.length > 0 ? SEPARATOR_BYTES : 0) + size;
    page.push(entries[i]!);
  }
  pages.push(withList(reply, page, false));
  return { pages, skipped };
}

/** The entries of a list reply. */
export function listOf(reply: ListReply): readonly Entry[] {
  return (reply as unknown as Record<string, readonly Entry[]>)[LIST_FIELD[reply.type]]!;
}

/**
 * A page of `reply` holding `entries` (of the reply's own entry type): every other field, `re`
 * and `room` say, as the reply has it.
 */
export function withList(reply: ListReply, entries: readonly Entry[], more: boolean): ListReply {
  const { more: _, ...rest } = reply;
  const page = { ...rest, [LIST_FIELD[reply.type]]: entries } as ListReply;
  return more ? { ...page, more: true } : page;
}

function byteLength(value: object): number {
  return utf8Length(JSON.stringify(value));
}
