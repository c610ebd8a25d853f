import assert from "node:assert/strict";
import { RoomRegistry } from "../../lib/chat/room_registry.ts";

Deno.test("RoomRegistry creates a room on its first join, keeping the name as spelt", () => {
  const rooms = new RoomRegistry<string>();
  const joined = rooms.join("ann", "#Dev");
  assert.ok(joined.ok);
  assert.equal(joined.already, false);
  assert.equal(joined.room.name, "#Dev");
  assert.equal(rooms.size, 1);
  assert.deepEqual([...rooms.get("#dev")!.members], ["ann"]);
});

Deno.test("RoomRegistry finds a room ignoring case: two spellings are one room", () => {
  const rooms = new RoomRegistry<string>();
  rooms.join("ann", "#Dev");
  const joined = rooms.join("bob", "#DEV");
  assert.ok(joined.ok);
  assert.equal(joined.room.name, "#Dev");
  assert.equal(rooms.size, 1);
  assert.deepEqual([...joined.room.members], ["ann", "bob"]);
});

Deno.test("RoomRegistry joining a room one is in already changes nothing", () => {
  const rooms = new RoomRegistry<string>();
  rooms.join("ann", "#dev");
  const again = rooms.join("ann", "#DEV");
  assert.ok(again.ok);
  assert.equal(again.already, true);
  assert.equal(again.room.members.size, 1);
  assert.equal(rooms.roomsOf("ann").length, 1);
});

Deno.test("RoomRegistry removes a room when its last member parts", () => {
  const rooms = new RoomRegistry<string>();
  rooms.join("ann", "#dev");
  rooms.join("bob", "#dev");
  assert.equal(rooms.part("ann", "#dev")?.members.size, 1);
  assert.ok(rooms.get("#dev") !== undefined);
  assert.equal(rooms.part("bob", "#Dev")?.members.size, 0);
  assert.equal(rooms.get("#dev"), undefined);
  assert.equal(rooms.size, 0);
});

Deno.test("RoomRegistry part of a room one is not in is null", () => {
  const rooms = new RoomRegistry<string>();
  rooms.join("ann", "#dev");
  assert.equal(rooms.part("bob", "#dev"), null);
  assert.equal(rooms.part("ann", "#nowhere"), null);
});

Deno.test("RoomRegistry leaveAll takes a member out of every room, dropping the empty ones", () => {
  const rooms = new RoomRegistry<string>();
  rooms.join("ann", "#a");
  rooms.join("ann", "#b");
  rooms.join("bob", "#b");
  const left = rooms.leaveAll("ann");
  assert.deepEqual(left.map((r) => r.name), ["#a", "#b"]);
  assert.equal(rooms.get("#a"), undefined);
  assert.deepEqual([...rooms.get("#b")!.members], ["bob"]);
  assert.deepEqual(rooms.roomsOf("ann"), []);
});

Deno.test("RoomRegistry refuses a bad room name with ROOM_INVALID", () => {
  const rooms = new RoomRegistry<string>();
  const joined = rooms.join("ann", "dev");
  assert.equal(joined.ok ? null : joined.error.code, "ROOM_INVALID");
  assert.equal(rooms.size, 0);
});

Deno.test("RoomRegistry refuses a member past maxRoomsPerMember with TOO_MANY_ROOMS", () => {
  const rooms = new RoomRegistry<string>({ maxRoomsPerMember: 2 });
  assert.ok(rooms.join("ann", "#a").ok);
  assert.ok(rooms.join("ann", "#b").ok);
  const third = rooms.join("ann", "#c");
  assert.equal(third.ok ? null : third.error.code, "TOO_MANY_ROOMS");
  assert.equal(rooms.get("#c"), undefined, "the refused room is not created");
  assert.ok(rooms.join("ann", "#a").ok, "a room one is in is no new room");
  rooms.part("ann", "#a");
  assert.ok(rooms.join("ann", "#c").ok, "parting makes room");
});

