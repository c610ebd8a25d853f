import assert from "node:assert/strict";
import { HubHarness, type Line, ofType } from "./_hub_harness.ts";
import type { ConnId } from "../../lib/chat/hub_types.ts";
import {
  JOIN_RATE_BURST,
  MAX_LINE_BYTES,
  MAX_PROTOCOL_ERRORS,
  MAX_ROOMS_PER_USER,
  MAX_TOPIC_CHARS,
  MAX_WELCOME_NAMES,
} from "../../lib/chat/limits.ts";

/** Logs in speaking protocol 2 (rooms), and drains everyone's output. */
function loginRooms(h: HubHarness, names: readonly string[], now = 0): ConnId[] {
  const conns = names.map((name) => {
    const conn = h.connect(now);
    h.read(conn);
    h.send(conn, { type: "login", name, protocol: 2 }, now);
    assert.equal(h.readOne(conn).type, "welcome");
    return conn;
  });
  for (const conn of conns) h.read(conn);
  h.takeActions();
  return conns;
}

function join(h: HubHarness, conn: ConnId, room: string, now = 1): Line {
  h.send(conn, { type: "join", id: `j${room}`, room }, now);
  return h.readOne(conn);
}

Deno.test("hub join answers joined with the room, its topic and members, and tells the room", () => {
  const h = new HubHarness();
  const [ann, bob, cy] = loginRooms(h, ["ann", "bob", "cy"]);
  join(h, ann!, "#dev");
  assert.deepEqual(h.read(bob!), [], "not in #dev: told nothing");
  assert.deepEqual(join(h, bob!, "#dev", 7), {
    type: "joined",
    re: "j#dev",
    room: "#dev",
    topic: "",
    members: ["ann", "bob"],
    memberCount: 2,
    ts: 7,
  });
  assert.deepEqual(h.read(ann!), [{ type: "join", name: "bob", room: "#dev", ts: 7 }]);
  assert.deepEqual(h.read(cy!), []);
});

Deno.test("hub join finds a room ignoring case and names it as first spelt", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  join(h, ann!, "#Dev");
  const joined = join(h, bob!, "#DEV");
  assert.equal(joined.room, "#Dev");
  assert.equal(joined.memberCount, 2);
});

Deno.test("hub join of a room one is in answers joined again and tells nobody", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  join(h, ann!, "#dev");
  join(h, bob!, "#dev");
  h.read(ann!);
  assert.equal(join(h, bob!, "#dev").type, "joined");
  assert.deepEqual(h.read(ann!), []);
});

Deno.test("hub say with a room reaches that room's other members only, marked with it", () => {
  const h = new HubHarness();
  const [ann, bob, cy] = loginRooms(h, ["ann", "bob", "cy"]);
  join(h, ann!, "#dev");
  join(h, bob!, "#dev");
  h.read(ann!);
  h.send(ann!, { type: "say", id: 3, room: "#DEV", text: "build is green" }, 9);
  assert.deepEqual(h.read(ann!), [{ type: "ok", re: 3, ts: 9, id: 1 }]);
  assert.deepEqual(h.read(bob!), [
    { type: "message", from: "ann", text: "build is green", room: "#dev", id: 1, ts: 9 },
  ]);
  assert.deepEqual(h.read(cy!), []);
});

Deno.test("hub say without a room goes to #lobby, which everyone joined at login", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  h.send(ann!, { type: "say", text: "hi", action: true }, 4);
  assert.deepEqual(h.read(bob!), [
    { type: "message", from: "ann", text: "hi", action: true, room: "#lobby", id: 1, ts: 4 },
  ]);
});

Deno.test("hub login tells #lobby's members that the newcomer joined it", () => {
  const h = new HubHarness();
  const [ann] = loginRooms(h, ["ann"]);
  loginRooms(h, ["bob"], 5);
  assert.deepEqual(h.read(ann!), [{ type: "join", name: "bob", room: "#lobby", ts: 5 }]);
});

Deno.test("hub say to a room one is not in gets NOT_IN_ROOM and reaches nobody", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  join(h, bob!, "#dev");
  h.send(ann!, { type: "say", id: 1, room: "#dev", text: "let me in" }, 2);
  assert.equal(h.readOne(ann!).code, "NOT_IN_ROOM");
  assert.deepEqual(h.read(bob!), []);
  h.send(ann!, { type: "part", room: "#lobby" }, 3);
  h.read(ann!);
  h.send(ann!, { type: "say", id: 2, text: "lobby?" }, 4);
  assert.equal(h.readOne(ann!).code, "NOT_IN_ROOM", "parted #lobby: a say without room too");
});

