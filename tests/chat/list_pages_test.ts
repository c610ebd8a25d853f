import assert from "node:assert/strict";
import type { UserEntry } from "../../lib/chat/events.ts";
import { MAX_LINE_BYTES } from "../../lib/chat/limits.ts";
import { listPages } from "../../lib/chat/list_pages.ts";

const utf8 = new TextEncoder();
const bytes = (value: object) => utf8.encode(JSON.stringify(value)).length;

function users(count: number): UserEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `user${String(i).padStart(28, "0")}`,
    since: 1_764_090_000_000 + i,
  }));
}

Deno.test("listPages sends a list that fits as the one line it always was, without more", () => {
  const reply = { type: "users" as const, re: 3, users: users(3) };
  assert.deepEqual(listPages(reply), { pages: [reply], skipped: 0 });
});

Deno.test("listPages cuts 1,100 users of 32 characters into lines under MAX_LINE_BYTES", () => {
  const all = users(1100);
  assert.ok(bytes({ type: "users", re: 1, users: all }) > MAX_LINE_BYTES, "one line is too long");
  const { pages, skipped } = listPages({ type: "users", re: 1, users: all });
  assert.equal(skipped, 0);
  assert.ok(pages.length >= 2);
  for (const page of pages) assert.ok(bytes(page) <= MAX_LINE_BYTES, `${bytes(page)} bytes`);
  assert.deepEqual(pages.map((p) => p.re), pages.map(() => 1));
  assert.deepEqual(pages.map((p) => p.more), [...pages.slice(1).map(() => true), undefined]);
  assert.deepEqual(pages.flatMap((p) => p.type === "users" ? p.users : []), all);
});

Deno.test("listPages fills each page as far as the limit allows, exactly", () => {
  const all = users(40);
  const limit = 600;
  const { pages } = listPages({ type: "users", users: all }, limit);
  for (const [i, page] of pages.entries()) {
    assert.ok(bytes(page) <= limit);
    const next = pages[i + 1];
    if (next === undefined || page.type !== "users" || next.type !== "users") continue;
    const grown = { ...page, users: [...page.users, next.users[0]!] };
    assert.ok(bytes(grown) > limit, `page ${i} had room for one more entry`);
  }
});

Deno.test("listPages pages files too and leaves out an entry that fits no line", () => {
  const files = Array.from(
    { length: 250 },
    (_, i) => ({ name: `${"é".repeat(120)}${i}`, size: i }),
  );
  const huge = { name: "x".repeat(MAX_LINE_BYTES), size: 1 };
  const { pages, skipped } = listPages({ type: "files", re: "f", files: [huge, ...files] });
  assert.equal(skipped, 1);
  for (const page of pages) assert.ok(bytes(page) <= MAX_LINE_BYTES);
  assert.deepEqual(pages.flatMap((p) => p.type === "files" ? p.files : []), files);
});

Deno.test("listPages keeps an empty list one line", () => {
  assert.deepEqual(listPages({ type: "files", files: [] }).pages, [{ type: "files", files: [] }]);
});

Deno.test("listPages pages a names reply, each page carrying its room", () => {
  const names = Array.from({ length: 3000 }, (_, i) => `user${String(i).padStart(28, "0")}`);
  const { pages } = listPages({ type: "names", re: 2, room: "#dev", names });
  assert.ok(pages.length >= 2);
  for (const page of pages) {
    assert.ok(bytes(page) <= MAX_LINE_BYTES);
    assert.equal(page.type === "names" && page.room, "#dev");
  }
  assert.deepEqual(pages.flatMap((p) => p.type === "names" ? p.names : []), names);
});

Deno.test("listPages counts a reply's UTF-8 bytes, not its characters, against the limit", () => {
  const room = { name: "#é", members: 1, topic: "ü" };
  const reply = { type: "rooms" as const, rooms: [room, room] };
  const bytes = new TextEncoder().encode(JSON.stringify(reply)).length;
  assert.equal(listPages(reply, bytes).pages.length, 1, "exactly at the limit: one line");
  // In characters it would fit: é and ü are two bytes each.
  const pages = listPages(reply, bytes - 1).pages;
  assert.equal(pages.length, 2, "one byte over: a page per room");
  for (const page of pages) {
    assert.ok(new TextEncoder().encode(JSON.stringify(page)).length <= bytes - 1);
  }
});
