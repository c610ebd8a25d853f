import assert from "node:assert/strict";
import { HubHarness } from "./_hub_harness.ts";
import type { ConnId, HubOptions } from "../../lib/chat/hub_types.ts";
import { historyReply, HubHistory } from "../../lib/chat/hub_history.ts";
import { HISTORY_RATE_BURST, MAX_HISTORY_LIMIT, MAX_LINE_BYTES } from "../../lib/chat/limits.ts";

const HISTORY: HubOptions = { history: { nextId: 41, replay: 5 }, rate: null };

/** Logs each name in speaking `protocol` (default 3, history), draining output and actions. */
function loginAs(h: HubHarness, names: readonly string[], protocol = 3): ConnId[] {
  const conns = names.map((name) => {
    const conn = h.connect(0);
    h.read(conn);
    h.send(conn, { type: "login", name, protocol }, 0);
    return conn;
  });
  for (const conn of conns) h.read(conn);
  h.takeActions();
  return conns;
}

Deno.test("hub gives room and private messages ids from history.nextId, on the event and the ok", () => {
  const h = new HubHarness(HISTORY);
  const [ann, bob] = loginAs(h, ["ann", "bob"]);
  h.send(ann!, { type: "say", id: 1, text: "hi all" }, 1);
  h.send(ann!, { type: "msg", id: 2, to: "bob", text: "psst" }, 2);
  assert.deepEqual(h.read(ann!).map((l) => [l.re, l.id]), [[1, 41], [2, 42]]);
  assert.deepEqual(h.read(bob!).map((l) => [l.text, l.id]), [["hi all", 41], ["psst", 42]]);
});

Deno.test("hub hands every room and private message to the driver to keep, with its id", () => {
  const h = new HubHarness(HISTORY);
  const [ann] = loginAs(h, ["ann", "bob"]);
  h.send(ann!, { type: "say", text: "hi all", action: true }, 1);
  h.send(ann!, { type: "msg", to: "BOB", text: "psst" }, 2);
  assert.deepEqual(h.takeActionsOf("store").map((a) => a.message), [
    { kind: "room", room: "#lobby", from: "ann", text: "hi all", action: true, ts: 1, id: 41 },
    { kind: "private", from: "ann", to: "bob", text: "psst", action: false, ts: 2, id: 42 },
  ]);
});

Deno.test("hub without history keeps nothing and refuses a history request with HISTORY_UNAVAILABLE", () => {
  const h = new HubHarness({ rate: null });
  const [ann] = loginAs(h, ["ann"]);
  h.send(ann!, { type: "say", id: 1, text: "hi" }, 1);
  assert.equal(h.readOne(ann!).id, 1, "ids count from 1");
  h.send(ann!, { type: "history", id: 2, room: "#lobby", limit: 5 }, 1);
  assert.equal(h.readOne(ann!).code, "HISTORY_UNAVAILABLE");
  assert.deepEqual(h.takeActions().filter((a) => a.kind === "store" || a.kind === "history"), []);
});

Deno.test("hub asks for the replay of #lobby at login and of each room joined, `replay` messages", () => {
  const h = new HubHarness(HISTORY);
  const conn = h.connect(0);
  h.send(conn, { type: "login", name: "ann", protocol: 3 }, 0);
  h.send(conn, { type: "join", room: "#dev" }, 1);
  h.send(conn, { type: "join", room: "#dev" }, 1);
  h.send(conn, { type: "join", room: "#ops", replay: 0 }, 1);
  h.send(conn, { type: "join", room: "#qa", replay: 9999 }, 1);
  const asked = h.takeActionsOf("history").map((a) => [a.scope, a.limit, a.re, a.user]);
  assert.deepEqual(asked, [
    [{ room: "#lobby" }, 5, undefined, "ann"],
    [{ room: "#dev" }, 5, undefined, "ann"],
    [{ room: "#qa" }, MAX_HISTORY_LIMIT, undefined, "ann"],
  ], "none for a room already joined or replay 0; the limit cut to MAX_HISTORY_LIMIT");
});

Deno.test("hub replays nothing to a client older than protocol 3", () => {
  const h = new HubHarness(HISTORY);
  const conn = h.connect(0);
  h.send(conn, { type: "login", name: "ann", protocol: 2 }, 0);
  h.send(conn, { type: "join", room: "#dev" }, 1);
  assert.deepEqual(h.takeActionsOf("history"), []);
});