Deno.test("hub part answers parted, tells the room with reason part, and drops an empty room", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  join(h, ann!, "#dev");
  join(h, bob!, "#dev");
  h.read(ann!);
  h.send(bob!, { type: "part", id: 5, room: "#Dev" }, 6);
  assert.deepEqual(h.read(bob!), [{ type: "parted", re: 5, room: "#dev", ts: 6 }]);
  assert.deepEqual(h.read(ann!), [{
    type: "leave",
    name: "bob",
    room: "#dev",
    reason: "part",
    ts: 6,
  }]);
  h.send(ann!, { type: "part", room: "#dev" }, 7);
  h.read(ann!);
  h.send(ann!, { type: "rooms", id: 8 }, 8);
  assert.deepEqual(h.readOne(ann!).rooms, [{ name: "#lobby", members: 2, topic: "" }]);
});

Deno.test("hub part of a room one is not in gets NOT_IN_ROOM", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  join(h, bob!, "#dev");
  h.send(ann!, { type: "part", id: 1, room: "#dev" }, 2);
  assert.equal(h.readOne(ann!).code, "NOT_IN_ROOM");
  h.send(ann!, { type: "part", id: 2, room: "#nowhere" }, 2);
  assert.equal(h.readOne(ann!).code, "NOT_IN_ROOM");
});

Deno.test("hub rooms lists each room's name, member count and topic", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  join(h, ann!, "#dev");
  join(h, bob!, "#dev");
  join(h, bob!, "#ops");
  h.send(bob!, { type: "topic", room: "#ops", topic: "Pager duty" }, 2);
  h.read(bob!);
  h.send(ann!, { type: "rooms", id: "r" }, 3);
  assert.deepEqual(h.read(ann!).filter((l) => l.type === "rooms"), [{
    type: "rooms",
    re: "r",
    rooms: [
      { name: "#lobby", members: 2, topic: "" },
      { name: "#dev", members: 2, topic: "" },
      { name: "#ops", members: 1, topic: "Pager duty" },
    ],
  }]);
});

Deno.test("hub rooms pages a list too long for one line, each page within MAX_LINE_BYTES", () => {
  const h = new HubHarness({ rate: null });
  const names = Array.from({ length: 12 }, (_, i) => `user${i}`);
  const conns = loginRooms(h, names);
  const topic = "t".repeat(MAX_TOPIC_CHARS);
  let made = 0;
  for (const [u, conn] of conns.entries()) {
    for (let r = 0; r < MAX_ROOMS_PER_USER - 1; r++) {
      const room = `#${"r".repeat(24)}-${u}-${r}`;
      assert.equal(join(h, conn, room).type, "joined");
      h.send(conn, { type: "topic", room, topic }, 1);
      h.read(conn);
      made++;
    }
  }
  h.send(conns[0]!, { type: "rooms", id: 1 }, 2);
  const bytes = h.hub.takeOutput(conns[0]!)!;
  const lines = new TextDecoder().decode(bytes).trimEnd().split("\n");
  assert.ok(lines.length > 1, "paged");
  for (const line of lines) assert.ok(new TextEncoder().encode(line).length <= MAX_LINE_BYTES);
  const pages = lines.map((line) => JSON.parse(line));
  assert.deepEqual(pages.map((p) => p.more === true), lines.map((_, i) => i < lines.length - 1));
  assert.equal(pages.flatMap((p) => p.rooms).length, made + 1);
});

Deno.test("hub topic sets a room's topic, tells the other members, and answers the setter", () => {
  const h = new HubHarness();
  const [ann, bob, cy] = loginRooms(h, ["ann", "bob", "cy"]);
  join(h, ann!, "#dev");
  join(h, bob!, "#dev");
  h.read(ann!);
  h.send(ann!, { type: "topic", id: 2, room: "#dev", topic: "Release Friday" }, 11);
  assert.deepEqual(h.read(ann!), [
    { type: "topic", re: 2, room: "#dev", topic: "Release Friday", by: "ann", ts: 11 },
  ]);
  assert.deepEqual(h.read(bob!), [
    { type: "topic", room: "#dev", topic: "Release Friday", by: "ann", ts: 11 },
  ]);
  assert.deepEqual(h.read(cy!), []);
  assert.equal(join(h, cy!, "#dev").topic, "Release Friday", "a newcomer is told the topic");
});

