import assert from "node:assert/strict";
import { parseShapes, placeUser, shapeClients } from "../../../bench/chat/room_shape.ts";
import { plan } from "../../../bench/chat/chat_bench.ts";

Deno.test("placeUser deals the ten-room shape round the rooms, one sender in each", () => {
  const rooms = Array.from({ length: 1000 }, (_, i) => placeUser("10x100", i, "#lobby").talksIn);
  assert.deepEqual(rooms.slice(0, 10), [
    "#r0",
    "#r1",
    "#r2",
    "#r3",
    "#r4",
    "#r5",
    "#r6",
    "#r7",
    "#r8",
    "#r9",
  ]);
  for (let room = 0; room < 10; room++) {
    assert.equal(rooms.filter((name) => name === `#r${room}`).length, 100);
  }
});

Deno.test("placeUser puts the one-room shape in the dialect's room and the big one in #big", () => {
  assert.deepEqual(placeUser("one", 7, "#bench"), { rooms: ["#bench"], talksIn: "#bench" });
  assert.deepEqual(placeUser("1x1000", 7, "#lobby"), { rooms: ["#big"], talksIn: "#big" });
});

Deno.test("plan runs the one-room shape at each size and the others at their own size", () => {
  assert.equal(shapeClients("one"), null);
  assert.deepEqual(plan(["one", "10x100", "1x1000"], [100, 5000]), [
    ["one", 100],
    ["one", 5000],
    ["10x100", 1000],
    ["1x1000", 1000],
  ]);
});

Deno.test("parseShapes takes known names only", () => {
  assert.deepEqual(parseShapes("one,10x100"), ["one", "10x100"]);
  assert.equal(parseShapes("one,3x3"), null);
});
