import assert from "node:assert/strict";
import { joinEvents } from "../../lib/chat/join_events.ts";

const JOINS = { type: "joins", room: "#dev", names: ["bob", "Ann", "cy"], ts: 7 } as const;

Deno.test("joinEvents shows every join to a user not among them", () => {
  const events = joinEvents({ ...JOINS, names: [...JOINS.names] }, "dee");
  assert.deepEqual(events, [
    { type: "join", name: "bob", room: "#dev", ts: 7 },
    { type: "join", name: "Ann", room: "#dev", ts: 7 },
    { type: "join", name: "cy", room: "#dev", ts: 7 },
  ]);
  assert.equal(joinEvents({ ...JOINS, names: [...JOINS.names] }, null).length, 3);
});

Deno.test("joinEvents shows only the joins after the user's own name, ignoring case", () => {
  const events = joinEvents({ ...JOINS, names: [...JOINS.names] }, "ann");
  assert.deepEqual(events.map((e) => e.name), ["cy"]);
});