Deno.test("hub serves a room's history to its members only (NOT_IN_ROOM)", () => {
  const h = new HubHarness(HISTORY);
  const [ann] = loginAs(h, ["ann"]);
  h.send(ann!, { type: "history", id: 1, room: "#secret", limit: 10 }, 1);
  assert.equal(h.readOne(ann!).code, "NOT_IN_ROOM");
  h.send(ann!, { type: "history", id: 2, room: "#LOBBY", before: 50, after: 3, limit: 10 }, 1);
  assert.deepEqual(h.takeActionsOf("history"), [{
    kind: "history",
    conn: ann!,
    user: "ann",
    re: 2,
    scope: { room: "#LOBBY" },
    before: 50,
    after: 3,
    limit: 10,
  }]);
});

Deno.test("hub asks for a private conversation as the requester's own, whatever peer it names", () => {
  const h = new HubHarness(HISTORY);
  const [ann] = loginAs(h, ["ann"]);
  h.send(ann!, { type: "history", id: 1, peer: "bob", after: 7, limit: 800 }, 1);
  const [asked] = h.takeActionsOf("history");
  assert.deepEqual([asked?.user, asked?.scope, asked?.after, asked?.limit], [
    "ann",
    { peer: "bob" },
    7,
    MAX_HISTORY_LIMIT,
  ]);
  h.send(ann!, { type: "history", id: 2, peer: "no one", limit: 1 }, 1);
  assert.equal(h.readOne(ann!).code, "NAME_INVALID");
});

Deno.test("hub refuses history requests that name both or neither, or bad bounds (BAD_REQUEST)", () => {
  const h = new HubHarness(HISTORY);
  const [ann] = loginAs(h, ["ann"]);
  const bad = [
    { room: "#lobby", peer: "bob", limit: 1 },
    { limit: 1 },
    { room: "#lobby" },
    { room: "#lobby", limit: -1 },
    { room: "#lobby", limit: 1, before: "9" },
    { room: "#lobby", limit: 1, after: 1.5 },
  ];
  for (const [i, fields] of bad.entries()) {
    h.send(ann!, { type: "history", id: i, ...fields }, 1);
    assert.equal(h.readOne(ann!).code, "BAD_REQUEST", JSON.stringify(fields));
  }
  h.send(ann!, { type: "join", room: "#dev", replay: -2 }, 1);
  assert.equal(h.readOne(ann!).code, "BAD_REQUEST");
});

Deno.test("hub sends a long history reply in pages, none over MAX_LINE_BYTES", () => {
  const h = new HubHarness(HISTORY);
  const [ann] = loginAs(h, ["ann"]);
  const text = "\u0001".repeat(4096); // escaped as \u0001: six bytes each
  const stored = Array.from({ length: 20 }, (_, i) => ({
    id: i + 1,
    kind: "room" as const,
    room: "#lobby",
    from: "bob",
    text,
    action: false,
    ts: i,
  }));
  const action = {
    kind: "history" as const,
    conn: ann!,
    user: "ann",
    re: 9,
    scope: { room: "#lobby" },
    limit: 20,
  };
  h.hub.reply(ann!, historyReply(action, stored), 1);
  const bytes = h.hub.takeOutput(ann!)!;
  const lines = new TextDecoder().decode(bytes).split("\n").filter((l) => l !== "");
  assert.ok(lines.length > 1);
  for (const line of lines) assert.ok(new TextEncoder().encode(line).length <= MAX_LINE_BYTES);
  const pages = lines.map((line) => JSON.parse(line));
  assert.deepEqual(pages.flatMap((p) => p.messages.map((m: { id: number }) => m.id)), [
    ...stored.map((m) => m.id),
  ]);
  assert.ok(pages.slice(0, -1).every((p) => p.more === true && p.re === 9));
});

Deno.test("HubHistory refuses a first id below 1 and a replay over MAX_HISTORY_LIMIT", () => {
  assert.throws(() => new HubHistory({ nextId: 0, replay: 1 }, () => {}), RangeError);
  assert.throws(
    () => new HubHistory({ nextId: 1, replay: MAX_HISTORY_LIMIT + 1 }, () => {}),
    RangeError,
  );
});

