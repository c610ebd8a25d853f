import assert from "node:assert/strict";
import { sleep, waitAtMost } from "../../../bench/chat/timing.ts";

Deno.test("waitAtMost gives the promise's value when it settles in time", async () => {
  assert.equal(await waitAtMost(Promise.resolve(7), 1_000), 7);
});

Deno.test("waitAtMost gives null when the promise is too slow, leaving no timer behind", async () => {
  const slow = sleep(50).then(() => "late");
  assert.equal(await waitAtMost(slow, 1), null);
  await slow;
});
