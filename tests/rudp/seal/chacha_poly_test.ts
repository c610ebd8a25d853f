import assert from "node:assert/strict";
import { NODE_CHACHA_POLY } from "../../../lib/rudp/seal/chacha_poly.ts";
import { RFC_8439 } from "./_rfc8439.ts";

Deno.test("node:crypto's ChaCha20-Poly1305 gives RFC 8439's AEAD test vector and opens it", () => {
  const { key, nonce, aad, plain, cipherStart, tag } = RFC_8439;
  const out = new Uint8Array(plain.length);
  const mac = new Uint8Array(16);
  NODE_CHACHA_POLY.seal(key, nonce, aad, plain, out, mac);
  assert.deepEqual(out.subarray(0, cipherStart.length), cipherStart);
  assert.deepEqual(mac, tag);
  const back = new Uint8Array(plain.length);
  assert.ok(NODE_CHACHA_POLY.open(key, nonce, aad, out, mac, back));
  assert.deepEqual(back, plain);
  out[5]! ^= 1;
  assert.equal(NODE_CHACHA_POLY.open(key, nonce, aad, out, mac, back), false);
});
