import assert from "node:assert/strict";
import type { ConnId, HubOptions } from "../../lib/chat/hub_types.ts";
import { encodeLine } from "../../lib/chat/json_line.ts";
import { HubHarness, ofType } from "./_hub_harness.ts";

/** Sends says from `conn` at `now` until one is refused; returns the accepted texts. */
function drainBucket(h: HubHarness, conn: ConnId, now: number): string[] {
  const accepted: string[] = [];
  for (let id = 1; id <= 100; id++) {
    h.send(conn, { type: "say", id, text: `m${id}` }, now);
    const reply = h.readOne(conn);
    if (reply.type !== "ok") {
      assert.deepEqual([reply.code, reply.re], ["RATE_LIMITED", id]);
      return accepted;
    }
    accepted.push(`m${id}`);
  }
  throw new Error("the rate limit never applied");
}

Deno.test("hub refuses a say over the rate with RATE_LIMITED and retryMs, delivering nothing", () => {
  const h = new HubHarness({ rate: { perSecond: 2, burst: 3 } });
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  const accepted = drainBucket(h, ann!, 0);
  assert.ok(accepted.length >= 2 && accepted.length <= 3, `burst of 3: ${accepted}`);
  h.send(ann!, { type: "say", id: "s", text: "refused say" }, 0);
  h.send(ann!, { type: "msg", id: "m", to: "bob", text: "refused msg" }, 0);
  const replies = h.read(ann!);
  assert.deepEqual(replies.map((l) => [l.type, l.code, l.re, l.retryMs]), [
    ["error", "RATE_LIMITED", "s", 500],
    ["error", "RATE_LIMITED", "m", 500],
  ]);
  assert.deepEqual(h.read(bob!).map((l) => l.text), accepted);
});

Deno.test("hub accepts a refused say once the announced retryMs has passed", () => {
  const h = new HubHarness({ rate: { perSecond: 4, burst: 1 } });
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  drainBucket(h, ann!, 0);
  h.read(bob!);
  h.send(ann!, { type: "say", id: 1, text: "early" }, 0);
  const refused = h.readOne(ann!);
  assert.equal(refused.code, "RATE_LIMITED");
  const retryMs = refused.retryMs as number;
  assert.equal(retryMs, 250);
  h.send(ann!, { type: "say", id: 2, text: "still early" }, retryMs - 1);
  assert.equal(h.readOne(ann!).code, "RATE_LIMITED");
  h.send(ann!, { type: "say", id: 3, text: "on time" }, retryMs);
  assert.deepEqual(h.read(ann!), [{ type: "ok", re: 3, ts: retryMs, id: 2 }]);
  assert.deepEqual(h.read(bob!).map((l) => l.text), ["on time"]);
});

Deno.test("hub never rate limits quit or pong", () => {
  const h = new HubHarness({ rate: { perSecond: 1, burst: 1 } });
  const [ann] = h.loginAll(["ann"], 0);
  for (let i = 0; i < 5; i++) h.send(ann!, { type: "pong" }, 0);
  assert.deepEqual(h.read(ann!), []);
  h.send(ann!, { type: "quit", id: 1 }, 0);
  assert.deepEqual(h.read(ann!), [{ type: "bye", re: 1 }]);
});

Deno.test("hub spends rate tokens on requests that do work, never on ping, pong or quit", () => {
  const h = new HubHarness({ rate: { perSecond: 1, burst: 2 } });
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "say", text: "one" }, 0);
  h.send(ann!, { type: "say", text: "two" }, 0);
  h.read(ann!);
  h.send(ann!, { type: "ping", id: 1 }, 0);
  h.send(ann!, { type: "users", id: 2 }, 0);
  const lines = h.read(ann!);
  assert.deepEqual(lines.map((l) => l.type), ["pong", "error"]);
  assert.equal(lines[1]!.code, "RATE_LIMITED");
});

Deno.test("hub with rate null accepts any number of messages", () => {
  const h = new HubHarness({ rate: null });
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  for (let i = 0; i < 500; i++) h.send(ann!, { type: "say", text: `${i}` }, 0);
  assert.equal(ofType(h.read(ann!), "ok").length, 500);
  assert.equal(h.read(bob!).length, 500);
});

