import assert from "node:assert/strict";
import type { ChatBenchResult } from "../../../bench/chat/chat_bench.ts";
import type { MachineInfo } from "../../../bench/chat/machine_info.ts";
import { renderChatResults, spliceSection, table } from "../../../bench/chat/results_markdown.ts";

const MACHINE: MachineInfo = {
  date: "2025-01-02 03:04 UTC",
  cpu: "Test CPU",
  cores: 2,
  kernel: "6.1",
  deno: "2.9.6",
  ngircd: null,
};

Deno.test("spliceSection replaces only the text between its markers", () => {
  const document = "# R\n\n<!-- a:begin -->\nold\n<!-- a:end -->\n\nkept by hand\n";
  assert.equal(
    spliceSection(document, "a", "new\n"),
    "# R\n\n<!-- a:begin -->\nnew\n<!-- a:end -->\n\nkept by hand\n",
  );
});

Deno.test("spliceSection appends a marked block when the markers are missing", () => {
  assert.equal(
    spliceSection("# R\n", "b", "body"),
    "# R\n\n<!-- b:begin -->\nbody\n<!-- b:end -->\n",
  );
  assert.equal(spliceSection("", "b", "body"), "<!-- b:begin -->\nbody\n<!-- b:end -->\n");
});

Deno.test("table escapes pipes so a cell cannot break the row", () => {
  assert.equal(table(["a", "b"], [["x|y", "z"]]), "| a | b |\n| --- | --- |\n| x\\|y | z |");
});

Deno.test("renderChatResults states the command, machine, skips and failures", () => {
  const result: ChatBenchResult = {
    scenarios: [{
      server: "hub",
      clients: 100,
      shape: "one",
      setup: null,
      kibPerConnection: null,
      kibPerConnectionAtLogin: null,
      fanout: null,
      latency: null,
      error: "Cannot start hub",
    }],
    skipped: ["ngircd: not installed (apt-get install ngircd)"],
    settings: {
      sizes: [100],
      servers: ["hub", "ngircd"],
      shapes: ["one"],
      warmupMs: 1000,
      measureMs: 5000,
      window: 16,
      latencyLoad: 300_000,
      concurrency: 32,
      idleSettleMs: 30_000,
    },
  };
  const text = renderChatResults(result, MACHINE, "deno task bench");
  assert.match(text, /Measured 2025-01-02 03:04 UTC with `deno task bench` on Test CPU, 2 cores/);
  assert.match(text, /Skipped: ngircd: not installed/);
  assert.match(text, /- hub with 100 clients \(rooms: one\) failed: Cannot start hub/);
  assert.match(text, /\| hub \| one \| 100 \| - \| - \| - \| - \|/);
});
