import assert from "node:assert/strict";
import { type NamesPrefix, RoomNamesText } from "../../lib/chat/room_names_text.ts";
import type { Room } from "../../lib/chat/room_registry.ts";

interface Member {
  name: string;
  away?: boolean;
}

const decoder = new TextDecoder();

function textOf(prefix: NamesPrefix): string {
  return decoder.decode(prefix.bytes);
}

/** A room of `names`, and a names text that counts the names it reads. */
function setUp(names: readonly string[]) {
  const members = new Set<Member>(names.map((name) => ({ name })));
  const room: Room<Member> = { name: "#dev", members, topic: null, kept: false };
  const reads = { count: 0 };
  const texts = new RoomNamesText<Member>({
    name: (member) => (reads.count++, member.name),
    away: (member) => member.away === true,
  });
  return { room, members, reads, texts };
}

Deno.test("RoomNamesText lists the members in join order, one space between", () => {
  const { room, texts } = setUp(["ann", "bob", "cy"]);
  assert.equal(textOf(texts.prefix(room, 3)), "ann bob cy");
  assert.equal(textOf(texts.prefix(room, 99)), "ann bob cy");
  assert.equal(textOf(texts.prefix(room, 2)), "ann bob");
  assert.equal(textOf(texts.prefix(room, 1)), "ann");
  assert.equal(textOf(texts.prefix(room, 0)), "");
});

Deno.test("RoomNamesText appends a join to the text it keeps, without reading the others", () => {
  const { room, members, reads, texts } = setUp(["ann", "bob"]);
  texts.prefix(room, 2);
  const dee = { name: "dee" };
  members.add(dee);
  texts.joined(room, dee);
  assert.equal(reads.count, 3, "built once, then one name read");
  assert.equal(textOf(texts.prefix(room, 3)), "ann bob dee");
  assert.equal(textOf(texts.prefix(room, 2)), "ann bob");
  assert.equal(reads.count, 3);
});

Deno.test("RoomNamesText builds the text again after a reported leave or rename", () => {
  const { room, members, texts } = setUp(["ann", "bob", "cy"]);
  texts.prefix(room, 3);
  const [ann, bob] = [...members];
  members.delete(ann!);
  texts.changed(room);
  assert.equal(textOf(texts.prefix(room, 2)), "bob cy");
  bob!.name = "rob";
  texts.changed(room);
  assert.equal(textOf(texts.prefix(room, 2)), "rob cy");
});

Deno.test("RoomNamesText builds again when the member count shows a change it was not told of", () => {
  const { room, members, texts } = setUp(["ann", "bob"]);
  texts.prefix(room, 2);
  members.delete([...members][0]!);
  assert.equal(textOf(texts.prefix(room, 1)), "bob");
  // A join it was not told of: read from the room, not left out.
  members.add({ name: "cy" });
  assert.equal(textOf(texts.prefix(room, 2)), "bob cy");
});

Deno.test("RoomNamesText tells who of the members listed is away, and a change of it", () => {
  const { room, members, texts } = setUp(["ann", "bob", "cy"]);
  const [, bob, cy] = [...members];
  bob!.away = true;
  assert.deepEqual(texts.prefix(room, 3).away, ["bob"]);
  assert.equal(textOf(texts.prefix(room, 3)), "ann bob cy");
  assert.deepEqual(texts.prefix(room, 1).away, []);
  const before = texts.prefix(room, 3).away;
  const dee = { name: "dee", away: true };
  members.add(dee);
  texts.joined(room, dee);
  assert.deepEqual(texts.prefix(room, 4).away, ["bob", "dee"]);
  assert.deepEqual(texts.prefix(room, 3).away, ["bob"]);
  assert.deepEqual(before, ["bob"], "an answer handed out stays as it was");
  bob!.away = false;
  cy!.away = true;
  texts.changed(room);
  assert.deepEqual(texts.prefix(room, 4).away, ["cy", "dee"]);
});

Deno.test("RoomNamesText leaves the bytes it handed out as they were, through growth and change", () => {
  const { room, members, texts } = setUp(["ann"]);
  const first = texts.prefix(room, 1);
  const added: Member[] = [];
  for (let i = 0; i < 200; i++) {
    const member = { name: `user${i}` };
    members.add(member);
    added.push(member);
    texts.joined(room, member);
  }
  const all = texts.prefix(room, 201);
  assert.equal(textOf(all), ["ann", ...added.map((m) => m.name)].join(" "));
  members.delete(added[0]!);
  texts.changed(room);
  texts.prefix(room, 200);
  assert.equal(textOf(first), "ann");
  assert.equal(textOf(all).split(" ").length, 201);
});