Deno.test("RoomRegistry refuses a new room past maxRooms with ROOMS_FULL, not an existing one", () => {
  const rooms = new RoomRegistry<string>({ maxRooms: 2 });
  rooms.join("ann", "#a");
  rooms.join("ann", "#b");
  const third = rooms.join("bob", "#c");
  assert.equal(third.ok ? null : third.error.code, "ROOMS_FULL");
  assert.ok(rooms.join("bob", "#a").ok);
});

Deno.test("RoomRegistry keeps a topic until it is cleared, and forgets it with the room", () => {
  const rooms = new RoomRegistry<string>();
  const joined = rooms.join("ann", "#dev");
  assert.ok(joined.ok);
  rooms.setTopic(joined.room, { text: "Ship it", by: "ann", ts: 5 });
  assert.deepEqual(rooms.get("#DEV")!.topic, { text: "Ship it", by: "ann", ts: 5 });
  rooms.setTopic(joined.room, { text: "", by: "ann", ts: 6 });
  assert.equal(rooms.get("#dev")!.topic, null);
  rooms.setTopic(joined.room, { text: "Again", by: "ann", ts: 7 });
  rooms.part("ann", "#dev");
  const fresh = rooms.join("bob", "#dev");
  assert.ok(fresh.ok);
  assert.equal(fresh.room.topic, null);
});

Deno.test("RoomRegistry keeps a kept room resting when its last member leaves, topic and all", () => {
  const rooms = new RoomRegistry<string>();
  const joined = rooms.join("ann", "#dev");
  assert.ok(joined.ok);
  rooms.setTopic(joined.room, { text: "builds", by: "ann", ts: 5 });
  assert.equal(rooms.keep(joined.room), true);
  assert.equal(rooms.keep(joined.room), false, "kept already");
  rooms.part("ann", "#dev");
  const resting = rooms.get("#DEV");
  assert.equal(resting?.members.size, 0);
  assert.equal(resting?.topic?.text, "builds");
  assert.deepEqual([...rooms.all()].map((r) => r.name), ["#dev"]);
  rooms.join("bob", "#dev");
  rooms.part("bob", "#dev");
  assert.equal(rooms.size, 1, "still resting after a second visit");
});

Deno.test("RoomRegistry forgets the room resting the longest past maxResting", () => {
  const rooms = new RoomRegistry<string>({ maxResting: 2 });
  for (const name of ["#a", "#b", "#c"]) {
    const joined = rooms.join("ann", name);
    assert.ok(joined.ok);
    rooms.keep(joined.room);
  }
  rooms.part("ann", "#b");
  rooms.part("ann", "#a");
  rooms.part("ann", "#c");
  assert.deepEqual([...rooms.all()].map((r) => r.name).sort(), ["#a", "#c"]);
});

Deno.test("RoomRegistry makes a resting room give way to a new room past maxRooms", () => {
  const rooms = new RoomRegistry<string>({ maxRooms: 2 });
  rooms.join("ann", "#lobby");
  const dev = rooms.join("ann", "#dev");
  assert.ok(dev.ok);
  rooms.keep(dev.room);
  rooms.part("ann", "#dev");
  const ops = rooms.join("ann", "#ops");
  assert.ok(ops.ok, "the resting room went instead");
  assert.equal(rooms.get("#dev"), undefined);
  const full = rooms.join("ann", "#more");
  assert.ok(!full.ok);
  assert.equal(full.error.code, "ROOMS_FULL");
});

Deno.test("RoomRegistry restores saved rooms resting, up to maxResting, never over a live one", () => {
  const rooms = new RoomRegistry<string>({ maxResting: 2 });
  rooms.join("ann", "#live");
  assert.equal(rooms.restore("#live", null), false);
  assert.equal(rooms.restore("#old", { text: "t", by: "bob", ts: 1 }), true);
  assert.equal(rooms.restore("#older", null), true);
  assert.equal(rooms.restore("#oldest", null), false, "past maxResting");
  assert.equal(rooms.get("#old")?.topic?.text, "t");
  assert.equal(rooms.get("#old")?.kept, true);
  assert.throws(() => rooms.restore("no hash", null), RangeError);
});
