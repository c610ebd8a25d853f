import assert from "node:assert/strict";
import { ListReassembly } from "../../lib/chat/list_reassembly.ts";

const user = (name: string) => ({ name, since: 0 });

Deno.test("ListReassembly holds pages with more and hands on the whole list at the last", () => {
  const lists = new ListReassembly();
  assert.deepEqual(
    lists.add(1, { type: "users", re: 1, users: [user("a")], more: true }, 10),
    { kind: "more" },
  );
  assert.deepEqual(
    lists.add(1, { type: "users", re: 1, users: [user("b")], more: true }, 10),
    { kind: "more" },
  );
  assert.deepEqual(lists.add(1, { type: "users", re: 1, users: [user("c")] }, 10), {
    kind: "done",
    message: { type: "users", re: 1, users: [user("a"), user("b"), user("c")] },
  });
});

Deno.test("ListReassembly passes a one-line list and any other reply through unchanged", () => {
  const lists = new ListReassembly();
  const single = { type: "files" as const, re: 2, files: [{ name: "a", size: 1 }] };
  assert.deepEqual(lists.add(2, single, 10), { kind: "done", message: single });
  const ok = { type: "ok" as const, re: 3, ts: 0 };
  assert.deepEqual(lists.add(3, ok, 10), { kind: "done", message: ok });
});

Deno.test("ListReassembly gives up a reply past its bound with REPLY_TOO_LONG", () => {
  const lists = new ListReassembly(25);
  const page = { type: "users" as const, re: 4, users: [user("a")], more: true };
  assert.equal(lists.add(4, page, 10).kind, "more");
  assert.equal(lists.add(4, page, 10).kind, "more");
  const outcome = lists.add(4, page, 10);
  assert.equal(outcome.kind === "failed" && outcome.error.code, "REPLY_TOO_LONG");
});

Deno.test("ListReassembly ends a paged reply when a line of another type answers it", () => {
  const lists = new ListReassembly();
  lists.add(5, { type: "users", re: 5, users: [user("a")], more: true }, 10);
  const error = { type: "error" as const, re: 5, code: "NO_SUCH_USER" as const, message: "x" };
  assert.deepEqual(lists.add(5, error, 10), { kind: "done", message: error });
});

Deno.test("ListReassembly joins the pages of rooms and names replies", () => {
  const lists = new ListReassembly();
  const room = (name: string) => ({ name, members: 1, topic: "" });
  lists.add(1, { type: "rooms", re: 1, rooms: [room("#a")], more: true }, 10);
  assert.deepEqual(lists.add(1, { type: "rooms", re: 1, rooms: [room("#b")] }, 10), {
    kind: "done",
    message: { type: "rooms", re: 1, rooms: [room("#a"), room("#b")] },
  });
  lists.add(2, { type: "names", re: 2, room: "#a", names: ["ann"], more: true }, 10);
  assert.deepEqual(lists.add(2, { type: "names", re: 2, room: "#a", names: ["bob"] }, 10), {
    kind: "done",
    message: { type: "names", re: 2, room: "#a", names: ["ann", "bob"] },
  });
});
