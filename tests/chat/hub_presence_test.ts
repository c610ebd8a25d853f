import assert from "node:assert/strict";
import { HubHarness, type Line } from "./_hub_harness.ts";
import type { ConnId } from "../../lib/chat/hub_types.ts";
import {
  MAX_AWAY_CHARS,
  MAX_QUIT_CHARS,
  PRESENCE_RATE_BURST,
  PRESENCE_RATE_PER_SECOND,
} from "../../lib/chat/limits.ts";

/** Logs in speaking protocol 2 (or `protocol`), and drains everyone's output. */
function loginAll(h: HubHarness, names: readonly string[], protocol = 2): ConnId[] {
  const conns = names.map((name) => {
    const conn = h.connect(0);
    h.read(conn);
    h.send(conn, { type: "login", name, protocol }, 0);
    assert.equal(h.readOne(conn).type, "welcome");
    return conn;
  });
  for (const conn of conns) h.read(conn);
  h.takeActions();
  return conns;
}

/** Sends a request with id 1 and returns its one reply (events to `conn` are dropped). */
function ask(h: HubHarness, conn: ConnId, request: object, now = 1): Line {
  h.read(conn);
  h.send(conn, { id: 1, ...request }, now);
  const replies = h.read(conn).filter((line) => line.re === 1);
  assert.equal(replies.length, 1, JSON.stringify(replies));
  return replies[0]!;
}

Deno.test("hub nick renames the user and tells each user sharing a room once", () => {
  const h = new HubHarness();
  const [ann, bob, cy] = loginAll(h, ["ann", "bob", "cy"]);
  ask(h, ann!, { type: "join", room: "#dev" });
  ask(h, bob!, { type: "join", room: "#dev" });
  ask(h, ann!, { type: "part", room: "#lobby" });
  for (const conn of [ann!, bob!, cy!]) h.read(conn);
  assert.deepEqual(ask(h, ann!, { type: "nick", name: "anna" }, 5), {
    type: "ok",
    re: 1,
    name: "anna",
    ts: 5,
  });
  assert.deepEqual(h.read(bob!), [{ type: "nick", old: "ann", name: "anna", ts: 5 }]);
  assert.deepEqual(h.read(cy!), [], "shares no room with ann since she left #lobby");
  assert.deepEqual(h.hub.userNames, ["bob", "cy", "anna"], "listed as if just arrived");
});

Deno.test("hub nick tells a user sharing two rooms with the renamed one only once", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  ask(h, ann!, { type: "join", room: "#dev" });
  ask(h, bob!, { type: "join", room: "#dev" });
  h.read(ann!);
  ask(h, ann!, { type: "nick", name: "anna" });
  assert.equal(h.read(bob!).length, 1);
});

Deno.test("hub nick moves the name: messages reach the new one, the old is free", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  ask(h, ann!, { type: "nick", name: "anna" });
  h.read(bob!);
  assert.equal(ask(h, bob!, { type: "msg", to: "ann", text: "hi" }).code, "NO_SUCH_USER");
  assert.equal(ask(h, bob!, { type: "msg", to: "ANNA", text: "hi" }).to, "anna");
  assert.equal(h.readOne(ann!).from, "bob");
  const cy = h.login("ann", 2);
  assert.ok(cy > 0, "the old name can be taken by someone else");
});

Deno.test("hub nick keeps the name rules and uniqueness", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  assert.equal(ask(h, ann!, { type: "nick", name: "a b" }).code, "NAME_INVALID");
  assert.equal(ask(h, ann!, { type: "nick", name: "x".repeat(33) }).code, "NAME_INVALID");
  assert.equal(ask(h, ann!, { type: "nick", name: "Admin" }).code, "NAME_RESERVED");
  assert.equal(ask(h, ann!, { type: "nick", name: "BOB" }).code, "NAME_TAKEN");
  assert.equal(ask(h, ann!, { type: "nick" }).code, "BAD_REQUEST");
  assert.deepEqual(h.read(bob!), [], "a refused rename tells nobody");
  assert.deepEqual(h.hub.userNames, ["ann", "bob"]);
});

