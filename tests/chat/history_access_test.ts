import assert from "node:assert/strict";
import { createHubClient, type HubClient } from "../../lib/chat/hub_client.ts";
import { historyAccessRefusal } from "../../lib/chat/history_access.ts";
import { RoomRegistry } from "../../lib/chat/room_registry.ts";

function setup(): { ann: HubClient; bob: HubClient; rooms: RoomRegistry<HubClient> } {
  const limits = { maxQueueBytes: 1024, rate: null };
  const ann = createHubClient(1, 0, limits);
  const bob = createHubClient(2, 0, limits);
  const rooms = new RoomRegistry<HubClient>({ maxRooms: 8 });
  rooms.join(ann, "#dev");
  return { ann, bob, rooms };
}

Deno.test("historyAccessRefusal lets a member read its room, in any case of the name", () => {
  const { ann, rooms } = setup();
  assert.equal(historyAccessRefusal(ann, { room: "#DEV", limit: 10 }, rooms), null);
});

Deno.test("historyAccessRefusal refuses a room's history to a non-member with NOT_IN_ROOM", () => {
  const { bob, rooms } = setup();
  assert.equal(historyAccessRefusal(bob, { room: "#dev", limit: 10 }, rooms)?.code, "NOT_IN_ROOM");
  assert.equal(historyAccessRefusal(bob, { room: "#gone", limit: 10 }, rooms)?.code, "NOT_IN_ROOM");
});

Deno.test("historyAccessRefusal refuses a bad room or peer name before anything else", () => {
  const { ann, rooms } = setup();
  assert.equal(historyAccessRefusal(ann, { room: "dev", limit: 10 }, rooms)?.code, "ROOM_INVALID");
  assert.equal(historyAccessRefusal(ann, { peer: "a b", limit: 10 }, rooms)?.code, "NAME_INVALID");
  assert.equal(historyAccessRefusal(ann, { peer: "bob", limit: 10 }, rooms), null);
});
