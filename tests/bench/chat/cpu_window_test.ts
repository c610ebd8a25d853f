import assert from "node:assert/strict";
import process from "node:process";
import { CpuWindow } from "../../../bench/chat/cpu_window.ts";

Deno.test("CpuWindow sees this process working and the server share as unknown without a pid", async () => {
  const window = new CpuWindow(null);
  const start = performance.now();
  await window.start(start);
  // Work until this process has spent 100 ms of CPU (whatever else the machine is doing), at
  // most 5 s: the window must then see a share of at least 100 ms in 5 s.
  const before = process.cpuUsage();
  let spin = 0;
  while (performance.now() - start < 5000) {
    spin++;
    const used = process.cpuUsage(before);
    if (used.user + used.system >= 100_000) break;
  }
  const shares = await window.stop(performance.now());
  assert.deepEqual(spin > 0, true);
  assert.deepEqual(shares.server, null);
  assert.ok(shares.generator >= 0.02, `generator share ${shares.generator}`);
});
