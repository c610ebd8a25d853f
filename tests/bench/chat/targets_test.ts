import assert from "node:assert/strict";
import type {
  ChatBenchResult,
  ScenarioResult,
  ServerName,
} from "../../../bench/chat/chat_bench.ts";
import { count, cpuUsPerDelivery, judgeTargets } from "../../../bench/chat/targets.ts";

const CLEAN = { delivered: 1000, gaps: 0, duplicates: 0, reordered: 0, malformed: 0 };

/** A scenario whose server used `cores` at 1,000,000 deliveries/s at full speed and 100,000 fixed. */
function scenario(
  server: ServerName,
  clients: number,
  cores: number,
  over: Partial<ScenarioResult> = {},
): ScenarioResult {
  const cpu = { server: cores, generator: 0.5, background: 0 };
  return {
    server,
    clients,
    shape: "one",
    setup: { joined: clients, failed: 0, setupMs: 1, perSecond: 3000, settleMs: 0, reasons: [] },
    kibPerConnection: 8,
    kibPerConnectionAtLogin: 8,
    fanout: {
      deliveriesPerSecond: 1_000_000,
      messagesPerSecond: 2000,
      silentReceivers: 0,
      lost: 0,
      cpu,
      drainMs: 10,
      expected: 1000,
      checks: CLEAN,
      latency: { count: 1, p50Ms: 1, p99Ms: 2, p999Ms: 3, maxMs: 4 },
    },
    latency: {
      seconds: 5,
      offeredPerSecond: 100_000,
      messagesSent: 5000,
      expected: 500_000,
      delivered: 500_000,
      latency: { count: 500_000, p50Ms: 2, p99Ms: 12, p999Ms: 20, maxMs: 25 },
      lost: 0,
      cpu: { ...cpu, server: cores / 10 },
      checks: CLEAN,
    },
    error: null,
    ...over,
  };
}

function run(scenarios: ScenarioResult[]): ChatBenchResult {
  const settings = {
    sizes: [100, 1000, 5000],
    servers: ["hub" as const, "ngircd" as const],
    shapes: ["one" as const],
    warmupMs: 1,
    measureMs: 1,
    window: 16,
    latencyLoad: 100_000,
    concurrency: 32,
    idleSettleMs: 30_000,
  };
  return { scenarios, skipped: [], settings };
}

function everySize(server: ServerName, cores: number): ScenarioResult[] {
  return [100, 1000, 5000].map((clients) => scenario(server, clients, cores));
}

Deno.test("cpuUsPerDelivery divides the server's CPU by its deliveries", () => {
  const s = scenario("hub", 100, 0.5);
  assert.equal(cpuUsPerDelivery(s, "full"), 0.5);
  assert.equal(cpuUsPerDelivery(s, "fixed"), 0.5);
  assert.equal(cpuUsPerDelivery(null, "full"), null);
});

Deno.test("judgeTargets passes a run that meets every target", () => {
  const verdicts = judgeTargets(run([
    ...everySize("hub", 0.5),
    ...everySize("hub-irc", 0.6),
    ...everySize("hub-tls", 0.8),
    ...everySize("ngircd", 0.7),
    ...everySize("inspircd", 0.9),
  ]));
  // Six CPU rows, logins, memory, history (not measured), checks, TLS.
  assert.deepEqual(verdicts.map((v) => v.met), [
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    null,
    true,
    true,
  ]);
  assert.equal(verdicts[0]!.required, "≤ the better IRC server's (ngircd: 0.70 µs)");
  assert.equal(verdicts[0]!.measured, "hub: 0.50 µs, hub-irc: 0.60 µs");
});

Deno.test("judgeTargets fails the CPU target when either port spends more than the best IRC server", () => {
  const verdicts = judgeTargets(run([
    ...everySize("hub", 0.5),
    ...everySize("hub-irc", 0.8),
    ...everySize("ngircd", 0.7),
  ]));
  assert.deepEqual(verdicts.slice(0, 6).map((v) => v.met), [
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
});

Deno.test("judgeTargets fails slow logins, fat connections and any delivery fault", () => {
  const slow = scenario("hub", 5000, 0.5, {
    setup: { joined: 5000, failed: 0, setupMs: 1, perSecond: 1500, settleMs: 0, reasons: [] },
    kibPerConnectionAtLogin: 12.5,
  });
  const gappy = scenario("hub", 100, 0.5);
  gappy.fanout!.checks = { ...CLEAN, gaps: 2, reordered: 1 };
  const verdicts = judgeTargets(run([slow, gappy]));
  assert.equal(verdicts[6]!.met, false);
  assert.equal(verdicts[6]!.measured, "hub: 1,500/s");
  assert.equal(verdicts[7]!.met, false);
  assert.equal(verdicts[7]!.measured, "12.5 KiB (5,000 clients)");
  assert.equal(verdicts[9]!.met, false);
  assert.match(verdicts[9]!.measured, /2 gaps, 0 duplicates, 1 reordered, 0 bad, 0 missing/);
});

Deno.test("judgeTargets counts deliveries that never came as missing", () => {
  const short = scenario("hub", 100, 0.5);
  short.fanout!.expected = 1500;
  const verdict = judgeTargets(run([short]))[9]!;
  assert.equal(verdict.met, false);
  assert.match(verdict.measured, /500 missing/);
});

Deno.test("judgeTargets marks targets it could not measure instead of guessing", () => {
  const verdicts = judgeTargets(run([scenario("hub", 1000, 0.5)]));
  assert.equal(verdicts[2]!.met, null);
  assert.equal(verdicts[2]!.required, "≤ the better IRC server's (none measured)");
  assert.equal(verdicts[0]!.measured, "not measured");
  assert.equal(verdicts[6]!.met, null);
});

Deno.test("judgeTargets compares CPU per delivery with history on to hub-nohist, within 10%", () => {
  const within = judgeTargets(run([
    scenario("hub", 1000, 0.54),
    scenario("hub-nohist", 1000, 0.5),
  ]))[8]!;
  assert.equal(within.target, "Fan-out with history on");
  assert.equal(within.measured, "1,000: 1.08×");
  assert.equal(within.met, true);
  const over = judgeTargets(run([
    ...everySize("hub", 0.56),
    ...everySize("hub-nohist", 0.5),
  ]))[8]!;
  assert.equal(over.measured, "100: 1.12×, 1,000: 1.12×, 5,000: 1.12×");
  assert.equal(over.met, false);
  assert.equal(judgeTargets(run([scenario("hub", 1000, 0.5)]))[8]!.met, null);
});

Deno.test("count writes whole numbers with thousands separators", () => {
  assert.equal(count(1234567.6), "1,234,568");
});

Deno.test("judgeTargets wants the fan-out over TLS at 1,000 clients at least 70% of plaintext", () => {
  const at = (server: ServerName, deliveries: number) => {
    const s = scenario(server, 1000, 0.5);
    s.fanout!.deliveriesPerSecond = deliveries;
    return s;
  };
  const tlsOf = (scenarios: ScenarioResult[]) => judgeTargets(run(scenarios)).at(-1)!;
  assert.equal(tlsOf([at("hub", 1_000_000), at("hub-tls", 700_000)]).met, true);
  const slow = tlsOf([at("hub", 1_000_000), at("hub-tls", 690_000)]);
  assert.equal(slow.met, false);
  assert.equal(slow.measured, "69% (690,000 vs 1,000,000 deliveries/s)");
  assert.equal(tlsOf([at("hub", 1_000_000)]).met, null);
});