Deno.test("hub keeps a room with history when it empties: listed with 0 members, its topic kept", () => {
  const h = new HubHarness(HISTORY);
  const [ann, bob] = loginAs(h, ["ann", "bob"]);
  h.send(ann!, { type: "join", room: "#dev" }, 1);
  h.send(ann!, { type: "topic", room: "#dev", topic: "builds" }, 1);
  h.send(ann!, { type: "join", room: "#quiet" }, 1);
  h.send(ann!, { type: "say", room: "#dev", text: "remember" }, 2);
  assert.deepEqual(h.takeActionsOf("room").map((a) => a.room.name), ["#dev"]);
  h.send(ann!, { type: "part", room: "#dev" }, 3);
  h.send(ann!, { type: "part", room: "#quiet" }, 3);
  h.read(bob!);
  h.send(bob!, { type: "rooms", id: 1 }, 4);
  assert.deepEqual(h.readOne(bob!).rooms, [
    { name: "#lobby", members: 2, topic: "" },
    { name: "#dev", members: 0, topic: "builds" },
  ]);
  h.send(bob!, { type: "join", id: 2, room: "#DEV" }, 5);
  const joined = h.readOne(bob!);
  assert.deepEqual([joined.room, joined.topic, joined.memberCount], ["#dev", "builds", 1]);
  const [replay] = h.takeActionsOf("history");
  assert.deepEqual(replay?.scope, { room: "#dev" }, "a join replays the resting room's history");
});

Deno.test("hub saves a kept room again when its topic changes, and never without history", () => {
  const h = new HubHarness(HISTORY);
  const [ann] = loginAs(h, ["ann"]);
  h.send(ann!, { type: "say", text: "hi" }, 1);
  h.send(ann!, { type: "topic", room: "#lobby", topic: "welcome" }, 2);
  assert.deepEqual(h.takeActionsOf("room").map((a) => a.room), [
    { name: "#lobby", topic: null },
    { name: "#lobby", topic: { text: "welcome", by: "ann", ts: 2 } },
  ]);
  const off = new HubHarness({ rate: null });
  const [cy] = loginAs(off, ["cy"]);
  off.send(cy!, { type: "join", room: "#dev" }, 1);
  off.send(cy!, { type: "say", room: "#dev", text: "gone soon" }, 1);
  off.send(cy!, { type: "part", id: 1, room: "#dev" }, 1);
  off.read(cy!);
  off.send(cy!, { type: "rooms", id: 2 }, 1);
  assert.deepEqual(off.readOne(cy!).rooms, [{ name: "#lobby", members: 1, topic: "" }]);
  assert.deepEqual(off.takeActionsOf("room"), []);
});

Deno.test("hub restores the saved rooms of earlier runs, resting until someone joins", () => {
  const rooms = [
    { name: "#new", topic: null },
    { name: "#Old", topic: { text: "from before", by: "dan", ts: 1 } },
  ];
  const h = new HubHarness({ ...HISTORY, history: { nextId: 1, replay: 5, rooms } });
  const [ann] = loginAs(h, ["ann"]);
  h.send(ann!, { type: "rooms", id: 1 }, 1);
  assert.deepEqual(h.readOne(ann!).rooms, [
    { name: "#Old", members: 0, topic: "from before" },
    { name: "#new", members: 0, topic: "" },
    { name: "#lobby", members: 1, topic: "" },
  ]);
});

Deno.test("hub serves history requests from a bucket of their own, not the chat rate", () => {
  const h = new HubHarness({ ...HISTORY, rate: { perSecond: 1, burst: 1 } });
  const [ann] = loginAs(h, ["ann"]);
  h.send(ann!, { type: "say", id: "s", text: "spends the one token" }, 1);
  h.read(ann!);
  // A reconnection's catch-up: one request per room and conversation, all at once.
  for (let i = 0; i < HISTORY_RATE_BURST; i++) {
    h.send(ann!, { type: "history", id: i, room: "#lobby", after: 0, limit: 10 }, 1);
  }
  assert.equal(h.takeActionsOf("history").length, HISTORY_RATE_BURST);
  assert.deepEqual(h.read(ann!), [], "none refused");
  h.send(ann!, { type: "history", id: "over", room: "#lobby", after: 0, limit: 10 }, 1);
  const refused = h.readOne(ann!);
  assert.deepEqual([refused.code, refused.re], ["RATE_LIMITED", "over"]);
  h.send(ann!, { type: "say", id: "s2", text: "still limited" }, 1);
  assert.equal(h.readOne(ann!).code, "RATE_LIMITED", "the chat rate is its own");
});
