import assert from "node:assert/strict";
import { HubHarness } from "./_hub_harness.ts";
import { MAX_PROTOCOL_ERRORS, MAX_TEXT_CHARS } from "../../lib/chat/limits.ts";

const NAMES = ["ann", "bob", "cy", "dee", "eve", "fay", "gus", "hal"];

Deno.test("hub broadcasts a say to every other user, and the sender gets ok with re", () => {
  const h = new HubHarness();
  const conns = h.loginAll(NAMES, 0);
  const [sender, ...others] = conns;
  h.send(sender!, { type: "say", id: 11, text: "hello all" }, 1234);
  assert.deepEqual(h.read(sender!), [{ type: "ok", re: 11, ts: 1234, id: 1 }]);
  for (const conn of others) {
    assert.deepEqual(h.read(conn), [
      { type: "message", from: "ann", text: "hello all", ts: 1234 },
    ], `conn ${conn}`);
  }
});

Deno.test("hub delivers a say only to logged-in users", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  const anon = h.connect(0);
  h.read(anon);
  h.send(ann!, { type: "say", text: "members only" }, 1);
  assert.equal(h.read(bob!).length, 1);
  assert.deepEqual(h.read(anon), []);
});

Deno.test("hub keeps the order of messages from one sender", () => {
  const h = new HubHarness({ rate: null });
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ type: "say", text: `${i}` }));
  h.send(ann!, lines.join("\n") + "\n", 1);
  const texts = h.read(bob!).map((line) => line.text);
  assert.deepEqual(texts, Array.from({ length: 50 }, (_, i) => `${i}`));
});

Deno.test("hub signs messages with the sender's login name, whatever fields it adds", () => {
  const h = new HubHarness();
  const [ann, bob, cy] = h.loginAll(["ann", "bob", "cy"], 0);
  h.send(ann!, { type: "say", text: "a", from: "bob", name: "bob", user: "bob", ts: 1 }, 5);
  const [said] = h.read(cy!);
  assert.deepEqual(said, { type: "message", from: "ann", text: "a", ts: 5 });
  h.send(ann!, { type: "msg", to: "cy", text: "b", from: "bob", to_name: "x" }, 6);
  assert.deepEqual(h.read(cy!), [{
    type: "message",
    from: "ann",
    to: "cy",
    text: "b",
    id: 2,
    ts: 6,
  }]);
  assert.deepEqual(h.read(bob!).map((l) => l.from), ["ann"], "bob saw only the broadcast");
});

Deno.test("hub delivers a private message only to its target and answers ok with re", () => {
  const h = new HubHarness();
  const [ann, bob, cy, dee] = h.loginAll(["ann", "bob", "cy", "dee"], 0);
  h.send(ann!, { type: "msg", id: "m1", to: "cy", text: "psst" }, 42);
  assert.deepEqual(h.read(ann!), [{ type: "ok", re: "m1", to: "cy", ts: 42, id: 1 }]);
  assert.deepEqual(h.read(cy!), [{
    type: "message",
    from: "ann",
    to: "cy",
    text: "psst",
    id: 1,
    ts: 42,
  }]);
  assert.deepEqual(h.read(bob!), []);
  assert.deepEqual(h.read(dee!), []);
});

Deno.test("hub finds a private message's target ignoring case, naming it as it logged in", () => {
  const h = new HubHarness();
  const [ann, cy] = h.loginAll(["ann", "CyBorg"], 0);
  h.send(ann!, { type: "msg", id: 3, to: "cyborg", text: "hi" }, 1);
  assert.deepEqual(
    h.read(ann!),
    [{ type: "ok", re: 3, to: "CyBorg", ts: 1, id: 1 }],
    "ok names it too",
  );
  assert.deepEqual(h.read(cy!), [{
    type: "message",
    from: "ann",
    to: "CyBorg",
    text: "hi",
    id: 1,
    ts: 1,
  }]);
});

Deno.test("hub lets a user send a private message to itself", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "msg", id: 1, to: "ann", text: "note" }, 1);
  assert.deepEqual(h.read(ann!), [
    { type: "message", from: "ann", to: "ann", text: "note", id: 1, ts: 1 },
    { type: "ok", re: 1, to: "ann", ts: 1, id: 1 },
  ]);
});

Deno.test("hub answers a private message to an unknown name with NO_SUCH_USER", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.send(ann!, { type: "msg", id: 9, to: "zed", text: "hello?" }, 1);
  const error = h.readOne(ann!);
  assert.equal(error.type, "error");
  assert.equal(error.code, "NO_SUCH_USER");
  assert.equal(error.re, 9);
  assert.deepEqual(h.read(bob!), []);
});

Deno.test("hub answers NO_SUCH_USER for a user who has left", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.disconnect(bob!, 1);
  h.read(ann!);
  h.send(ann!, { type: "msg", to: "bob", text: "still there?" }, 2);
  assert.equal(h.readOne(ann!).code, "NO_SUCH_USER");
});

Deno.test("hub refuses empty and over-long text with TEXT_INVALID and delivers nothing", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  for (const text of ["", "x".repeat(4097)]) {
    h.send(ann!, { type: "say", id: 1, text }, 1);
    h.send(ann!, { type: "msg", id: 2, to: "bob", text }, 1);
    assert.deepEqual(h.read(ann!).map((l) => [l.code, l.re]), [
      ["TEXT_INVALID", 1],
      ["TEXT_INVALID", 2],
    ]);
  }
  assert.deepEqual(h.read(bob!), []);
  h.send(ann!, { type: "say", text: "x".repeat(4096) }, 2);
  assert.equal((h.readOne(bob!).text as string).length, 4096);
});

