import assert from "node:assert/strict";
import {
  loadSodiumChaChaPoly,
  SODIUM_PATHS,
  sodiumChaChaPoly,
} from "../../lib/net/sodium_chacha_poly.ts";
import { LIBC_PATHS } from "../../lib/net/libc.ts";
import { NODE_CHACHA_POLY } from "../../lib/rudp/seal/chacha_poly.ts";
import { RFC_8439 } from "../rudp/seal/_rfc8439.ts";

const sodium = sodiumChaChaPoly();
const missing = sodium === null
  ? "no libsodium at any of SODIUM_PATHS with FFI granted (apt-get install libsodium23)"
  : "";
if (missing) console.error(`libsodium tests skipped: ${missing}`);

Deno.test({
  name: "libsodium's ChaCha20-Poly1305 gives RFC 8439's test vector and opens node:crypto's seal",
  ignore: sodium === null,
  fn: () => {
    const { key, nonce, aad, plain, cipherStart, tag } = RFC_8439;
    const out = new Uint8Array(plain.length);
    const mac = new Uint8Array(16);
    sodium!.seal(key, nonce, aad, plain, out, mac);
    assert.deepEqual(out.subarray(0, cipherStart.length), cipherStart);
    assert.deepEqual(mac, tag);
    const fromNode = new Uint8Array(plain.length);
    const nodeMac = new Uint8Array(16);
    NODE_CHACHA_POLY.seal(key, nonce, aad, plain, fromNode, nodeMac);
    const back = new Uint8Array(plain.length);
    assert.ok(sodium!.open(key, nonce, aad, fromNode, nodeMac, back));
    assert.deepEqual(back, plain);
  },
});

Deno.test({
  name: "libsodium's open refuses a flipped bit in the ciphertext, the tag or the header",
  ignore: sodium === null,
  fn: () => {
    const { key, nonce, aad, plain } = RFC_8439;
    const out = new Uint8Array(plain.length);
    const mac = new Uint8Array(16);
    sodium!.seal(key, nonce, aad, plain, out, mac);
    const back = new Uint8Array(plain.length);
    for (const bytes of [out, mac, aad]) {
      bytes[3]! ^= 0x10;
      assert.equal(sodium!.open(key, nonce, aad, out, mac, back), false);
      bytes[3]! ^= 0x10;
    }
    assert.ok(sodium!.open(key, nonce, aad, out, mac, back));
  },
});

Deno.test("no libsodium is loaded from a path FFI is not granted for", () => {
  assert.equal(loadSodiumChaChaPoly(["/nonexistent/libsodium.so.23"]), null);
});

Deno.test("deno.json grants FFI for exactly the paths libsodium and libc are looked for at", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  for (const task of ["server", "client", "test", "compile:server", "compile:client"]) {
    const grant = (config.tasks[task] as string).match(/--allow-ffi=(\S+)/);
    assert.ok(grant !== null, `${task} grants no FFI`);
    assert.deepEqual(grant[1]!.split(","), [...SODIUM_PATHS, ...LIBC_PATHS], task);
  }
});
