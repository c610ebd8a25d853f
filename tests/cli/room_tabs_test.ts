import assert from "node:assert/strict";
import { MAX_MISSED_LINES, RoomTabs } from "../../lib/cli/room_tabs.ts";

const said = { unread: true, highlight: false };
const named = { unread: true, highlight: true };
const joined = { unread: false, highlight: false };

function tabs(...rooms: string[]): RoomTabs {
  const t = new RoomTabs();
  t.sync(["#lobby", ...rooms]);
  return t;
}

Deno.test("RoomTabs shows the current room's lines at once and keeps the others'", () => {
  const t = tabs("#dev");
  assert.equal(t.arrive("#lobby", ["a"], said), true);
  assert.equal(t.arrive("#DEV", ["b"], said), false);
  assert.equal(t.current, "#lobby");
  assert.deepEqual(t.switchTo("#dev"), ["b"]);
  assert.equal(t.current, "#dev");
  assert.deepEqual(t.switchTo("#dev"), [], "taken once");
});

Deno.test("RoomTabs status line counts unread messages per room and marks those naming you", () => {
  const t = tabs("#dev", "#ops");
  t.arrive("#dev", ["1"], said);
  t.arrive("#dev", ["2"], said);
  t.arrive("#dev", ["-->"], joined);
  t.arrive("#ops", ["hey you"], named);
  assert.equal(t.statusLine(false), "[#lobby] #dev(2) #ops(1!)");
  t.switchTo("#ops");
  assert.equal(t.statusLine(false), "#lobby #dev(2) [#ops]");
});

Deno.test("RoomTabs status line is empty with one room", () => {
  assert.equal(new RoomTabs().statusLine(false), "");
});

Deno.test("RoomTabs steps round the rooms and picks the n-th", () => {
  const t = tabs("#a", "#b");
  t.step(1);
  assert.equal(t.current, "#a");
  t.step(-1);
  t.step(-1);
  assert.equal(t.current, "#b", "round from the first to the last");
  t.nth(0);
  assert.equal(t.current, "#lobby");
  assert.equal(t.nth(3), null);
  assert.equal(t.current, "#lobby");
  assert.equal(new RoomTabs().step(1), null, "one room: nowhere to go");
});

Deno.test("RoomTabs follows the session's rooms, the first taking over a current room left", () => {
  const t = tabs("#dev");
  t.switchTo("#dev");
  t.arrive("#lobby", ["missed"], said);
  assert.deepEqual(t.sync(["#lobby"]), ["missed"], "now current: its lines are shown");
  assert.equal(t.current, "#lobby");
  assert.deepEqual(t.rooms, ["#lobby"]);
  assert.equal(t.arrive("#dev", ["x"], said), true, "a line for no tab is shown");
});

Deno.test("RoomTabs keeps at most MAX_MISSED_LINES per room, the latest", () => {
  const t = tabs("#dev");
  for (let i = 0; i < MAX_MISSED_LINES + 10; i++) t.arrive("#dev", [`${i}`], said);
  const missed = t.switchTo("#dev")!;
  assert.equal(missed.length, MAX_MISSED_LINES);
  assert.equal(missed.at(-1), `${MAX_MISSED_LINES + 9}`);
});

Deno.test("RoomTabs breaks its status line between rooms to the width, the current one kept", () => {
  const t = tabs("#alpha", "#beta", "#gamma", "#delta", "#epsilon");
  t.switchTo("#epsilon");
  const lines = t.statusLines(false, 20);
  assert.deepEqual(lines, ["#lobby #alpha #beta", "#gamma #delta", "[#epsilon]"]);
  assert.ok(lines.every((line) => line.length < 20));
  assert.deepEqual(t.statusLines(false, Infinity), [lines.join(" ")]);
});
