import assert from "node:assert/strict";
import { HubHarness, ofType } from "./_hub_harness.ts";

Deno.test("hub greets a new connection with hello carrying its limits", () => {
  const h = new HubHarness();
  const conn = h.connect(0);
  assert.deepEqual(h.read(conn), [{
    type: "hello",
    protocol: 5,
    server: "deno-chat/0.1.0",
    maxLineBytes: 65_536,
    heartbeatMs: 15_000,
    rate: { perSecond: 20, burst: 40 },
  }]);
  assert.deepEqual(h.takeActions(), [{ kind: "write", conn }]);
});

Deno.test("hub's hello reflects the options it was given", () => {
  const h = new HubHarness({
    heartbeatMs: 2000,
    rate: { perSecond: 5, burst: 7 },
    serverName: "test/9",
  });
  const hello = h.readOne(h.connect(0));
  assert.equal(hello.server, "test/9");
  assert.equal(hello.heartbeatMs, 2000);
  assert.deepEqual(hello.rate, { perSecond: 5, burst: 7 });
});

Deno.test("hub's welcome names at most the first 100 users and counts them all", () => {
  const h = new HubHarness({ rate: null });
  h.loginAll(Array.from({ length: 150 }, (_, i) => `user${i}`), 0);
  const late = h.connect(1);
  h.read(late);
  h.send(late, { type: "login", id: 1, name: "late" }, 2);
  const [welcome] = h.read(late);
  assert.equal(welcome?.userCount, 151);
  assert.deepEqual(welcome?.users, Array.from({ length: 100 }, (_, i) => `user${i}`));
});

Deno.test("hub welcomes a login with re, name, users and ts, and tells the others", () => {
  const h = new HubHarness();
  const [alice] = h.loginAll(["alice"], 0);
  const bob = h.connect(100);
  h.read(bob);
  h.send(bob, { type: "login", id: 1, name: "bob", protocol: 1 }, 250);
  assert.deepEqual(h.read(bob), [{
    type: "welcome",
    re: 1,
    name: "bob",
    users: ["alice", "bob"],
    userCount: 2,
    ts: 250,
  }]);
  assert.deepEqual(h.read(alice!), [{ type: "join", name: "bob", ts: 250 }]);
  assert.deepEqual(h.hub.userNames, ["alice", "bob"]);
});

Deno.test("hub tells every user present of a join and of a leave, but not the one moving", () => {
  const h = new HubHarness();
  const present = h.loginAll(["ann", "bob", "cy", "dee"], 0);
  const eve = h.login("eve", 10);
  for (const conn of present) {
    assert.deepEqual(h.read(conn), [{ type: "join", name: "eve", ts: 10 }], `conn ${conn}`);
  }
  h.send(eve, { type: "quit" }, 20);
  assert.deepEqual(h.read(eve), [{ type: "bye" }]);
  for (const conn of present) {
    assert.deepEqual(h.read(conn), [{ type: "leave", name: "eve", reason: "quit", ts: 20 }]);
  }
});

Deno.test("hub refuses a name taken ignoring case, and the same connection may retry", () => {
  const h = new HubHarness();
  const [alice] = h.loginAll(["Alice"], 0);
  const conn = h.connect(0);
  h.read(conn);
  for (const name of ["alice", "ALICE", "Alice"]) {
    h.send(conn, { type: "login", id: name, name }, 1);
    const error = h.readOne(conn);
    assert.equal(error.type, "error");
    assert.equal(error.code, "NAME_TAKEN");
    assert.equal(error.re, name);
  }
  assert.deepEqual(h.read(alice!), [], "a refused login tells nobody");
  h.send(conn, { type: "login", id: 2, name: "alice2" }, 2);
  assert.equal(h.readOne(conn).type, "welcome");
  assert.deepEqual(h.read(alice!), [{ type: "join", name: "alice2", ts: 2 }]);
});

