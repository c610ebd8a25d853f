import assert from "node:assert/strict";
import { accepted, problem } from "./_server_lines.ts";
import { MAX_TOPIC_CHARS } from "../../lib/chat/limits.ts";

Deno.test("parseServerMessage reads every room line the hub sends", () => {
  const messages = [
    { type: "message", from: "ann", text: "hi", room: "#dev", ts: 1 },
    { type: "join", name: "ann", room: "#lobby", ts: 1 },
    { type: "leave", name: "ann", room: "#dev", reason: "part", ts: 1 },
    {
      type: "joined",
      re: 1,
      room: "#dev",
      topic: "Ship it",
      members: ["ann", "bob"],
      memberCount: 5,
      ts: 2,
    },
    { type: "parted", re: 2, room: "#dev", ts: 3 },
    { type: "topic", room: "#dev", topic: "Ship it", by: "ann", ts: 4 },
    { type: "topic", re: 3, room: "#dev", topic: "" },
    { type: "rooms", re: 4, rooms: [{ name: "#lobby", members: 2, topic: "" }], more: true },
    { type: "names", re: 5, room: "#dev", names: ["ann", "bob"] },
  ];
  for (const message of messages) assert.deepEqual(accepted(message), message);
});

Deno.test("parseServerMessage still reads lines without room, as a protocol 1 hub sends", () => {
  const join = { type: "join", name: "ann", ts: 1 };
  assert.deepEqual(accepted(join), join);
  const said = { type: "message", from: "ann", text: "hi", ts: 1 };
  assert.deepEqual(accepted(said), said);
});

Deno.test("parseServerMessage refuses room names that break the room rules, wherever they are", () => {
  const bad = ["dev", "#", `#${"x".repeat(33)}`, "#a\u202eb", "#a\nb", 7];
  for (const room of bad) {
    const lines = [
      { type: "message", from: "ann", text: "hi", room, ts: 1 },
      { type: "join", name: "ann", room, ts: 1 },
      { type: "leave", name: "ann", room, reason: "part", ts: 1 },
      { type: "joined", room, topic: "", members: [], memberCount: 0, ts: 1 },
      { type: "parted", room, ts: 1 },
      { type: "topic", room, topic: "" },
      { type: "rooms", rooms: [{ name: room, members: 1, topic: "" }] },
      { type: "names", room, names: [] },
    ];
    for (const line of lines) assert.match(problem(line), /room|name/, JSON.stringify(line));
  }
});

Deno.test("parseServerMessage refuses topics over MAX_TOPIC_CHARS or holding controls", () => {
  for (const topic of ["x".repeat(MAX_TOPIC_CHARS + 1), "a\nb", "a\x1b[2Jb", 3]) {
    assert.match(problem({ type: "topic", room: "#a", topic }), /topic/);
    assert.match(problem({ type: "rooms", rooms: [{ name: "#a", members: 1, topic }] }), /topic/);
    const joined = { type: "joined", room: "#a", topic, members: [], memberCount: 0, ts: 1 };
    assert.match(problem(joined), /topic/);
  }
});

Deno.test("parseServerMessage refuses a private message that names a room", () => {
  const line = { type: "message", from: "ann", to: "bob", text: "hi", room: "#dev", ts: 1 };
  assert.match(problem(line), /room/);
});

Deno.test("parseServerMessage refuses bad member names, counts and a half-told topic setter", () => {
  const joined = { type: "joined", room: "#a", topic: "", members: ["ann"], memberCount: 1, ts: 1 };
  assert.match(problem({ ...joined, members: ["a b"] }), /members/);
  assert.match(problem({ ...joined, memberCount: 0 }), /memberCount/, "fewer than listed");
  assert.match(problem({ ...joined, memberCount: -1 }), /memberCount/);
  assert.match(problem({ type: "names", room: "#a", names: ["ok", "not ok"] }), /names/);
  assert.match(
    problem({ type: "rooms", rooms: [{ name: "#a", members: -2, topic: "" }] }),
    /members/,
  );
  assert.match(problem({ type: "topic", room: "#a", topic: "t", by: "ann" }), /ts/);
  assert.match(problem({ type: "topic", room: "#a", topic: "t", ts: 1 }), /by/);
  assert.match(problem({ type: "topic", room: "#a", topic: "t", by: "a b", ts: 1 }), /by/);
  assert.match(
    problem({ type: "rooms", rooms: [{ name: "#a", members: 1, topic: "" }], more: 1 }),
    /more/,
  );
});
