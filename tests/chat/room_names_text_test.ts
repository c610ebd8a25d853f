import assert from "node:assert/strict";
import { RoomNamesText } from "../../lib/chat/room_names_text.ts";
import type { Room } from "../../lib/chat/room_registry.ts";

interface Member {
  name: string;
}

/** A room of `names`, and a names text that counts the names it reads. */
function setUp(names: readonly string[]) {
  const members = new Set(names.map((name) => ({ name })));
  const room: Room<Member> = { name: "#dev", members, topic: null, kept: false };
  const reads = { count: 0 };
  const texts = new RoomNamesText<Member>((member) => (reads.count++, member.name));
  return { room, members, reads, texts };
}

Deno.test("RoomNamesText lists the members in join order, one space between", () => {
  const { room, texts } = setUp(["ann", "bob", "cy"]);
  assert.equal(texts.prefix(room, 3), "ann bob cy");
  assert.equal(texts.prefix(room, 99), "ann bob cy");
  assert.equal(texts.prefix(room, 2), "ann bob");
  assert.equal(texts.prefix(room, 1), "ann");
  assert.equal(texts.prefix(room, 0), "");
});

Deno.test("RoomNamesText appends a join to the text it keeps, without reading the others", () => {
  const { room, members, reads, texts } = setUp(["ann", "bob"]);
  texts.prefix(room, 2);
  const dee = { name: "dee" };
  members.add(dee);
  texts.joined(room, dee);
  assert.equal(reads.count, 3, "built once, then one name read");
  assert.equal(texts.prefix(room, 3), "ann bob dee");
  assert.equal(texts.prefix(room, 2), "ann bob");
  assert.equal(reads.count, 3);
});

Deno.test("RoomNamesText builds the text again after a reported leave or rename", () => {
  const { room, members, texts } = setUp(["ann", "bob", "cy"]);
  texts.prefix(room, 3);
  const [ann, bob] = [...members];
  members.delete(ann!);
  texts.changed(room);
  assert.equal(texts.prefix(room, 2), "bob cy");
  bob!.name = "rob";
  texts.changed(room);
  assert.equal(texts.prefix(room, 2), "rob cy");
});

Deno.test("RoomNamesText builds again when the member count shows a change it was not told of", () => {
  const { room, members, texts } = setUp(["ann", "bob"]);
  texts.prefix(room, 2);
  members.delete([...members][0]!);
  assert.equal(texts.prefix(room, 1), "bob");
  // A join it was not told of: read from the room, not left out.
  members.add({ name: "cy" });
  assert.equal(texts.prefix(room, 2), "bob cy");
});
