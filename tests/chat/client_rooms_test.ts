import assert from "node:assert/strict";
import { ClientRooms } from "../../lib/chat/client_rooms.ts";

const joined = (room: string) => ({
  type: "joined" as const,
  room,
  topic: "",
  members: [],
  memberCount: 1,
  ts: 0,
});

Deno.test("ClientRooms starts in #lobby, where the hub puts every login", () => {
  const rooms = new ClientRooms();
  assert.deepEqual(rooms.names, ["#lobby"]);
  assert.deepEqual(rooms.restore(), []);
});

Deno.test("ClientRooms keeps the rooms joined, named as the hub names them, ignoring case", () => {
  const rooms = new ClientRooms();
  rooms.note(joined("#Dev"));
  rooms.note(joined("#DEV"));
  assert.deepEqual(rooms.names, ["#lobby", "#DEV"]);
  assert.ok(rooms.has("#dev"));
  rooms.note({ type: "parted", room: "#dev", ts: 1 });
  assert.deepEqual(rooms.names, ["#lobby"]);
});

Deno.test("ClientRooms restore joins every other room and parts #lobby once left", () => {
  const rooms = new ClientRooms();
  rooms.note(joined("#a"));
  rooms.note(joined("#b"));
  assert.deepEqual(rooms.restore(), [{ type: "join", room: "#a" }, { type: "join", room: "#b" }]);
  rooms.note({ type: "parted", room: "#LOBBY", ts: 1 });
  assert.deepEqual(rooms.restore().at(-1), { type: "part", room: "#lobby" });
});

Deno.test("ClientRooms ignores replies that are not about rooms", () => {
  const rooms = new ClientRooms();
  rooms.note({ type: "ok", ts: 1 });
  assert.deepEqual(rooms.names, ["#lobby"]);
});
