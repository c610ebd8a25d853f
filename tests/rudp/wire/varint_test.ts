import assert from "node:assert/strict";
import { MAX_VARINT, readVarint, varintSize, writeVarint } from "../../../lib/rudp/wire/varint.ts";

Deno.test("varint round-trips boundary values with the expected sizes", () => {
  const cases: [number, number][] = [
    [0, 1],
    [63, 1],
    [64, 2],
    [16383, 2],
    [16384, 4],
    [2 ** 30 - 1, 4],
    [2 ** 30, 8],
    [2 ** 40 + 5, 8],
    [MAX_VARINT, 8],
  ];
  for (const [value, size] of cases) {
    const buf = new Uint8Array(8);
    assert.equal(varintSize(value), size);
    assert.equal(writeVarint(buf, 0, value), size);
    assert.deepEqual(readVarint(buf, 0), [value, size]);
  }
});

Deno.test("readVarint returns null on truncated input or values beyond 2^53", () => {
  assert.equal(readVarint(new Uint8Array([0x40]), 0), null);
  assert.equal(readVarint(new Uint8Array(0), 0), null);
  assert.equal(
    readVarint(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 0),
    null,
  );
});

Deno.test("writeVarint throws RangeError on negative, fractional or oversized values", () => {
  assert.throws(() => writeVarint(new Uint8Array(8), 0, -1), RangeError);
  assert.throws(() => writeVarint(new Uint8Array(8), 0, 1.5), RangeError);
  assert.throws(() => writeVarint(new Uint8Array(1), 0, 300), RangeError);
});
