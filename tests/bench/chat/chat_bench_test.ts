import assert from "node:assert/strict";
import { runChatBench, type ScenarioResult } from "../../../bench/chat/chat_bench.ts";
import { findInspircd, findNgircd, hubHasIrcPort } from "../../../bench/chat/server_process.ts";

const SMALL = {
  sizes: [20],
  warmupMs: 200,
  measureMs: 500,
  latencyLoad: 20_000,
  waitForQuiet: false,
  idleSettleMs: 300,
  progress: () => {},
};

function assertCompleteRun(scenario: ScenarioResult | undefined): void {
  assert.ok(scenario !== undefined);
  assert.equal(scenario.error, null);
  assert.equal(scenario.setup?.joined, 20);
  assert.equal(scenario.setup?.failed, 0);
  assert.equal(typeof scenario.kibPerConnection, "number");
  assert.equal(typeof scenario.kibPerConnectionAtLogin, "number");
  assert.ok(scenario.fanout !== null && scenario.fanout.deliveriesPerSecond > 0);
  assert.equal(scenario.fanout.silentReceivers, 0);
  assert.equal(scenario.fanout.lost, 0);
  // Every message sent reached every other user, once and in order, as checked by each of them.
  const clean = { gaps: 0, duplicates: 0, reordered: 0, malformed: 0 };
  const { delivered, ...faults } = scenario.fanout.checks;
  assert.deepEqual(faults, clean);
  assert.equal(delivered, scenario.fanout.expected);
  assert.ok(delivered > 0);
  assert.ok(scenario.latency !== null && scenario.latency.expected > 0);
  assert.equal(scenario.latency.delivered, scenario.latency.expected);
  assert.equal(scenario.latency.checks.gaps + scenario.latency.checks.duplicates, 0);
  assert.ok(scenario.latency.latency.p99Ms >= scenario.latency.latency.p50Ms);
}

Deno.test("runChatBench logs users into the hub, fans out and times every delivery", async () => {
  const outDir = await Deno.makeTempDir();
  try {
    const result = await runChatBench({ ...SMALL, servers: ["hub"], shapes: ["one"], outDir });
    assert.deepEqual(result.skipped, []);
    assertCompleteRun(result.scenarios[0]);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("runChatBench drives the hub over TLS the same way", async () => {
  const outDir = await Deno.makeTempDir();
  try {
    const result = await runChatBench({ ...SMALL, servers: ["hub-tls"], shapes: ["one"], outDir });
    assert.deepEqual(result.skipped, []);
    assertCompleteRun(result.scenarios[0]);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test({
  name: "runChatBench drives ngircd over IRC the same way",
  ignore: findNgircd() === null,
  async fn() {
    const outDir = await Deno.makeTempDir();
    try {
      const result = await runChatBench({ ...SMALL, servers: ["ngircd"], shapes: ["one"], outDir });
      assertCompleteRun(result.scenarios[0]);
    } finally {
      await Deno.remove(outDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "runChatBench drives inspircd over IRC the same way",
  ignore: findInspircd() === null,
  async fn() {
    const outDir = await Deno.makeTempDir();
    try {
      const result = await runChatBench({
        ...SMALL,
        servers: ["inspircd"],
        shapes: ["one"],
        outDir,
      });
      assertCompleteRun(result.scenarios[0]);
    } finally {
      await Deno.remove(outDir, { recursive: true });
    }
  },
});

Deno.test("runChatBench drives the hub's IRC port when server.ts has one, or says it skipped it", async () => {
  const outDir = await Deno.makeTempDir();
  try {
    const result = await runChatBench({ ...SMALL, servers: ["hub-irc"], shapes: ["one"], outDir });
    if (await hubHasIrcPort()) assertCompleteRun(result.scenarios[0]);
    else {
      assert.deepEqual(result.scenarios, []);
      assert.deepEqual(result.skipped, [
        "hub-irc: server.ts has no --irc-port yet (branch ircwire not merged)",
      ]);
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
