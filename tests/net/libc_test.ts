import assert from "node:assert/strict";
import { libc, loadLibc } from "../../lib/net/libc.ts";

Deno.test("loadLibc loads nothing from a path FFI is not granted for", () => {
  assert.equal(loadLibc(["/nonexistent/libc.so.6"]), null);
});

Deno.test({
  name: "libc reports a buffer's address through memmove, as the batch layout needs",
  ignore: libc() === null,
  fn() {
    const c = libc()!;
    const block = new Uint8Array(4096);
    const start = BigInt(c.address_of(block, block, 0n));
    assert.equal(BigInt(c.address_of(block.subarray(100), block, 0n)) - start, 100n);
    block.set([1, 2, 3, 4], 8);
    const out = new Uint8Array(4);
    c.read_at(out, start + 8n, 4n);
    assert.deepEqual(out, Uint8Array.of(1, 2, 3, 4));
  },
});