Deno.test("hub refuses invalid and reserved names, then accepts a retry on the same conn", () => {
  const h = new HubHarness();
  const conn = h.connect(0);
  h.read(conn);
  const refusals: Array<[string, string]> = [
    ["", "NAME_INVALID"],
    ["no spaces", "NAME_INVALID"],
    ["x".repeat(33), "NAME_INVALID"],
    ["...", "NAME_INVALID"],
    ["ADMIN", "NAME_RESERVED"],
    ["Server", "NAME_RESERVED"],
    ["everyone", "NAME_RESERVED"],
  ];
  for (const [name, code] of refusals) {
    h.send(conn, { type: "login", id: 5, name }, 1);
    assert.deepEqual(
      [h.readOne(conn)].map((l) => [l.type, l.code, l.re]),
      [["error", code, 5]],
      name,
    );
  }
  h.send(conn, { type: "login", id: 6, name: "ann" }, 2);
  const welcome = h.readOne(conn);
  assert.equal(welcome.type, "welcome");
  assert.equal(welcome.re, 6);
  assert.equal(h.hub.connectionCount, 1);
});

Deno.test("hub refuses a login speaking another protocol version, and a retry succeeds", () => {
  const h = new HubHarness();
  const conn = h.connect(0);
  h.read(conn);
  h.send(conn, { type: "login", id: 0, name: "ann", protocol: 0 }, 1);
  assert.equal(h.readOne(conn).code, "PROTOCOL_VERSION", "older than version 1");
  h.send(conn, { type: "login", id: 1, name: "ann", protocol: 6 }, 1);
  const error = h.readOne(conn);
  assert.equal(error.code, "PROTOCOL_VERSION");
  assert.equal(error.re, 1);
  assert.deepEqual(h.hub.userNames, []);
  h.send(conn, { type: "login", id: 2, name: "ann", protocol: 1 }, 2);
  assert.equal(h.readOne(conn).type, "welcome");
});

Deno.test("hub refuses a second login on a logged-in connection with ALREADY_LOGGED_IN", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "login", id: 3, name: "ann2" }, 1);
  const error = h.readOne(ann!);
  assert.equal(error.code, "ALREADY_LOGGED_IN");
  assert.equal(error.re, 3);
  assert.deepEqual(h.hub.userNames, ["ann"]);
});

Deno.test("hub answers requests before login with NOT_LOGGED_IN, but ping and quit work", () => {
  const h = new HubHarness();
  const [watcher] = h.loginAll(["watcher"], 0);
  const conn = h.connect(0);
  h.read(conn);
  const requests = [
    { type: "say", id: 1, text: "hi" },
    { type: "msg", id: 2, to: "watcher", text: "hi" },
    { type: "users", id: 3 },
    { type: "files", id: 4 },
    { type: "get", id: 5, name: "a.txt" },
    { type: "put", id: 6, name: "a.txt", size: 1, sha256: "0".repeat(64) },
  ];
  for (const request of requests) {
    h.send(conn, request, 1);
    const error = h.readOne(conn);
    assert.equal(error.code, "NOT_LOGGED_IN", request.type);
    assert.equal(error.re, request.id);
  }
  assert.deepEqual(h.read(watcher!), [], "nothing reached the room");
  const kinds = h.takeActions().map((a) => a.kind);
  assert.ok(kinds.every((kind) => kind === "write"), `no requests reached the driver: ${kinds}`);
  h.send(conn, { type: "ping", id: 7 }, 2);
  assert.deepEqual(h.read(conn), [{ type: "pong", re: 7 }]);
  h.send(conn, { type: "quit", id: 8 }, 3);
  assert.deepEqual(h.read(conn), [{ type: "bye", re: 8 }]);
  assert.deepEqual(h.takeActionsOf("close"), [{ kind: "close", conn, code: "QUIT" }]);
  assert.deepEqual(h.read(watcher!), [], "an anonymous quit is not a leave");
});

