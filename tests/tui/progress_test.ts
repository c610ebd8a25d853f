import assert from "node:assert/strict";
import {
  formatBytes,
  formatDuration,
  formatProgress,
  formatRate,
  type Progress,
} from "../../lib/tui/progress.ts";
import { visibleWidth } from "../../lib/tui/style.ts";

const MiB = 1024 * 1024;

function progress(overrides: Partial<Progress> = {}): Progress {
  return {
    label: "notes.txt",
    done: 12.3 * MiB,
    total: 64 * MiB,
    bytesPerSecond: 5.2 * MiB,
    width: 100,
    ...overrides,
  };
}

Deno.test("formatBytes uses binary units with one decimal", () => {
  const cases: [number, string][] = [
    [0, "0 B"],
    [512, "512 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [12.3 * MiB, "12.3 MiB"],
    [64 * MiB, "64.0 MiB"],
    [1.5 * 1024 * MiB, "1.5 GiB"],
  ];
  for (const [n, text] of cases) assert.equal(formatBytes(n), text);
});

Deno.test("formatBytes moves to the next unit when rounding reaches 1024", () => {
  assert.equal(formatBytes(MiB - 1), "1.0 MiB");
  assert.equal(formatBytes(1023.7), "1.0 KiB");
});

Deno.test("formatBytes rejects negative and non-finite counts", () => {
  assert.throws(() => formatBytes(-1), RangeError);
  assert.throws(() => formatBytes(Number.NaN), RangeError);
});

Deno.test("formatRate shows a known rate per second and marks an unknown one", () => {
  assert.equal(formatRate(5.2 * MiB), "5.2 MiB/s");
  assert.equal(formatRate(0), "0 B/s");
  assert.equal(formatRate(Number.NaN), "-- B/s");
  assert.equal(formatRate(-5), "-- B/s");
});

Deno.test("formatDuration gives m:ss, h:mm:ss past an hour, rounding up", () => {
  assert.equal(formatDuration(0), "0:00");
  assert.equal(formatDuration(7_000), "0:07");
  assert.equal(formatDuration(6_001), "0:07");
  assert.equal(formatDuration(61_000), "1:01");
  assert.equal(formatDuration(3_600_000), "1:00:00");
  assert.equal(formatDuration(3_725_000), "1:02:05");
});

Deno.test("formatProgress shows label, bar, percent, bytes, rate and ETA in one line", () => {
  const line = formatProgress(progress());
  assert.match(line, /^notes\.txt \[=+> +\] {2}19% 12\.3 MiB \/ 64\.0 MiB 5\.2 MiB\/s ETA 0:10$/);
  assert.ok(visibleWidth(line) <= 100);
  assert.ok(!line.includes("\n"));
});

Deno.test("formatProgress fills the bar in proportion to progress", () => {
  const half = formatProgress(progress({ done: 32 * MiB, width: 200 }));
  const bar = /\[(.*)\]/.exec(half)?.[1] ?? "";
  const filled = bar.replace(/ +$/, "").length;
  assert.equal(filled, bar.length / 2);
});

Deno.test("formatProgress treats a total of zero as complete", () => {
  const line = formatProgress(progress({ done: 0, total: 0 }));
  assert.match(line, / 100% 0 B \/ 0 B .* ETA 0:00$/);
});

Deno.test("formatProgress shows an unknown rate and ETA as dashes", () => {
  const line = formatProgress(progress({ bytesPerSecond: Number.NaN }));
  assert.match(line, /-- B\/s ETA --:--$/);
  assert.match(formatProgress(progress({ bytesPerSecond: 0 })), /0 B\/s ETA --:--$/);
});

Deno.test("formatProgress caps at 100% when more than the total arrived", () => {
  const line = formatProgress(progress({ done: 70 * MiB }));
  assert.match(line, /\[=+\] 100% 70\.0 MiB \/ 64\.0 MiB .* ETA 0:00$/);
});

Deno.test("formatProgress keeps percent, sizes, rate and ETA at 40 columns, shrinking the bar", () => {
  for (const width of [40, 39]) {
    const line = formatProgress(progress({ width }));
    assert.ok(visibleWidth(line) <= width, `width ${width}: ${line}`);
    assert.match(line, /\[[=> ]{3,}\] 19% 12\.3M\/64\.0M 5\.2M\/s 0:10$/, line);
  }
  const roomy = formatProgress(progress({ width: 60 }));
  assert.match(roomy, /^notes\.txt \[[=> ]{10,}\] 19% 12\.3M\/64\.0M 5\.2M\/s 0:10$/, roomy);
});

Deno.test("formatProgress drops the bar, then ETA and rate, below 40 columns", () => {
  for (const width of [35, 30, 20, 5, 1]) {
    const line = formatProgress(progress({ width }));
    assert.ok(visibleWidth(line) <= width, `width ${width}: ${line}`);
  }
  const narrow = formatProgress(progress({ width: 30 }));
  assert.ok(!narrow.includes("["), narrow);
  assert.ok(narrow.includes("19%"), narrow);
});

Deno.test("formatProgress measures a wide label by its columns and keeps the bar aligned", () => {
  for (const width of [100, 60, 40]) {
    const line = formatProgress(progress({ label: "日本語のファイル名.txt", width }));
    assert.ok(visibleWidth(line) <= width, `width ${width}: ${line}`);
  }
  const cut = formatProgress(progress({ label: "日本語のファイル名がとても長い.txt", width: 60 }));
  assert.equal(visibleWidth(cut.slice(0, cut.indexOf("["))), 21, cut);
});

Deno.test("formatProgress cuts a long label and makes it printable", () => {
  const line = formatProgress(progress({ label: "a-very-long-file-name-".repeat(5) }));
  assert.ok(line.startsWith("a-very-long-file-name-a-very-lon… ["), line);
  const hostile = formatProgress(progress({ label: "x\x1b[2J\ny" }));
  assert.ok(hostile.startsWith("x^[[2J y "), hostile);
});

Deno.test("formatProgress rejects negative counts and a zero width", () => {
  assert.throws(() => formatProgress(progress({ done: -1 })), RangeError);
  assert.throws(() => formatProgress(progress({ width: 0 })), RangeError);
});
