import assert from "node:assert/strict";
import { LineDecoder } from "../../lib/chat/line_decoder.ts";
import { OUTPUT_SLAB_BYTES, SharedMeaning } from "../../lib/irc/shared_meaning.ts";

const utf8 = new TextEncoder();

Deno.test("SharedMeaning decodes the very same bytes once, and other bytes anew", () => {
  const shared = new SharedMeaning();
  let decoded = 0;
  const decode = (bytes: Uint8Array) => (decoded++, new LineDecoder().push(bytes));
  const line = utf8.encode('{"type":"ping","ts":1}\n');
  const first = shared.lines(line, decode);
  assert.equal(shared.lines(line, decode), first);
  assert.equal(decoded, 1);
  // Equal content in another buffer is not assumed to be the same line.
  shared.lines(line.slice(), decode);
  assert.equal(decoded, 2);
});

Deno.test("SharedMeaning decodes a range once, whatever view of it each member is given", () => {
  const shared = new SharedMeaning();
  let decoded = 0;
  const decode = (bytes: Uint8Array) => (decoded++, new LineDecoder().push(bytes));
  const slab = utf8.encode('{"type":"ping","ts":1}\n{"type":"ping","ts":2}\n');
  const view = () => new Uint8Array(slab.buffer, 0, slab.length);
  const first = shared.lines(view(), decode);
  assert.equal(shared.lines(view(), decode), first);
  assert.equal(decoded, 1);
  // Another range of the buffer is other lines.
  assert.equal(shared.lines(new Uint8Array(slab.buffer, 23, slab.length - 23), decode).length, 1);
  assert.equal(decoded, 2);
});

Deno.test("SharedMeaning encodes the same text once and shares no meaning it was told not to", () => {
  const shared = new SharedMeaning();
  assert.equal(shared.encode("PING x\r\n"), shared.encode("PING x\r\n"));
  assert.deepEqual(shared.encode("PING y\r\n"), utf8.encode("PING y\r\n"));
  let made = 0;
  const page = () => (made++, { meaning: null, shared: false });
  shared.meaning('{"type":"names"}', page);
  shared.meaning('{"type":"names"}', page);
  assert.equal(made, 2);
});

Deno.test("SharedMeaning remembers the newest lines up to its capacity, the oldest going first", () => {
  const shared = new SharedMeaning(2);
  let made = 0;
  const make = () => (made++, { meaning: null, shared: true });
  for (const line of ["a", "b", "a", "b"]) shared.meaning(line, make);
  assert.equal(made, 2); // a member behind finds "a" after "b"
  shared.meaning("c", make); // "a" goes
  shared.meaning("b", make);
  shared.meaning("a", make);
  assert.equal(made, 4);
});

Deno.test("SharedMeaning encodes successive texts side by side in one slab, not a buffer each", () => {
  const shared = new SharedMeaning();
  const a = shared.encode("PING é\r\n");
  const b = shared.encode("PING 😀\r\n");
  assert.deepEqual([a, b], [utf8.encode("PING é\r\n"), utf8.encode("PING 😀\r\n")]);
  assert.equal(a.buffer, b.buffer);
  assert.equal(a.byteOffset + a.length, b.byteOffset);
  const long = "x".repeat(OUTPUT_SLAB_BYTES + 1);
  assert.equal(shared.encode(long).length, OUTPUT_SLAB_BYTES + 1, "a text past a slab fits");
});

Deno.test("SharedMeaning.encode writes text longer in UTF-8 than in characters whole", () => {
  const shared = new SharedMeaning();
  shared.encode("x".repeat(OUTPUT_SLAB_BYTES - 100));
  for (const text of ["né😀 and more", "é".repeat(OUTPUT_SLAB_BYTES / 2 + 10)]) {
    assert.equal(new TextDecoder().decode(shared.encode(text)), text);
  }
});
