import assert from "node:assert/strict";
import { ClientHistory } from "../../lib/chat/client_history.ts";

Deno.test("ClientHistory keeps the newest id seen: an older history line does not move it back", () => {
  const seen = new ClientHistory();
  seen.note("ann", { type: "message", from: "bob", text: "new", room: "#Dev", id: 9, ts: 1 });
  seen.note("ann", {
    type: "history",
    room: "#dev",
    messages: [{ id: 3, from: "bob", text: "old", ts: 0 }],
  });
  assert.deepEqual(seen.catchUp(), [{ type: "history", room: "#Dev", after: 9, limit: 500 }]);
});

Deno.test("ClientHistory files a private message under the other party, either way", () => {
  const seen = new ClientHistory();
  seen.note("ann", { type: "message", from: "Bob", to: "ann", text: "hi", id: 2, ts: 1 });
  seen.noteSent({ type: "msg", to: "BOB", text: "yo" }, { type: "ok", to: "Bob", id: 5, ts: 2 });
  seen.noteSent({ type: "msg", to: "cy", text: "yo" }, {
    type: "error",
    code: "NO_SUCH_USER",
    message: "x",
  });
  assert.deepEqual(seen.catchUp(), [{ type: "history", peer: "Bob", after: 5, limit: 500 }]);
});

Deno.test("ClientHistory catches up only on the rooms the session is back in", () => {
  const seen = new ClientHistory();
  seen.note("ann", { type: "message", from: "bob", text: "a", room: "#a", id: 1, ts: 1 });
  seen.note("ann", { type: "message", from: "bob", text: "b", room: "#b", id: 2, ts: 1 });
  assert.deepEqual(seen.catchUp(["#B"]).map((r) => r.room), ["#b"]);
});

Deno.test("ClientHistory asks for more only after a catch-up the hub cut at its limit", () => {
  const seen = new ClientHistory();
  const entry = (id: number) => ({ id, from: "bob", text: "x", ts: 0 });
  const short = { type: "history" as const, peer: "bob", messages: [entry(1)] };
  assert.equal(seen.more(short), null);
  const full = { ...short, messages: Array.from({ length: 500 }, (_, i) => entry(i + 1)) };
  assert.deepEqual(seen.more(full), { type: "history", peer: "bob", after: 500, limit: 500 });
});
