import assert from "node:assert/strict";
import { measureRow } from "../../../bench/rudp/endpoint_scaling.ts";
import { renderScalingSection, SCALING_HEADING } from "../../../bench/rudp/scaling_report.ts";

Deno.test("endpoint scaling bench measures established transfers, quiet and all active", () => {
  for (const activity of ["one", "all"] as const) {
    const row = measureRow(20, activity, 2_000);
    assert.equal(row.transfers, 20);
    assert.ok(row.datagramsIn > 0 && row.datagramsOut > 0);
    assert.ok(row.datagramsIn + row.datagramsOut >= 2_000);
    assert.ok(row.perDatagramUs > 0 && Number.isFinite(row.perDatagramUs));
  }
});

Deno.test("endpoint scaling section names its command and judges the target against one transfer", () => {
  const row = (transfers: number, perDatagramUs: number) => ({
    transfers,
    activity: "one" as const,
    datagramsIn: 1,
    datagramsOut: 2,
    perDatagramUs,
    perCycleUs: { input: 1, events: 1, transmit: 1, timeout: 1 },
  });
  const section = renderScalingSection({
    date: "2026-01-01T00:00:00Z",
    command: "deno run -A bench/rudp_scaling.ts",
    runs: 1,
    rows: [row(1, 10), row(1000, 11.9)],
    ratios: { one: 1.19, all: 1 },
    busiestBefore: 0,
  });
  assert.ok(section.startsWith(SCALING_HEADING));
  assert.match(section, /`deno run -A bench\/rudp_scaling\.ts`/);
  assert.match(section, /one active: 1000 transfers within 20% of 1 \| 119% \| yes \|/);
  const over = renderScalingSection({
    date: "2026-01-01T00:00:00Z",
    command: "x",
    runs: 1,
    rows: [row(1, 10), row(1000, 12.1)],
    ratios: { one: 1.21, all: 1 },
    busiestBefore: 0,
  });
  assert.match(over, /\| 121% \| no \|/);
});
