/**
 * Long list replies (`users`, `files`) cut into pages, so that no line the hub sends is over
 * `MAX_LINE_BYTES`.
 * @module
 */

import type { FileEntry, ServerMessage, UserEntry } from "./events.ts";
import { MAX_LINE_BYTES } from "./limits.ts";
import type { RequestId } from "./requests.ts";

/** A list reply, one page of it or all of it. */
export type ListReply = ServerMessage & { type: "users" | "files" };

/** The pages of a list reply, and how many entries were left out for not fitting any line. */
export interface ListPages {
  pages: ListReply[];
  /** Entries too long for a line of their own (none, with the hub's names and file names). */
  skipped: number;
}

const utf8 = new TextEncoder();
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
  const entries: readonly (UserEntry | FileEntry)[] = reply.type === "users"
    ? reply.users
    : reply.files;
  const sizes = entries.map((entry) => utf8.encode(JSON.stringify(entry)).length);
  const whole = byteLength(pageOf(reply, [], false)) +
    sizes.reduce((sum, size) => sum + size + SEPARATOR_BYTES, 0) - SEPARATOR_BYTES;
  if (whole <= maxLineBytes) return { pages: [reply], skipped: 0 };
  // Every page is given the room of one that carries `"more":true`, the longer envelope.
  const room = maxLineBytes - byteLength(pageOf(reply, [], true));
  const pages: ListReply[] = [];
  let page: (UserEntry | FileEntry)[] = [];
  let used = 0;
  let skipped = 0;
  for (let i = 0; i < entries.length; i++) {
    const size = sizes[i]!;
    if (size > room) {
      skipped++;
      continue;
    }
    if (page.length > 0 && used + SEPARATOR_BYTES + size > room) {
      pages.push(pageOf(reply, page, true));
      page = [];
      used = 0;
    }
    used += (page.length > 0 ? SEPARATOR_BYTES : 0) + size;
    page.push(entries[i]!);
  }
  pages.push(pageOf(reply, page, false));
  return { pages, skipped };
}

function pageOf(reply: ListReply, entries: (UserEntry | FileEntry)[], more: boolean): ListReply {
  const re: { re?: RequestId } = reply.re === undefined ? {} : { re: reply.re };
  const page: ListReply = reply.type === "users"
    ? { type: "users", ...re, users: entries as UserEntry[] }
    : { type: "files", ...re, files: entries as FileEntry[] };
  return more ? { ...page, more: true } : page;
}

function byteLength(value: object): number {
  return utf8.encode(JSON.stringify(value)).length;
}
