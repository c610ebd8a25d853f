import assert from "node:assert/strict";
import { ClientSession } from "../../lib/chat/client_session.ts";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { MAX_LINE_BYTES } from "../../lib/chat/limits.ts";
import { HubHarness } from "./_hub_harness.ts";

const name32 = (i: number) => `u${String(i).padStart(31, "0")}`;

/** Every line in `bytes` is at most MAX_LINE_BYTES long, newline excluded. */
function assertLinesWithinLimit(bytes: Uint8Array): void {
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
    assert.ok(end - start <= MAX_LINE_BYTES, `a line of ${end - start} bytes`);
    start = end + 1;
  }
  assert.equal(start, bytes.length, "output ends with a newline");
}

/** Feeds what the hub wrote to a client session; returns the reply to request `id`. */
function replyIn(session: ClientSession, bytes: Uint8Array, id: number): ServerMessage {
  const events = session.receive(bytes, 0);
  const reply = events.find((e) => e.kind === "reply" && e.id === id);
  assert.ok(reply !== undefined && reply.kind === "reply", JSON.stringify(events).slice(0, 300));
  return reply.message;
}

Deno.test("hub pages users at 1,100 users of 32 characters, and a client sees all 1,100", () => {
  const h = new HubHarness({ rate: null });
  const names = Array.from({ length: 1100 }, (_, i) => name32(i));
  const now = 1_764_090_000_000; // `since` of thirteen digits, as on a real clock
  const conns = h.loginAll(names, now);
  const session = new ClientSession(now);
  const id = session.request({ type: "users" }, now);
  h.sendBytes(conns[0]!, session.takeOutput()!, now);
  const bytes = h.hub.takeOutput(conns[0]!)!;
  assertLinesWithinLimit(bytes);
  const reply = replyIn(session, bytes, id);
  assert.equal(reply.type, "users");
  assert.deepEqual(reply.type === "users" && reply.users.map((u) => u.name), names);
  assert.equal("more" in reply, false);
});

Deno.test("hub pages a files reply of 250 long names from the driver, and a client sees all", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  const files = Array.from({ length: 250 }, (_, i) => ({
    name: `${"ü".repeat(120)}-${i}.txt`,
    size: i * 1000,
  }));
  h.hub.reply(ann!, { type: "files", re: 7, files }, 1);
  const bytes = h.hub.takeOutput(ann!)!;
  assertLinesWithinLimit(bytes);
  const session = new ClientSession(0);
  for (let i = 1; i < 7; i++) session.request({ type: "ping" }, 0);
  const reply = replyIn(session, bytes, session.request({ type: "files" }, 0));
  assert.deepEqual(reply.type === "files" && reply.files, files);
});

Deno.test("hub keeps every line it sends within MAX_LINE_BYTES, longest texts and names included", () => {
  const h = new HubHarness({ rate: null });
  const names = Array.from({ length: 150 }, (_, i) => name32(i));
  const conns = h.loginAll(names, 0);
  // The worst text: 4,096 code units that JSON escapes to six bytes each.
  h.send(conns[0]!, { type: "say", text: "\u0001".repeat(4096) }, 1);
  h.send(conns[0]!, { type: "msg", to: names[1], text: "\u0001".repeat(4096) }, 1);
  h.send(conns[0]!, { type: "users" }, 1);
  h.login(name32(999), 2);
  for (const conn of conns) assertLinesWithinLimit(h.hub.takeOutput(conn) ?? new Uint8Array());
});
