import assert from "node:assert/strict";
import { checkRoomName, checkTopic, roomKey } from "../../lib/chat/room_rules.ts";
import { MAX_TOPIC_CHARS } from "../../lib/chat/limits.ts";

Deno.test("checkRoomName accepts # and 1 to 32 name characters", () => {
  for (const room of ["#lobby", "#a", "#Dev-Team_2.0", `#${"x".repeat(32)}`]) {
    assert.equal(checkRoomName(room), null, room);
  }
});

Deno.test("checkRoomName refuses a missing #, an empty or overlong name, and other characters", () => {
  const bad = ["lobby", "#", "##a", `#${"x".repeat(33)}`, "#a b", "#...", "#caf\u00e9", "&dev", ""];
  for (const room of bad) assert.equal(checkRoomName(room)?.code, "ROOM_INVALID", room);
});

Deno.test("checkRoomName names a bidi control or invisible character it refuses", () => {
  assert.match(checkRoomName("#dev\u202e")!.message, /U\+202E/);
  assert.match(checkRoomName("#d\u200bev")!.message, /U\+200B/);
});

Deno.test("roomKey makes names that differ only in case one room", () => {
  assert.equal(roomKey("#Dev"), roomKey("#dEV"));
  assert.notEqual(roomKey("#dev"), roomKey("#dev2"));
});

Deno.test("checkTopic accepts up to MAX_TOPIC_CHARS on one line, and the empty topic", () => {
  assert.equal(checkTopic(""), null);
  assert.equal(checkTopic("x".repeat(MAX_TOPIC_CHARS)), null);
  assert.equal(checkTopic("Ünïcödé 🎉 topic"), null);
});

Deno.test("checkTopic refuses an overlong topic and control characters", () => {
  assert.equal(checkTopic("x".repeat(MAX_TOPIC_CHARS + 1))?.code, "TOPIC_INVALID");
  for (const topic of ["a\nb", "a\rb", "a\x1b[2Jb", "a\x85b"]) {
    assert.equal(checkTopic(topic)?.code, "TOPIC_INVALID", JSON.stringify(topic));
  }
});
