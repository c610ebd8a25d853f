import assert from "node:assert/strict";
import { OutboundQueue } from "../../lib/chat/outbound_queue.ts";

function filled(length: number, value: number): Uint8Array {
  return new Uint8Array(length).fill(value);
}

Deno.test("OutboundQueue coalesces everything pushed into one buffer, in order", () => {
  const queue = new OutboundQueue(100);
  assert.ok(queue.push(Uint8Array.of(1, 2)));
  assert.ok(queue.push(Uint8Array.of(3)));
  assert.ok(queue.push(Uint8Array.of(4, 5, 6)));
  assert.equal(queue.bytes, 6);
  assert.deepEqual(queue.take(), Uint8Array.of(1, 2, 3, 4, 5, 6));
  assert.equal(queue.bytes, 0);
  assert.equal(queue.take(), null);
});

Deno.test("OutboundQueue returns null when nothing is queued", () => {
  assert.equal(new OutboundQueue(10).take(), null);
});

Deno.test("OutboundQueue accepts exactly its limit and refuses one byte more", () => {
  const queue = new OutboundQueue(10);
  assert.ok(queue.push(filled(6, 1)));
  assert.ok(queue.push(filled(4, 2)));
  assert.equal(queue.bytes, 10);
  assert.equal(queue.push(Uint8Array.of(3)), false);
  assert.equal(queue.bytes, 10, "a refused push queues nothing");
  assert.deepEqual(queue.take(), Uint8Array.from([...filled(6, 1), ...filled(4, 2)]));
});

Deno.test("OutboundQueue refuses a chunk larger than its limit even when empty", () => {
  const queue = new OutboundQueue(10);
  assert.equal(queue.push(filled(11, 1)), false);
  assert.equal(queue.bytes, 0);
  assert.equal(queue.take(), null);
});

Deno.test("OutboundQueue has room again once its bytes are taken", () => {
  const queue = new OutboundQueue(4);
  assert.ok(queue.push(filled(4, 1)));
  assert.equal(queue.push(filled(1, 2)), false);
  queue.take();
  assert.ok(queue.push(filled(4, 3)));
  assert.deepEqual(queue.take(), filled(4, 3));
});

Deno.test("OutboundQueue force queues past the limit, and push stays refused after it", () => {
  const queue = new OutboundQueue(4);
  assert.ok(queue.push(filled(4, 1)));
  queue.force(Uint8Array.of(9, 9));
  assert.equal(queue.bytes, 6);
  assert.equal(queue.push(Uint8Array.of(7)), false);
  assert.deepEqual(queue.take(), Uint8Array.of(1, 1, 1, 1, 9, 9));
});

Deno.test("OutboundQueue clear drops everything queued", () => {
  const queue = new OutboundQueue(4);
  queue.push(filled(3, 1));
  queue.clear();
  assert.equal(queue.bytes, 0);
  assert.equal(queue.take(), null);
  assert.ok(queue.push(filled(4, 2)));
});

Deno.test("OutboundQueue refuses a limit that is not positive", () => {
  for (const limit of [0, -1, Number.NaN]) {
    assert.throws(() => new OutboundQueue(limit), RangeError);
  }
});