Deno.test("hub nick may change the case of one's own name; the same name tells nobody", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  assert.equal(ask(h, ann!, { type: "nick", name: "Ann" }).type, "ok");
  assert.deepEqual(h.read(bob!), [{ type: "nick", old: "ann", name: "Ann", ts: 1 }]);
  assert.equal(ask(h, ann!, { type: "nick", name: "Ann" }).type, "ok");
  assert.deepEqual(h.read(bob!), []);
});

Deno.test("hub nick and away are rate limited by a bucket of their own", () => {
  const h = new HubHarness({ rate: null });
  const [ann] = loginAll(h, ["ann", "bob"]);
  for (let i = 0; i < PRESENCE_RATE_BURST; i++) {
    const reply = ask(h, ann!, i % 2 === 0 ? { type: "nick", name: `ann${i}` } : { type: "away" });
    assert.equal(reply.type, "ok", `change ${i}`);
  }
  const refused = ask(h, ann!, { type: "nick", name: "zed" });
  assert.equal(refused.code, "RATE_LIMITED");
  assert.equal(ask(h, ann!, { type: "away", text: "x" }).code, "RATE_LIMITED");
  const later = 1 + 1000 / PRESENCE_RATE_PER_SECOND;
  assert.equal(ask(h, ann!, { type: "nick", name: "zed" }, later).type, "ok");
});

Deno.test("hub nick is a leave and a join of #lobby to a version 1 client", () => {
  const h = new HubHarness();
  const [old] = loginAll(h, ["old"], 1);
  const [ann] = loginAll(h, ["ann"]);
  h.read(old!);
  ask(h, ann!, { type: "nick", name: "anna" }, 4);
  assert.deepEqual(h.read(old!), [
    { type: "leave", name: "ann", reason: "quit", ts: 4 },
    { type: "join", name: "anna", ts: 4 },
  ]);
});

Deno.test("hub away tells those sharing a room when the state changes", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  assert.deepEqual(ask(h, ann!, { type: "away", text: "lunch" }, 3), { type: "ok", re: 1, ts: 3 });
  assert.deepEqual(h.read(bob!), [{ type: "away", name: "ann", text: "lunch", ts: 3 }]);
  ask(h, ann!, { type: "away", text: "lunch" });
  assert.deepEqual(h.read(bob!), [], "away already with that text");
  ask(h, ann!, { type: "away", text: "" }, 6);
  assert.deepEqual(h.read(bob!), [{ type: "away", name: "ann", ts: 6 }], "back");
  ask(h, ann!, { type: "away" });
  assert.deepEqual(h.read(bob!), [], "back already");
});

Deno.test("hub away refuses text over the limit or with control characters", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  assert.equal(ask(h, ann!, { type: "away", text: "x".repeat(MAX_AWAY_CHARS) }).type, "ok");
  h.read(bob!);
  const long = ask(h, ann!, { type: "away", text: "y".repeat(MAX_AWAY_CHARS + 1) });
  assert.equal(long.code, "AWAY_INVALID");
  assert.equal(ask(h, ann!, { type: "away", text: "a\nb" }).code, "AWAY_INVALID");
  assert.equal(ask(h, ann!, { type: "away", text: 7 }).code, "BAD_REQUEST");
  assert.deepEqual(h.read(bob!), []);
});

Deno.test("hub away is not sent to a version 1 client", () => {
  const h = new HubHarness();
  const [old] = loginAll(h, ["old"], 1);
  const [ann] = loginAll(h, ["ann"]);
  h.read(old!);
  ask(h, ann!, { type: "away", text: "lunch" });
  assert.deepEqual(h.read(old!), []);
});

Deno.test("hub msg to an away user says so in its ok", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  ask(h, ann!, { type: "away", text: "lunch" });
  h.read(bob!);
  const ok = ask(h, bob!, { type: "msg", to: "ann", text: "hi" }, 2);
  assert.deepEqual(ok, { type: "ok", re: 1, to: "ann", away: "lunch", ts: 2, id: 1 });
});