Deno.test("hub closes a client after 10 bad lines in a row with TOO_MANY_ERRORS", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  const bad = ["nope", "[]", "42", '{"type":"fly"}', '{"type":"say"}', '{"id":-1}', "{"];
  for (let i = 0; i < 9; i++) h.send(ann!, bad[i % bad.length] + "\n", 1);
  assert.equal(h.read(ann!).length, 9);
  assert.deepEqual(h.takeActionsOf("close"), [], "nine bad lines are tolerated");
  h.sendBytes(ann!, Uint8Array.of(0xc3, 0x28, 0x0a), 2);
  const last = h.read(ann!);
  assert.deepEqual(last.map((l) => l.code), ["INVALID_UTF8", "TOO_MANY_ERRORS"]);
  assert.deepEqual(h.takeActionsOf("close"), [{
    kind: "close",
    conn: ann,
    code: "TOO_MANY_ERRORS",
  }]);
  assert.deepEqual(h.read(bob!), [{ type: "leave", name: "ann", reason: "dropped", ts: 2 }]);
});

Deno.test("hub stops reading a read's remaining lines once it closed for errors", () => {
  const h = new HubHarness();
  const conn = h.connect(0);
  h.read(conn);
  h.send(conn, "bad\n".repeat(15) + '{"type":"ping"}\n', 1);
  const lines = h.read(conn);
  assert.equal(lines.length, 11);
  assert.equal(lines.at(-1)!.code, "TOO_MANY_ERRORS");
  assert.deepEqual(ofType(lines, "pong"), []);
});

Deno.test("hub resets the bad-line count on a good line", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, "bad\n".repeat(9), 1);
  h.send(ann!, { type: "ping" }, 1);
  h.send(ann!, "bad\n".repeat(9), 1);
  assert.deepEqual(h.takeActionsOf("close"), []);
  assert.equal(h.hub.connectionCount, 1);
  h.send(ann!, "bad\n", 1);
  assert.deepEqual(h.takeActionsOf("close"), [{
    kind: "close",
    conn: ann,
    code: "TOO_MANY_ERRORS",
  }]);
});

Deno.test("hub counts an over-long line as one bad line, however many reads it spans", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  const chunk = "x".repeat(10_000);
  for (let i = 0; i < 50; i++) h.send(ann!, chunk, 1);
  h.send(ann!, '\n{"type":"ping","id":1}\n', 1);
  assert.deepEqual(h.read(ann!).map((l) => l.code ?? l.type), ["LINE_TOO_LONG", "pong"]);
});

Deno.test("hub asks for one write per connection until the output is taken", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  for (let i = 0; i < 5; i++) h.send(ann!, { type: "say", text: `${i}` }, 1);
  const writes = h.takeActionsOf("write");
  assert.deepEqual(writes.map((a) => a.conn).sort(), [ann, bob].sort());
  assert.equal(h.read(bob!).length, 5, "one take returns every queued line");
  h.read(ann!);
  h.send(ann!, { type: "say", text: "again" }, 2);
  assert.deepEqual(h.takeActionsOf("write").map((a) => a.conn).sort(), [ann, bob].sort());
});

Deno.test("hub drops a client that never reads once its queue passes maxQueueBytes", () => {
  const maxQueueBytes = 4096;
  const h = new HubHarness({ rate: null, maxQueueBytes });
  const [speaker, fast] = h.loginAll(["speaker", "fast"], 0);
  const slow = h.connect(0);
  h.send(slow, { type: "login", name: "slow" }, 0);
  assert.deepEqual(h.read(slow).map((l) => l.type), ["hello", "welcome"]);
  let queued = 0; // slow never reads again
  h.read(speaker!);
  h.read(fast!);
  h.takeActions();
  const received: unknown[] = [];
  let dropped = -1;
  for (let i = 0; i < 100; i++) {
    const text = `message number ${i} `.padEnd(100, "."); // about 150 bytes a line
    h.send(speaker!, { type: "say", text }, i);
    const line = encodeLine({ type: "message", from: "speaker", text, ts: i });
    const closes = h.takeActionsOf("close");
    if (dropped < 0 && queued + line.length > maxQueueBytes) {
      assert.deepEqual(closes, [{ kind: "close", conn: slow, code: "SLOW_CONSUMER" }]);
      dropped = i;
    } else {
      assert.deepEqual(closes, [], `message ${i}`);
      queued += line.length;
    }
    assert.equal(ofType(h.read(speaker!), "ok").length, 1);
    received.push(...ofType(h.read(fast!), "message").map((l) => l.text));
  }
  assert.ok(dropped > 0, "the slow client was dropped");
  assert.equal(received.length, 100, "the fast client received every message");
  const slowLines = h.read(slow);
  assert.equal(ofType(slowLines, "message").length, dropped);
  assert.deepEqual([slowLines.at(-1)!.type, slowLines.at(-1)!.code], ["error", "SLOW_CONSUMER"]);
  assert.deepEqual(h.hub.userNames, ["speaker", "fast"]);
});

