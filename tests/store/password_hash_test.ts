import assert from "node:assert/strict";
import { MAX_PASSWORD_BYTES } from "../../lib/chat/limits.ts";
import { PasswordHasher, SALT_BYTES, SCRYPT_PARAMS } from "../../lib/store/password_hash.ts";

const FAST = { n: 1024, r: 8, p: 1 };

Deno.test("PasswordHasher verifies the password a hash was made from, and no other", async () => {
  const hasher = new PasswordHasher({ params: FAST });
  const stored = await hasher.hash("correct horse");
  assert.equal(stored.salt.length, SALT_BYTES);
  assert.deepEqual(stored.params, FAST);
  assert.equal(await hasher.verify("correct horse", stored), true);
  assert.equal(await hasher.verify("correct horsf", stored), false);
  assert.equal(await hasher.verify("", stored), false);
});

Deno.test("PasswordHasher salts each hash: one password, two different hashes", async () => {
  const hasher = new PasswordHasher({ params: FAST });
  const a = await hasher.hash("same password");
  const b = await hasher.hash("same password");
  assert.notDeepEqual(a.salt, b.salt);
  assert.notDeepEqual(a.hash, b.hash);
});

Deno.test("PasswordHasher checks with the parameters stored, not its own", async () => {
  const old = await new PasswordHasher({ params: FAST }).hash("kept from before");
  const stronger = new PasswordHasher({ params: { n: 2048, r: 8, p: 1 } });
  assert.equal(await stronger.verify("kept from before", old), true);
});

Deno.test("PasswordHasher refuses a password over MAX_PASSWORD_BYTES before hashing", async () => {
  const hasher = new PasswordHasher({ params: FAST });
  await assert.rejects(() => hasher.hash("x".repeat(MAX_PASSWORD_BYTES + 1)), RangeError);
  assert.equal(hasher.running, 0);
  await hasher.hash("é".repeat(MAX_PASSWORD_BYTES / 2));
});

Deno.test("PasswordHasher refuses a stored row asking for more memory than the bound", async () => {
  const hasher = new PasswordHasher({ params: FAST });
  const stored = await hasher.hash("a password");
  await assert.rejects(() =>
    hasher.verify("a password", { ...stored, params: { n: 2 ** 20, r: 8, p: 1 } })
  );
});

Deno.test("PasswordHasher runs at most maxConcurrent hashes at once, the rest in turn", async () => {
  const hasher = new PasswordHasher({ params: FAST, maxConcurrent: 2 });
  const hashes = Array.from({ length: 5 }, (_, i) => hasher.hash(`password ${i}`));
  assert.equal(hasher.running, 2);
  assert.equal(hasher.waiting, 3);
  await Promise.all(hashes);
  assert.equal(hasher.running, 0);
  assert.equal(hasher.waiting, 0);
});

Deno.test("PasswordHasher hashes at the default cost without stalling the event loop", async () => {
  const hasher = new PasswordHasher({ params: SCRYPT_PARAMS });
  let ticks = 0;
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks++;
  }, 1);
  const started = performance.now();
  await hasher.hash("a password of some length");
  const took = performance.now() - started;
  clearInterval(timer);
  assert.ok(ticks >= 5, `the loop ran ${ticks} times in ${took.toFixed(0)} ms`);
  assert.ok(longest < took * 0.5, `longest stall ${longest.toFixed(0)} ms of ${took.toFixed(0)}`);
});
