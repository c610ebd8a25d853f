import assert from "node:assert/strict";
import { DayChange } from "../../lib/cli/day_change.ts";

Deno.test("DayChange says nothing within a day and names the new day once it turns", () => {
  const days = new DayChange(new Date(2025, 10, 25, 9, 0).getTime());
  assert.equal(days.check(new Date(2025, 10, 25, 23, 59, 59).getTime()), null);
  assert.equal(
    days.check(new Date(2025, 10, 26, 0, 0, 1).getTime()),
    "--- Day changed to Wednesday 2025-11-26",
  );
  assert.equal(days.check(new Date(2025, 10, 26, 8, 0).getTime()), null, "said once");
  assert.equal(
    days.check(new Date(2026, 0, 1, 0, 0).getTime()),
    "--- Day changed to Thursday 2026-01-01",
  );
  assert.equal(days.check(Number.NaN), null);
});
