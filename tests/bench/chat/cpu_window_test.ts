import assert from "node:assert/strict";
import { CpuWindow } from "../../../bench/chat/cpu_window.ts";

Deno.test("CpuWindow sees this process working and the server share as unknown without a pid", async () => {
  const window = new CpuWindow(null);
  const start = performance.now();
  await window.start(start);
  let spin = 0;
  while (performance.now() - start < 200) spin++;
  const shares = await window.stop(performance.now());
  assert.deepEqual(spin > 0, true);
  assert.deepEqual(shares.server, null);
  assert.deepEqual(shares.generator > 0.3, true);
});
