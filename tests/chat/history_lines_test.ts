import assert from "node:assert/strict";
import { parseServerMessage } from "../../lib/chat/events.ts";

const entry = (id: number, extra: object = {}) => ({
  id,
  from: "ann",
  text: "hi",
  ts: 5,
  ...extra,
});
const line = (fields: object) => JSON.stringify({ type: "history", ...fields });

Deno.test("parseServerMessage reads a room's history and a private conversation's", () => {
  const room = parseServerMessage(line({ re: 3, room: "#dev", messages: [entry(1), entry(4)] }));
  assert.deepEqual(room, {
    ok: true,
    message: { type: "history", re: 3, room: "#dev", messages: [entry(1), entry(4)] },
  });
  const peer = parseServerMessage(line({ peer: "bob", messages: [entry(2, { to: "bob" })] }));
  assert.ok(peer.ok);
  assert.deepEqual(peer.message, {
    type: "history",
    peer: "bob",
    messages: [entry(2, { to: "bob" })],
  });
});

Deno.test("parseServerMessage refuses history lines a live message would be refused for, and more", () => {
  const bad: [object, RegExp][] = [
    [{ room: "#dev", messages: [entry(2), entry(2)] }, /id' must be above 2/],
    [{ room: "#dev", messages: [entry(3), entry(1)] }, /id' must be above 3/],
    [{ room: "#dev", messages: [entry(0)] }, /id/],
    [{ room: "#dev", messages: [entry(1, { to: "bob" })] }, /to' must be absent/],
    [{ peer: "bob", messages: [entry(1)] }, /to'/],
    [{ peer: "bob", room: "#dev", messages: [] }, /room' must be absent/],
    [{ room: "dev", messages: [] }, /room/],
    [{ room: "#dev", messages: [entry(1, { text: "" })] }, /text/],
    [{ room: "#dev", messages: [entry(1, { from: "no one" })] }, /from/],
    [{ room: "#dev", messages: [entry(1, { ts: "5" })] }, /ts/],
    [{ room: "#dev", messages: [entry(1, { action: "yes" })] }, /action/],
    [{ room: "#dev", messages: "none" }, /messages/],
  ];
  for (const [fields, problem] of bad) {
    const parsed = parseServerMessage(line(fields));
    assert.equal(parsed.ok, false, JSON.stringify(fields));
    assert.match(!parsed.ok ? parsed.problem : "", problem);
  }
});

Deno.test("parseServerMessage reads a live message's id, and refuses one that is not positive", () => {
  const ok = parseServerMessage(
    '{"type":"message","from":"ann","text":"hi","room":"#a","id":9,"ts":1}',
  );
  assert.ok(ok.ok && ok.message.type === "message" && ok.message.id === 9);
  const bad = parseServerMessage('{"type":"message","from":"ann","text":"hi","id":0,"ts":1}');
  assert.equal(bad.ok, false);
});
