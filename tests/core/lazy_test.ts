import assert from "node:assert/strict";
import { lazy } from "../../lib/core/lazy.ts";

Deno.test("lazy makes its value on the first call only, and returns that same value after", () => {
  let made = 0;
  const value = lazy(() => ({ n: ++made }));
  assert.equal(made, 0);
  const first = value();
  assert.equal(value(), first);
  assert.equal(made, 1);
});

Deno.test("lazy keeps a value that is falsy, such as undefined or 0", () => {
  let made = 0;
  const zero = lazy(() => {
    made++;
    return 0;
  });
  zero();
  zero();
  assert.equal(made, 1);
});
