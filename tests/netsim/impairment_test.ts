import assert from "node:assert/strict";
import { Impairment } from "../../lib/netsim/impairment.ts";
import { Prng } from "../../lib/netsim/prng.ts";

function model(options: ConstructorParameters<typeof Impairment>[0], seed = 1): Impairment {
  const prng = new Prng(seed);
  return new Impairment(options, () => prng.next());
}

Deno.test("Impairment delays every datagram by the one-way delay", () => {
  const m = model({ delayMs: 10 });
  const bytes = new Uint8Array(100);
  assert.deepEqual(m.process(5, bytes), [{ at: 15, bytes }]);
});

Deno.test("Impairment loses about the configured share of datagrams", () => {
  const m = model({ loss: 0.3 });
  let delivered = 0;
  for (let i = 0; i < 10_000; i++) delivered += m.process(i, new Uint8Array(10)).length;
  assert.ok(Math.abs(delivered / 10_000 - 0.7) < 0.02, `${delivered}`);
  assert.equal(m.stats.lost, 10_000 - delivered);
});

Deno.test("Impairment burst loss drops runs of consecutive datagrams", () => {
  const m = model({ burst: { enter: 0.05, exit: 0.2 } });
  let run = 0;
  let longest = 0;
  for (let i = 0; i < 5000; i++) {
    if (m.process(i, new Uint8Array(1)).length === 0) longest = Math.max(longest, ++run);
    else run = 0;
  }
  assert.ok(longest >= 5, `longest run ${longest}`);
});

Deno.test("Impairment drops datagrams over the MTU and duplicates, corrupts and reorders as asked", () => {
  assert.deepEqual(model({ mtu: 100 }).process(0, new Uint8Array(101)), []);
  const dup = model({ duplicate: 1 }).process(0, new Uint8Array(5));
  assert.equal(dup.length, 2);
  const original = new Uint8Array(50);
  const [corrupted] = model({ corrupt: 1 }).process(0, original);
  assert.notDeepEqual(corrupted!.bytes, original);
  assert.ok(original.every((b) => b === 0), "the input was modified");
  const [late] = model({ delayMs: 10, reorder: 1, reorderDelayMs: 7 }).process(0, original);
  assert.equal(late!.at, 17);
});

Deno.test("Impairment setMtu changes the largest datagram carried from then on", () => {
  const m = model({ mtu: 9000 });
  assert.equal(m.process(0, new Uint8Array(8972)).length, 1);
  m.setMtu(1500);
  assert.equal(m.mtu, 1500);
  assert.deepEqual(m.process(1, new Uint8Array(8972)), []);
  assert.equal(m.process(2, new Uint8Array(1500)).length, 1);
  assert.equal(m.stats.mtuDrops, 1);
  m.setMtu(undefined);
  assert.equal(m.process(3, new Uint8Array(65_000)).length, 1);
  assert.throws(() => m.setMtu(0), RangeError);
});

Deno.test("Impairment rate limit serializes datagrams and tail-drops past the queue", () => {
  const m = model({ rateBytesPerSecond: 1_000_000, queueBytes: 3000 }); // 1 byte per µs
  const at = [0, 1, 2, 3].map(() => m.process(0, new Uint8Array(1000)));
  assert.equal(at[0]![0]!.at, 1);
  assert.equal(at[1]![0]!.at, 2);
  assert.equal(at[2]![0]!.at, 3);
  assert.deepEqual(at[3], [], "the fourth datagram exceeded the 3000 byte queue");
  assert.equal(m.stats.queueDrops, 1);
});