Deno.test("hub topic without text reads it, for members and others alike", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  join(h, ann!, "#dev");
  h.send(bob!, { type: "topic", id: 1, room: "#DEV" }, 2);
  assert.deepEqual(h.readOne(bob!), { type: "topic", re: 1, room: "#dev", topic: "" });
  h.send(ann!, { type: "topic", room: "#dev", topic: "Hi" }, 3);
  h.read(ann!);
  h.send(bob!, { type: "topic", id: 2, room: "#dev" }, 4);
  assert.deepEqual(h.readOne(bob!), {
    type: "topic",
    re: 2,
    room: "#dev",
    topic: "Hi",
    by: "ann",
    ts: 3,
  });
  h.send(ann!, { type: "topic", room: "#dev", topic: "" }, 5);
  assert.deepEqual(h.readOne(ann!), { type: "topic", room: "#dev", topic: "" }, "cleared");
});

Deno.test("hub topic refuses an overlong or multi-line topic, a non-member and no room", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  join(h, ann!, "#dev");
  const ask = (conn: ConnId, fields: object) => {
    h.send(conn, { type: "topic", id: 1, ...fields }, 2);
    return h.readOne(conn).code;
  };
  assert.equal(
    ask(ann!, { room: "#dev", topic: "x".repeat(MAX_TOPIC_CHARS + 1) }),
    "TOPIC_INVALID",
  );
  assert.equal(ask(ann!, { room: "#dev", topic: "a\nfake line" }), "TOPIC_INVALID");
  assert.equal(ask(bob!, { room: "#dev", topic: "mine now" }), "NOT_IN_ROOM");
  assert.equal(ask(bob!, { room: "#nowhere" }), "NO_SUCH_ROOM");
  assert.equal(ask(bob!, { room: "#dev", topic: 7 }), "BAD_REQUEST");
  h.send(bob!, { type: "topic", id: 2, room: "#dev" }, 3);
  assert.equal(h.readOne(bob!).topic, "", "nothing was set");
});

Deno.test("hub names lists a room's members in the order they joined", () => {
  const h = new HubHarness();
  const [ann, bob, cy] = loginRooms(h, ["ann", "bob", "cy"]);
  join(h, bob!, "#dev");
  join(h, ann!, "#dev");
  h.send(cy!, { type: "names", id: 4, room: "#dev" }, 2);
  assert.deepEqual(h.readOne(cy!), { type: "names", re: 4, room: "#dev", names: ["bob", "ann"] });
  h.send(cy!, { type: "names", id: 5, room: "#gone" }, 2);
  assert.equal(h.readOne(cy!).code, "NO_SUCH_ROOM");
});

Deno.test("hub refuses room names that break the rules with ROOM_INVALID, not as bad lines", () => {
  const h = new HubHarness({ rate: null });
  const [ann] = loginRooms(h, ["ann"]);
  const bad = ["dev", "#", `#${"x".repeat(33)}`, "#a b", "#dev\u202e", "#\u0430dmin"];
  const requests = bad.flatMap((room) => [
    { type: "join", room },
    { type: "part", room },
    { type: "say", room, text: "hi" },
    { type: "topic", room },
    { type: "names", room },
  ]);
  assert.ok(requests.length > MAX_PROTOCOL_ERRORS);
  for (const request of requests) {
    h.send(ann!, { id: 1, ...request }, 2 + requests.indexOf(request) * 1000);
    assert.equal(h.readOne(ann!).code, "ROOM_INVALID", JSON.stringify(request));
  }
  assert.equal(h.hub.connectionCount, 1, "still connected");
});

Deno.test("hub refuses a room field that is not a string with BAD_REQUEST", () => {
  const h = new HubHarness();
  const [ann] = loginRooms(h, ["ann"]);
  for (
    const request of [{ type: "join" }, { type: "join", room: 5 }, {
      type: "say",
      text: "x",
      room: [],
    }]
  ) {
    h.send(ann!, { id: 1, ...request }, 2);
    assert.equal(h.readOne(ann!).code, "BAD_REQUEST", JSON.stringify(request));
  }
});

Deno.test("hub rate-limits joins with their own bucket, even without a chat rate limit", () => {
  const h = new HubHarness({ rate: null });
  const [ann] = loginRooms(h, ["ann"]);
  for (let i = 0; i < JOIN_RATE_BURST; i++) {
    h.send(ann!, { type: "join", room: "#dev" }, 10);
    assert.equal(h.readOne(ann!).type, "joined", `join ${i}`);
  }
  h.send(ann!, { type: "join", id: 9, room: "#dev" }, 10);
  const refused = h.readOne(ann!);
  assert.equal(refused.code, "RATE_LIMITED");
  assert.equal(refused.retryMs, 1000);
  h.send(ann!, { type: "say", room: "#dev", text: "still here" }, 10);
  assert.equal(h.readOne(ann!).type, "ok", "only joins are limited");
  h.send(ann!, { type: "join", room: "#dev" }, 10 + 1000);
  assert.equal(h.readOne(ann!).type, "joined");
});

