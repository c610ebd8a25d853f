import assert from "node:assert/strict";
import { MAX_HISTORY_MESSAGES } from "../../lib/irc/limits.ts";
import { registered } from "./_session_harness.ts";

const entries = [
  { id: "m1", from: "bob", room: "#lobby", text: "first", ts: 0 },
  { id: "m2", from: "ann", room: "#lobby", text: "waves", action: true, ts: 1000 },
];

Deno.test("IrcSession CHATHISTORY asks the hub for LATEST, BEFORE and AFTER a msgid", () => {
  const h = registered().send(
    "CHATHISTORY LATEST #lobby * 10",
    "CHATHISTORY BEFORE #LOBBY msgid=m9 5",
    "CHATHISTORY AFTER bob msgid=m1 1000",
  );
  assert.deepEqual(h.takeRequests().map(({ id: _, ...r }) => r), [
    { type: "history", room: "#lobby", limit: 10 },
    { type: "history", room: "#lobby", before: "m9", limit: 5 },
    { type: "history", peer: "bob", after: "m1", limit: MAX_HISTORY_MESSAGES },
  ]);
});

Deno.test("IrcSession plays history back in a chathistory batch with time and msgid", () => {
  const h = registered("ann", { caps: "batch server-time message-tags" });
  h.send("CHATHISTORY LATEST #lobby * 10");
  const request = h.request();
  h.event({ type: "history", re: request.id, messages: entries });
  const lines = h.take();
  const ref = lines[0]!.split(" ")[2]!.slice(1);
  assert.deepEqual(lines, [
    `:deno-chat BATCH +${ref} chathistory #lobby`,
    `@time=1970-01-01T00:00:00.000Z;msgid=m1;batch=${ref} :bob!bob@deno-chat PRIVMSG #lobby :first`,
    `@time=1970-01-01T00:00:01.000Z;msgid=m2;batch=${ref} :ann!ann@deno-chat PRIVMSG #lobby :\x01ACTION waves\x01`,
    `:deno-chat BATCH -${ref}`,
  ]);
});

Deno.test("IrcSession plays private history to the right side of the conversation", () => {
  const h = registered().send("CHATHISTORY LATEST bob * 10");
  h.event({
    type: "history",
    re: h.request().id,
    messages: [
      { id: "p1", from: "bob", to: "ann", text: "hi", ts: 0 },
      { id: "p2", from: "ann", to: "bob", text: "hello", ts: 0 },
    ],
  });
  assert.deepEqual(h.take(), [
    ":bob!bob@deno-chat PRIVMSG ann :hi",
    ":ann!ann@deno-chat PRIVMSG bob :hello",
  ]);
});

Deno.test("IrcSession answers FAIL to CHATHISTORY it cannot serve", () => {
  const h = registered().send(
    "CHATHISTORY LATEST #lobby *",
    "CHATHISTORY AROUND #lobby msgid=m1 5",
    "CHATHISTORY BEFORE #lobby timestamp=2026-01-01T00:00:00.000Z 5",
    "CHATHISTORY LATEST #lobby * -1",
    "CHATHISTORY LATEST #elsewhere * 5",
  );
  assert.deepEqual(h.take().map((line) => line.split(" ").slice(1, 4).join(" ")), [
    "FAIL CHATHISTORY NEED_MORE_PARAMS",
    "FAIL CHATHISTORY INVALID_PARAMS",
    "FAIL CHATHISTORY INVALID_PARAMS",
    "FAIL CHATHISTORY INVALID_PARAMS",
    "FAIL CHATHISTORY INVALID_TARGET",
  ]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession plays the hub's replay on joining a room, and none for a room it is not in", () => {
  const h = registered("ann", { caps: "server-time message-tags" });
  h.take();
  h.event({ type: "history", messages: entries }); // #lobby: joined at login
  assert.deepEqual(h.take(), [
    "@time=1970-01-01T00:00:00.000Z;msgid=m1 :bob!bob@deno-chat PRIVMSG #lobby :first",
    "@time=1970-01-01T00:00:01.000Z;msgid=m2 :ann!ann@deno-chat PRIVMSG #lobby :\x01ACTION waves\x01",
  ]);
  h.event({ type: "history", messages: [{ ...entries[0]!, room: "#elsewhere" }] });
  assert.deepEqual(h.take(), []);
});
