import assert from "node:assert/strict";
import type { ChatBenchResult, ScenarioResult } from "../../../bench/chat/chat_bench.ts";
import { count, judgeTargets } from "../../../bench/chat/targets.ts";

function scenario(server: "hub" | "ngircd", clients: number, over: Partial<ScenarioResult> = {}) {
  const cpu = { server: 1, generator: 0.5, background: 0 };
  const result: ScenarioResult = {
    server,
    clients,
    setup: {
      joined: clients,
      failed: 0,
      setupMs: 1000,
      perSecond: clients,
      settleMs: 0,
      reasons: [],
    },
    kibPerConnection: 8,
    kibPerConnectionAtLogin: null,
    fanout: {
      deliveriesPerSecond: 2_000_000,
      messagesPerSecond: 2000,
      silentReceivers: 0,
      lost: 0,
      cpu,
      drainMs: 10,
    },
    latency: {
      seconds: 5,
      offeredPerSecond: 300_000,
      messagesSent: 1500,
      expected: 1_498_500,
      delivered: 1_498_500,
      latency: { count: 1_498_500, p50Ms: 2, p99Ms: 12, p999Ms: 20, maxMs: 25 },
      lost: 0,
      cpu,
    },
    error: null,
    ...over,
  };
  return result;
}

function run(scenarios: ScenarioResult[]): ChatBenchResult {
  const settings = {
    sizes: [1000, 5000],
    servers: ["hub" as const, "ngircd" as const],
    warmupMs: 1,
    measureMs: 1,
    window: 16,
    latencyLoad: 300_000,
    concurrency: 32,
    idleSettleMs: 30_000,
  };
  return { scenarios, skipped: [], settings };
}

Deno.test("judgeTargets passes a run that meets every target", () => {
  const verdicts = judgeTargets(run([
    scenario("hub", 1000),
    scenario("hub", 5000),
    scenario("ngircd", 1000, {
      fanout: { ...scenario("hub", 1).fanout!, deliveriesPerSecond: 1_900_000 },
    }),
  ]));
  assert.deepEqual(verdicts.map((v) => v.met), [true, true, true, true]);
  assert.equal(verdicts[0]!.required, "≥ ngircd in the same run (1,900,000)");
});

Deno.test("judgeTargets fails each target the run missed", () => {
  const slow = scenario("hub", 1000, {
    fanout: { ...scenario("hub", 1).fanout!, deliveriesPerSecond: 1_000_000 },
    latency: {
      ...scenario("hub", 1).latency!,
      latency: { count: 1, p50Ms: 9, p99Ms: 45, p999Ms: 50, maxMs: 60 },
    },
  });
  const fat = scenario("hub", 5000, {
    kibPerConnection: 12.5,
    kibPerConnectionAtLogin: null,
    fanout: { ...slow.fanout!, lost: 3 },
  });
  const verdicts = judgeTargets(run([slow, fat, scenario("ngircd", 1000)]));
  assert.deepEqual(verdicts.map((v) => v.met), [false, false, false, false]);
  assert.equal(verdicts[2]!.measured, "12.5 KiB (5,000 clients)");
  assert.equal(verdicts[3]!.measured, "5,000 joined, 3 dropped, 0 silent");
});

Deno.test("judgeTargets fails the latency target when deliveries went missing", () => {
  const lossy = scenario("hub", 1000, {
    latency: { ...scenario("hub", 1).latency!, delivered: 1_000_000 },
  });
  const verdict = judgeTargets(run([lossy]))[1]!;
  assert.equal(verdict.met, false);
  assert.equal(verdict.measured, "12.0 ms (some deliveries missing)");
});

Deno.test("judgeTargets marks targets it could not measure instead of guessing", () => {
  const verdicts = judgeTargets(run([scenario("hub", 1000)]));
  assert.deepEqual(verdicts.map((v) => v.met), [null, true, true, null]);
  assert.equal(verdicts[0]!.required, "≥ ngircd in the same run (not run)");
});

Deno.test("count writes whole numbers with thousands separators", () => {
  assert.equal(count(1234567.6), "1,234,568");
});