Deno.test("hub tells the others a slow consumer left with reason dropped", () => {
  const h = new HubHarness({ rate: null, maxQueueBytes: 1024 });
  const [speaker] = h.loginAll(["speaker"], 0);
  const slow = h.login("slow", 0);
  h.read(speaker!);
  h.takeActions();
  for (let i = 0; i < 20 && h.hub.connectionCount === 2; i++) {
    h.send(speaker!, { type: "say", text: "y".repeat(100) }, 7);
  }
  assert.deepEqual(ofType(h.read(speaker!), "leave"), [
    { type: "leave", name: "slow", reason: "dropped", ts: 7 },
  ]);
  assert.deepEqual(h.takeActionsOf("gone"), [{ kind: "gone", conn: slow, user: "slow" }]);
});

Deno.test("hub hands an idle member the joins of a login storm as one view, not a copy", () => {
  const h = new HubHarness({ rate: null });
  const [idle] = h.loginAll(["idle"], 0);
  // Each newcomer's welcome is written between two joins: it must not split idle's backlog.
  for (let i = 0; i < 20; i++) h.login(`n${i}`, 1);
  const backlog = h.hub.takeOutput(idle!);
  assert.ok(backlog !== null);
  const lines = new TextDecoder().decode(backlog).trimEnd().split("\n");
  assert.equal(lines.length, 20);
  assert.ok(lines.every((line) => JSON.parse(line).type === "join"));
  assert.ok(backlog.buffer.byteLength > backlog.length, "a view into a shared slab");
});

Deno.test("hub counts a client backlogged once its queue holds backlogBytes", () => {
  const h = new HubHarness({ rate: null, backlogBytes: 1024 });
  const [ann, bob, cat] = h.loginAll(["ann", "bob", "cat"], 0);
  assert.equal(h.hub.backloggedClients, 0);
  const text = "x".repeat(200);
  // Each say queues one ~260-byte line for bob and cat; ann reads her own replies.
  for (let i = 0; i < 3; i++) h.send(ann!, { type: "say", text }, 1);
  h.read(ann!);
  assert.equal(h.hub.backloggedClients, 0, "below 1024 bytes");
  for (let i = 0; i < 2; i++) h.send(ann!, { type: "say", text }, 1);
  h.read(ann!);
  assert.equal(h.hub.backloggedClients, 2, "bob and cat passed 1024 bytes");
  assert.equal(h.read(bob!).length, 5);
  assert.equal(h.hub.backloggedClients, 1, "taking bob's output clears his backlog");
  h.disconnect(cat!, 2);
  assert.equal(h.hub.backloggedClients, 0, "a client that leaves no longer counts");
});

Deno.test("hub's backlog mark defaults to the smaller of 16 KiB and a quarter of the queue limit", () => {
  const fill = (options: HubOptions, says: number) => {
    const h = new HubHarness({ rate: null, ...options });
    const [ann] = h.loginAll(["ann", "bob"], 0);
    for (let i = 0; i < says; i++) h.send(ann!, { type: "say", text: "y".repeat(1000) }, 1);
    return h.hub.backloggedClients;
  };
  assert.equal(fill({}, 15), 0, "15 KB waiting for bob");
  assert.equal(fill({}, 17), 1, "17 KB waiting for bob");
  assert.equal(fill({ maxQueueBytes: 8192 }, 3), 1, "3 KB is past a quarter of 8 KiB");
});
