import assert from "node:assert/strict";
import { LineArena, SLAB_BYTES } from "../../lib/chat/line_arena.ts";
import { MAX_LINE_BYTES } from "../../lib/chat/limits.ts";
import { OutboundQueue } from "../../lib/chat/outbound_queue.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("LineArena encodes JSON lines, each ending in a newline", () => {
  const arena = new LineArena();
  assert.equal(text(arena.encode({ type: "ping", ts: 1 })), '{"type":"ping","ts":1}\n');
  assert.equal(text(arena.encode({ text: "héllo ☃ 𝄞" })), '{"text":"héllo ☃ 𝄞"}\n');
});

Deno.test("LineArena puts consecutive lines side by side in one buffer", () => {
  const arena = new LineArena();
  const a = arena.encode({ n: 1 });
  const b = arena.encode({ n: 2 });
  assert.equal(a.buffer, b.buffer);
  assert.equal(a.byteOffset + a.length, b.byteOffset);
});

Deno.test("LineArena never changes a line it handed out when it moves to a new slab", () => {
  const arena = new LineArena();
  const first = arena.encode({ n: 0 });
  const copy = first.slice();
  const lines = [];
  for (let i = 1; i < 2000; i++) lines.push(arena.encode({ n: i, pad: "x".repeat(100) }));
  assert.deepEqual(first, copy);
  assert.notEqual(lines.at(-1)!.buffer, first.buffer);
  assert.equal(text(lines[500]!), `{"n":501,"pad":"${"x".repeat(100)}"}\n`);
});

Deno.test("LineArena gives a line longer than a slab a buffer of its own", () => {
  const arena = new LineArena(SLAB_BYTES * 4);
  const long = arena.encode({ text: "y".repeat(SLAB_BYTES * 2) });
  assert.equal(long.length, SLAB_BYTES * 2 + 12);
  assert.ok(text(long).endsWith('"}\n'));
});

Deno.test("LineArena encodes a line of exactly MAX_LINE_BYTES and refuses one byte more", () => {
  const arena = new LineArena();
  const envelope = '{"text":""}'.length;
  const exact = arena.encode({ text: "z".repeat(MAX_LINE_BYTES - envelope) });
  assert.equal(exact.length, MAX_LINE_BYTES + 1, "the limit excludes the newline");
  assert.throws(
    () => arena.encode({ text: "z".repeat(MAX_LINE_BYTES - envelope + 1) }),
    RangeError,
  );
  const next = arena.encode({ n: 1 });
  assert.equal(text(next), '{"n":1}\n', "a refused line leaves the arena usable");
});

Deno.test("OutboundQueue merges adjacent arena lines so take returns them without copying", () => {
  const arena = new LineArena();
  const queue = new OutboundQueue(1 << 20);
  const lines = [arena.encode({ n: 1 }), arena.encode({ n: 2 }), arena.encode({ n: 3 })];
  for (const line of lines) queue.push(line);
  const out = queue.take()!;
  assert.equal(out.buffer, lines[0]!.buffer, "the taken bytes are a view, not a copy");
  assert.equal(text(out), '{"n":1}\n{"n":2}\n{"n":3}\n');
  assert.equal(queue.bytes, 0);
});

Deno.test("OutboundQueue keeps lines from different buffers in order", () => {
  const arena = new LineArena();
  const queue = new OutboundQueue(1 << 20);
  queue.push(arena.encode({ n: 1 }));
  queue.push(new TextEncoder().encode("other\n"));
  queue.push(arena.encode({ n: 2 }));
  assert.equal(text(queue.take()!), '{"n":1}\nother\n{"n":2}\n');
});