Deno.test("hub answers bad lines with their error code and re, keeping the connection", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  const cases: Array<[string, string, unknown]> = [
    ["not json\n", "MALFORMED_JSON", undefined],
    ["[1,2]\n", "MALFORMED_JSON", undefined],
    ['{"type":"dance","id":4}\n', "UNKNOWN_COMMAND", 4],
    ['{"type":"say","id":"s"}\n', "BAD_REQUEST", "s"],
    ['{"type":"say","id":-1,"text":"x"}\n', "BAD_REQUEST", undefined],
  ];
  for (const [line, code, re] of cases) {
    h.send(ann!, line, 1);
    const error = h.readOne(ann!);
    assert.deepEqual([error.type, error.code, error.re], ["error", code, re], line);
    assert.equal(typeof error.message, "string");
  }
  h.sendBytes(ann!, Uint8Array.of(0xff, 0x0a), 1);
  assert.equal(h.readOne(ann!).code, "INVALID_UTF8");
  h.send(ann!, "x".repeat(65_537) + "\n", 1);
  assert.equal(h.readOne(ann!).code, "LINE_TOO_LONG");
  h.send(ann!, { type: "ping", id: 1 }, 1);
  assert.deepEqual(h.read(ann!), [{ type: "pong", re: 1 }]);
  assert.equal(h.hub.connectionCount, 1);
});

Deno.test("hub answers ping with pong carrying re, and pong with nothing", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "ping", id: "p" }, 1);
  assert.deepEqual(h.read(ann!), [{ type: "pong", re: "p" }]);
  h.send(ann!, { type: "pong", id: "q" }, 2);
  assert.deepEqual(h.read(ann!), []);
});

Deno.test("hub announces to every logged-in user and nobody else", () => {
  const h = new HubHarness();
  const conns = h.loginAll(["ann", "bob"], 0);
  const anon = h.connect(0);
  h.read(anon);
  h.hub.announce({ type: "files", files: [{ name: "new.txt", size: 3 }] }, 5);
  for (const conn of conns) {
    assert.deepEqual(h.read(conn), [{ type: "files", files: [{ name: "new.txt", size: 3 }] }]);
  }
  assert.deepEqual(h.read(anon), []);
});

Deno.test("hub relays an action (/me) to everyone or to one, flagged as such", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.send(ann!, { type: "say", id: 1, text: "waves", action: true }, 7);
  assert.deepEqual(h.read(bob!), [
    { type: "message", from: "ann", text: "waves", action: true, ts: 7 },
  ]);
  h.send(ann!, { type: "msg", to: "bob", text: "nods", action: true }, 8);
  assert.deepEqual(h.read(bob!), [
    { type: "message", from: "ann", to: "bob", text: "nods", action: true, id: 2, ts: 8 },
  ]);
  h.send(ann!, { type: "say", text: "plain", action: false }, 9);
  assert.deepEqual(h.read(bob!), [{ type: "message", from: "ann", text: "plain", ts: 9 }]);
});

Deno.test("hub refuses an action flag that is not a boolean and delivers nothing", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.read(ann!);
  h.send(ann!, { type: "say", id: 2, text: "waves", action: "yes" }, 7);
  const [reply] = h.read(ann!);
  assert.equal(reply?.type, "error");
  assert.equal(reply?.code, "BAD_REQUEST");
  assert.deepEqual(h.read(bob!), []);
});

Deno.test("hub counts only malformed lines toward TOO_MANY_ERRORS, not refused requests", () => {
  const h = new HubHarness({ rate: { perSecond: 1, burst: 2 * MAX_PROTOCOL_ERRORS } });
  const [ann] = h.loginAll(["ann"], 0);
  // Well-formed requests refused for a reason, each kind twice the limit of bad lines in a row.
  const refusals: Array<[object, string]> = [
    [{ type: "say", text: "" }, "TEXT_INVALID"],
    [{ type: "msg", to: "bob", text: "x".repeat(MAX_TEXT_CHARS + 1) }, "TEXT_INVALID"],
    [{ type: "msg", to: "ghost", text: "x" }, "NO_SUCH_USER"],
    [{ type: "say", text: "x" }, "RATE_LIMITED"],
  ];
  let now = 0;
  for (const [request, code] of refusals) {
    now += 1000 * 2 * MAX_PROTOCOL_ERRORS; // a full bucket for each kind
    // The bucket refusing a say needs emptying first: its tokens go on the first says.
    const spend = code === "RATE_LIMITED" ? 2 * MAX_PROTOCOL_ERRORS : 0;
    for (let i = 0; i < spend + 2 * MAX_PROTOCOL_ERRORS; i++) h.send(ann!, request, now);
    const codes = h.read(ann!).filter((l) => l.type === "error").map((l) => l.code);
    assert.deepEqual(new Set(codes), new Set([code]), code);
    assert.equal(h.hub.connectionCount, 1, `still connected after ${codes.length} ${code}`);
  }
  // Malformed lines still count: ten in a row close the connection.
  for (let i = 0; i < MAX_PROTOCOL_ERRORS; i++) h.send(ann!, "not json\n", now);
  assert.equal(h.read(ann!).at(-1)?.code, "TOO_MANY_ERRORS");
  assert.equal(h.hub.connectionCount, 0);
});

Deno.test("hub spends a rate token on a say whose text it refuses", () => {
  const h = new HubHarness({ rate: { perSecond: 1, burst: 2 } });
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "say", text: "" }, 1);
  h.send(ann!, { type: "say", text: "" }, 1);
  h.send(ann!, { type: "say", text: "" }, 1);
  assert.deepEqual(h.read(ann!).map((l) => l.code), [
    "TEXT_INVALID",
    "TEXT_INVALID",
    "RATE_LIMITED",
  ]);
});