Deno.test("hub refuses a join past MAX_ROOMS_PER_USER rooms with TOO_MANY_ROOMS", () => {
  const h = new HubHarness();
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  for (let i = 1; i < MAX_ROOMS_PER_USER; i++) assert.equal(join(h, ann!, `#r${i}`).type, "joined");
  const refused = join(h, ann!, "#onemore");
  assert.equal(refused.code, "TOO_MANY_ROOMS");
  h.send(bob!, { type: "names", id: 1, room: "#onemore" }, 2);
  assert.equal(h.readOne(bob!).code, "NO_SUCH_ROOM", "the room was not made");
});

Deno.test("hub refuses a new room past maxRooms with ROOMS_FULL, but always makes #lobby", () => {
  const h = new HubHarness({ maxRooms: 3 });
  const [ann, bob] = loginRooms(h, ["ann", "bob"]);
  join(h, ann!, "#a");
  join(h, ann!, "#b");
  assert.equal(join(h, bob!, "#c").code, "ROOMS_FULL");
  assert.equal(join(h, bob!, "#a").type, "joined", "an existing room is no new room");
  for (const conn of [ann!, bob!]) {
    h.send(conn, { type: "part", room: "#lobby" }, 2);
    h.read(conn);
  }
  join(h, bob!, "#b");
  h.read(ann!);
  assert.equal(join(h, ann!, "#extra").type, "joined", "#lobby is gone: room for one more");
  const [cy] = loginRooms(h, ["cy"], 3);
  h.send(cy!, { type: "say", id: 1, text: "anyone?" }, 4);
  assert.equal(h.readOne(cy!).type, "ok", "cy is in #lobby, made again past the limit");
});

Deno.test("hub tells every room of a user who disconnects, with the reason", () => {
  const h = new HubHarness();
  const [ann, bob, cy] = loginRooms(h, ["ann", "bob", "cy"]);
  join(h, ann!, "#dev");
  join(h, bob!, "#dev");
  h.read(ann!);
  h.disconnect(bob!, 20);
  const leaves = ofType(h.read(ann!), "leave");
  assert.deepEqual(leaves, [
    { type: "leave", name: "bob", room: "#lobby", reason: "disconnect", ts: 20 },
    { type: "leave", name: "bob", room: "#dev", reason: "disconnect", ts: 20 },
  ]);
  assert.deepEqual(ofType(h.read(cy!), "leave").map((l) => l.room), ["#lobby"]);
});

Deno.test("hub serves a protocol 1 client in #lobby with the lines version 1 had", () => {
  const h = new HubHarness();
  const old = h.login("old", 0); // no protocol field: version 1
  h.read(old);
  const [ann] = loginRooms(h, ["ann"], 1);
  assert.deepEqual(h.read(old), [{ type: "join", name: "ann", ts: 1 }]);
  h.send(ann!, { type: "say", text: "hello" }, 2);
  assert.deepEqual(h.read(old), [{ type: "message", from: "ann", text: "hello", ts: 2 }]);
  h.read(ann!);
  join(h, ann!, "#dev");
  h.send(ann!, { type: "say", room: "#dev", text: "elsewhere" }, 3);
  h.send(ann!, { type: "topic", room: "#lobby", topic: "Welcome" }, 4);
  assert.deepEqual(h.read(old), [], "neither other rooms nor topics");
  h.send(ann!, { type: "part", room: "#lobby" }, 5);
  assert.deepEqual(h.read(old), [{ type: "leave", name: "ann", reason: "quit", ts: 5 }]);
  h.send(old, { type: "say", text: "bye" }, 6);
  assert.equal(h.readOne(old).type, "ok");
});

Deno.test("hub joined lists at most MAX_WELCOME_NAMES members, with memberCount the total", () => {
  const h = new HubHarness();
  const names = Array.from({ length: MAX_WELCOME_NAMES + 5 }, (_, i) => `u${i}`);
  const conns = loginRooms(h, names);
  const joined = join(h, conns.at(-1)!, "#lobby");
  assert.equal(joined.memberCount, MAX_WELCOME_NAMES + 5);
  assert.deepEqual(joined.members, names.slice(0, MAX_WELCOME_NAMES));
});
