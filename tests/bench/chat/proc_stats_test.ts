import assert from "node:assert/strict";
import {
  CpuWindow,
  parseCpuMs,
  parseMachineCpuMs,
  parseRssKib,
  readRssKib,
} from "../../../bench/chat/proc_stats.ts";

Deno.test("parseRssKib reads VmRSS from a status text", () => {
  assert.deepEqual(
    parseRssKib("Name:\tdeno\nVmPeak:\t 999 kB\nVmRSS:\t   34888 kB\nRssAnon: 1 kB\n"),
    34888,
  );
  assert.deepEqual(parseRssKib("Name:\tkthreadd\n"), null);
});

Deno.test("parseCpuMs adds utime and stime even when the command name holds spaces", () => {
  const rest = "S 1 1 1 0 -1 4194304 3143 0 0 0 250 50 0 0 20 0 5 0 83183 18517819392 8828";
  assert.deepEqual(parseCpuMs(`4242 (my (odd) name) ${rest}`), 3000);
  assert.deepEqual(parseCpuMs("4242 (short)"), null);
});

Deno.test("parseMachineCpuMs separates busy time from idle and iowait", () => {
  const stat = "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\n";
  assert.deepEqual(parseMachineCpuMs(stat), { busy: 1500, total: 10000 });
  assert.deepEqual(parseMachineCpuMs("intr 1 2 3\n"), null);
});

Deno.test("readRssKib reads a live process and gives null for one that does not exist", async () => {
  const rss = await readRssKib(Deno.pid);
  assert.deepEqual(typeof rss === "number" && rss > 1000, true);
  assert.deepEqual(await readRssKib(2 ** 22 + 12345), null);
});

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
