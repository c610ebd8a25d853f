import assert from "node:assert/strict";
import { parsePerfReport } from "../../../bench/chat/perf_report.ts";

Deno.test("parsePerfReport reads share and place, skipping comments and call graphs", () => {
  const text = [
    "# Samples: 999 of event 'cpu-clock'",
    "#",
    "    47.50%  [kernel.kallsyms]",
    "     3.40%  [k] _raw_spin_unlock_irqrestore",
    "            |--2.48%--sock_def_readable",
    "",
    "     0.20%  [JIT] tid 19582",
  ].join("\n");
  assert.deepEqual(parsePerfReport(text), [
    { share: 0.475, where: "[kernel.kallsyms]" },
    { share: 0.034, where: "[k] _raw_spin_unlock_irqrestore" },
    { share: 0.002, where: "[JIT] tid 19582" },
  ]);
});