Deno.test("hub whois tells since, idle time since the user spoke, rooms and away text", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  ask(h, ann!, { type: "join", room: "#dev" }, 100);
  ask(h, ann!, { type: "say", text: "hi" }, 1000);
  ask(h, ann!, { type: "away", text: "lunch" }, 2000);
  h.read(bob!);
  assert.deepEqual(ask(h, bob!, { type: "whois", name: "ANN" }, 5000), {
    type: "whois",
    re: 1,
    name: "ann",
    since: 0,
    idleMs: 4000,
    rooms: ["#lobby", "#dev"],
    away: "lunch",
  });
  ask(h, ann!, { type: "msg", to: "bob", text: "back" }, 6000);
  assert.equal(ask(h, bob!, { type: "whois", name: "ann" }, 6500).idleMs, 500, "msg counts");
});

Deno.test("hub whois gives the idle time in whole ms on a clock with fractions", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  ask(h, ann!, { type: "say", text: "hi" }, 10.25);
  assert.equal(ask(h, bob!, { type: "whois", name: "ann" }, 1010.75).idleMs, 1000);
});

Deno.test("hub whois of nobody online is NO_SUCH_USER, and needs a name", () => {
  const h = new HubHarness();
  const [ann] = loginAll(h, ["ann"]);
  assert.equal(ask(h, ann!, { type: "whois", name: "zed" }).code, "NO_SUCH_USER");
  assert.equal(ask(h, ann!, { type: "whois" }).code, "BAD_REQUEST");
});

Deno.test("hub quit with a goodbye shows it in every leave", () => {
  const h = new HubHarness();
  const [ann, bob] = loginAll(h, ["ann", "bob"]);
  const [old] = loginAll(h, ["old"], 1);
  ask(h, ann!, { type: "join", room: "#dev" });
  ask(h, bob!, { type: "join", room: "#dev" });
  h.read(ann!);
  h.read(old!);
  h.send(ann!, { type: "quit", text: "see you" }, 9);
  assert.deepEqual(h.read(bob!), [
    { type: "leave", name: "ann", room: "#lobby", reason: "quit", text: "see you", ts: 9 },
    { type: "leave", name: "ann", room: "#dev", reason: "quit", text: "see you", ts: 9 },
  ]);
  assert.deepEqual(h.read(old!), [{
    type: "leave",
    name: "ann",
    reason: "quit",
    text: "see you",
    ts: 9,
  }]);
});

Deno.test("hub quit with a goodbye breaking the rule still quits, without it", () => {
  const h = new HubHarness();
  const [ann, bob, cy] = loginAll(h, ["ann", "bob", "cy"]);
  h.send(ann!, { type: "quit", text: "x".repeat(MAX_QUIT_CHARS + 1) }, 9);
  assert.equal(h.readOne(ann!).type, "bye");
  assert.deepEqual(h.read(bob!), [
    { type: "leave", name: "ann", room: "#lobby", reason: "quit", ts: 9 },
  ]);
  h.send(cy!, { type: "quit", text: "a\u001bb" }, 9);
  assert.equal(h.read(bob!)[0]?.text, undefined);
});

Deno.test("hub nick and away answer the user with the reply alone, no event of its own", () => {
  const h = new HubHarness();
  for (const rooms of [[], ["#dev"]]) {
    const [ann] = loginAll(h, [`ann${rooms.length}`, `bob${rooms.length}`]);
    for (const room of rooms) ask(h, ann!, { type: "join", room });
    h.send(ann!, { type: "nick", id: 1, name: `zed${rooms.length}` }, 9);
    assert.deepEqual(h.read(ann!).map((line) => line.type), ["ok"], `in ${rooms.length + 1}`);
    h.send(ann!, { type: "away", id: 2, text: "lunch" }, 9);
    assert.deepEqual(h.read(ann!).map((line) => line.type), ["ok"]);
  }
});
