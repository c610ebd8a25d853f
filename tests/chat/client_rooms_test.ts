import assert from "node:assert/strict";
import { ClientRooms } from "../../lib/chat/client_rooms.ts";
import { joined } from "./_room_replies.ts";

const join = (room: string) => ({ type: "join" as const, room });
const part = (room: string) => ({ type: "part" as const, room });

Deno.test("ClientRooms starts in #lobby, where the hub puts every login", () => {
  const rooms = new ClientRooms();
  assert.deepEqual(rooms.names, ["#lobby"]);
  assert.deepEqual(rooms.restore(), []);
});

Deno.test("ClientRooms keeps the rooms joined, named as the hub names them, ignoring case", () => {
  const rooms = new ClientRooms();
  rooms.note(join("#dev"), joined("#Dev"));
  rooms.note(join("#dev"), joined("#DEV"));
  assert.deepEqual(rooms.names, ["#lobby", "#DEV"]);
  assert.ok(rooms.has("#dev"));
  rooms.note(part("#DEV"), { type: "parted", room: "#dev", ts: 1 });
  assert.deepEqual(rooms.names, ["#lobby"]);
});

Deno.test("ClientRooms restore joins every other room and parts #lobby once left", () => {
  const rooms = new ClientRooms();
  rooms.note(join("#a"), joined("#a"));
  rooms.note(join("#b"), joined("#b"));
  assert.deepEqual(rooms.restore(), [{ type: "join", room: "#a" }, { type: "join", room: "#b" }]);
  rooms.note(part("#lobby"), { type: "parted", room: "#LOBBY", ts: 1 });
  assert.deepEqual(rooms.restore().at(-1), { type: "part", room: "#lobby" });
});

Deno.test("ClientRooms believes a joined or parted only as the answer to that request", () => {
  const rooms = new ClientRooms();
  rooms.note({ type: "users" }, joined("#forged"));
  rooms.note(join("#dev"), joined("#other"));
  rooms.note(join("#dev"), { type: "parted", room: "#dev", ts: 1 });
  rooms.note(part("#dev"), joined("#dev"));
  rooms.note(join("#dev"), { type: "ok", ts: 1 });
  assert.deepEqual(rooms.names, ["#lobby"]);
  rooms.note(part("#dev"), { type: "parted", room: "#lobby", ts: 1 });
  assert.deepEqual(rooms.names, ["#lobby"], "a part of #dev does not take #lobby away");
});
