import assert from "node:assert/strict";
import { crc32 } from "../../../lib/rudp/wire/crc32.ts";

Deno.test("crc32 matches the standard check value and is unsigned", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  assert.ok(crc32(new Uint8Array([0xff, 0xff, 0xff, 0xff])) > 0);
});
