import assert from "node:assert/strict";
import { LoginLockout } from "../../lib/chat/login_lockout.ts";

Deno.test("LoginLockout locks a name at its limit until the oldest failure leaves the window", () => {
  const lockout = new LoginLockout({ perName: 3, perAddress: 100, windowMs: 1000 });
  lockout.failed(0, "ann", "a");
  lockout.failed(100, "ann", "b");
  assert.equal(lockout.retryMs(150, "ann", "c"), 0, "two of three");
  lockout.failed(200, "ann", "c");
  assert.equal(lockout.retryMs(300, "ann", "d"), 700);
  assert.equal(lockout.retryMs(300, "bob", "d"), 0, "other names unaffected");
  assert.equal(lockout.retryMs(1000, "ann", "d"), 0, "free once the first failure is 1 s old");
  lockout.failed(1000, "ann", "d");
  assert.equal(lockout.retryMs(1000, "ann", "d"), 100, "the next oldest now counts");
});

Deno.test("LoginLockout locks an address for every name, other addresses unaffected", () => {
  const lockout = new LoginLockout({ perName: 100, perAddress: 2, windowMs: 1000 });
  lockout.failed(0, "ann", "192.0.2.1");
  lockout.failed(0, null, "192.0.2.1");
  assert.equal(lockout.retryMs(10, "zed", "192.0.2.1"), 990);
  assert.equal(lockout.retryMs(10, null, "192.0.2.1"), 990);
  assert.equal(lockout.retryMs(10, "zed", "192.0.2.2"), 0);
});

Deno.test("LoginLockout forgets failures older than the window", () => {
  const lockout = new LoginLockout({ perName: 2, perAddress: 2, windowMs: 1000 });
  lockout.failed(0, "ann", "a");
  lockout.failed(5000, "ann", "a");
  assert.equal(lockout.retryMs(5000, "ann", "a"), 0, "one failure in the window, not two");
});

Deno.test("LoginLockout remembers at most maxEntries names, dropping the oldest", () => {
  const lockout = new LoginLockout({ perName: 1, perAddress: 1, windowMs: 60_000, maxEntries: 3 });
  for (let i = 0; i < 10; i++) lockout.failed(i, `n${i}`, `a${i}`);
  assert.deepEqual(lockout.size, { names: 3, addresses: 3 });
  assert.equal(lockout.retryMs(10, "n9", null), 59_999);
  assert.equal(lockout.retryMs(10, "n0", null), 0, "the oldest was forgotten");
});