Deno.test("hub answers quit with bye, closes, and tells the others the user left", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.send(ann!, { type: "quit", id: "q" }, 500);
  assert.deepEqual(h.read(ann!), [{ type: "bye", re: "q" }]);
  assert.deepEqual(h.read(bob!), [{ type: "leave", name: "ann", reason: "quit", ts: 500 }]);
  const actions = h.takeActions().filter((a) => a.kind !== "write");
  assert.deepEqual(actions, [
    { kind: "gone", conn: ann, user: "ann" },
    { kind: "close", conn: ann, code: "QUIT" },
  ]);
  assert.deepEqual(h.hub.userNames, ["bob"]);
  assert.equal(h.hub.connectionCount, 1);
});

Deno.test("hub ignores lines after quit, even in the same read", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.send(ann!, '{"type":"quit"}\n{"type":"say","text":"ghost"}\n', 1);
  assert.deepEqual(h.read(ann!), [{ type: "bye" }]);
  assert.deepEqual(ofType(h.read(bob!), "message"), []);
  h.send(ann!, { type: "say", text: "later" }, 2);
  assert.deepEqual(h.read(bob!), []);
});

Deno.test("hub frees a name when its user quits, so another may take it", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "quit" }, 1);
  h.hub.closed(ann!);
  h.login("ANN", 2);
  assert.deepEqual(h.hub.userNames, ["ANN"]);
});

Deno.test("hub tells the others a dropped connection left with reason disconnect", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.disconnect(ann!, 700);
  assert.deepEqual(h.read(bob!), [{ type: "leave", name: "ann", reason: "disconnect", ts: 700 }]);
  const actions = h.takeActions().filter((a) => a.kind !== "write");
  assert.deepEqual(actions, [{ kind: "gone", conn: ann, user: "ann" }], "no close: it is gone");
  assert.deepEqual(h.hub.userNames, ["bob"]);
  h.disconnect(ann!, 800);
  h.disconnect(12345, 800);
  assert.deepEqual(h.read(bob!), [], "a second disconnect tells nobody again");
});

Deno.test("hub reports no departure for a connection that never logged in", () => {
  const h = new HubHarness();
  const [bob] = h.loginAll(["bob"], 0);
  const anon = h.connect(0);
  h.disconnect(anon, 1);
  assert.deepEqual(h.read(bob!), []);
  assert.deepEqual(h.takeActionsOf("gone"), []);
  assert.equal(h.hub.connectionCount, 1);
});

Deno.test("hub lists the users online in the order they joined, with re", () => {
  const h = new HubHarness();
  const ann = h.login("ann", 100);
  h.login("Bob", 200);
  h.login("cy", 300);
  h.read(ann);
  h.send(ann, { type: "users", id: 4 }, 400);
  assert.deepEqual(h.read(ann), [{
    type: "users",
    re: 4,
    users: [
      { name: "ann", since: 100 },
      { name: "Bob", since: 200 },
      { name: "cy", since: 300 },
    ],
  }]);
});

Deno.test("hub refuses a connection past maxClients with SERVER_FULL and closes it", () => {
  const h = new HubHarness({ maxClients: 2 });
  const first = h.connect(0);
  h.connect(0);
  h.takeActions();
  const third = h.connect(0);
  assert.deepEqual(h.read(third).map((l) => [l.type, l.code]), [["error", "SERVER_FULL"]]);
  assert.deepEqual(h.takeActionsOf("close"), [{ kind: "close", conn: third, code: "SERVER_FULL" }]);
  assert.equal(h.hub.connectionCount, 2);
  h.disconnect(first, 1);
  const fourth = h.connect(2);
  assert.equal(h.readOne(fourth).type, "hello", "a freed place is taken again");
});

Deno.test("hub ignores bytes for a connection it does not know", () => {
  const h = new HubHarness();
  h.send(99, { type: "login", name: "ghost" }, 0);
  assert.deepEqual(h.takeActions(), []);
  assert.equal(h.hub.takeOutput(99), null);
  assert.deepEqual(h.hub.userNames, []);
});
