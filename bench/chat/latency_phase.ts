/**
 * Benchmark phase three: senders offer a fixed load, each message carrying its send time;
 * every receiver parses and checks every line and times every message.
 * @module
 */

import type { BenchClient } from "./bench_client.ts";
import type { ClientPool } from "./client_pool.ts";
import { diffCounts } from "./delivery_checker.ts";
import { MESSAGE_CHARS } from "./fanout_phase.ts";
import type { LatencyReport } from "./generator_messages.ts";
import { LatencyHistogram } from "./latency_histogram.ts";
import { CpuWindow } from "./cpu_window.ts";
import { messageText } from "./message_text.ts";
import { readDeliveries } from "./read_deliveries.ts";
import { sleep } from "./timing.ts";

/** How often the pacer wakes to send what is due (timers sleep at least about this long). */
export const PACER_TICK_MS = 1;
/** Longest wait for late deliveries after senders stop. */
export const LATENCY_DRAIN_MAX_MS = 30_000;
/** Late deliveries are given up on once nothing at all has arrived for this long. */
export const GIVE_UP_QUIET_MS = 2_000;
// Acknowledgements are not needed here; IRC asks for one per batch anyway, like the hub's ok.
const NO_EXTRA_ACKS = Number.MAX_SAFE_INTEGER;

/** Settings of {@linkcode runLatency}. */
export interface LatencyOptions {
  /** Deliveries per second to offer, summed over all receivers. */
  deliveriesPerSecond: number;
  /** Running time before the measurement window opens. */
  warmupMs: number;
  /** Length of the measurement window. */
  measureMs: number;
}

/** The send times, in µs, whose messages are timed: [from, to). */
interface Window {
  fromUs: number;
  toUs: number;
}

/** Offers the load, waits for stragglers, and reports the latency of messages sent in the window. */
export async function runLatency(
  pool: ClientPool,
  options: LatencyOptions,
): Promise<LatencyReport> {
  const senders = pool.senders();
  const recipients = senders.map((sender) => pool.recipientsOf(sender));
  const perMessage = recipients.reduce((a, b) => a + b, 0);
  if (perMessage < 1) throw new RangeError("Too few clients to time");
  const window: Window = { fromUs: Infinity, toUs: Infinity };
  const histogram = timeDeliveries(pool, window);
  const begun = pool.totalCounts();
  // Every sender sends at the same rate; together their messages make the offered load.
  const perSenderPerMs = options.deliveriesPerSecond / perMessage / 1000;
  const pacer = new Pacer(pool, senders, perSenderPerMs, window);
  await sleep(options.warmupMs);
  const cpu = new CpuWindow(pool.serverPid);
  const opened = performance.now();
  window.fromUs = opened * 1000;
  await cpu.start(opened);
  await sleep(options.measureMs);
  const closed = performance.now();
  window.toUs = closed * 1000;
  const cpuShares = await cpu.stop(closed);
  pacer.stop();
  const expected = pacer.sentInWindow.reduce((sum, sent, i) => sum + sent * recipients[i]!, 0);
  await waitForDeliveries(histogram, expected, pool);
  for (const client of pool.clients) client.onChunk = pool.reader;
  const seconds = (closed - opened) / 1000;
  return {
    seconds,
    offeredPerSecond: expected / seconds,
    messagesSent: pacer.sentInWindow.reduce((a, b) => a + b, 0),
    expected,
    delivered: histogram.count,
    latency: histogram.summary(),
    lost: pool.lostCount(),
    cpu: cpuShares,
    checks: diffCounts(pool.totalCounts(), begun),
  };
}

/** Makes every user time every message sent inside `window`; returns where the times go. */
function timeDeliveries(pool: ClientPool, window: Window): LatencyHistogram {
  const histogram = new LatencyHistogram();
  const reader = readDeliveries(pool.dialect, {
    onDelivery: (_client, sentUs, nowUs) => {
      if (sentUs >= window.fromUs && sentUs < window.toUs) histogram.record(nowUs - sentUs);
    },
  });
  for (const client of pool.clients) client.onChunk = reader;
  return histogram;
}

/** Sends on a schedule: each sender owes `perSenderPerMs` messages per ms since the start. */
class Pacer {
  /** Messages sent inside the window, per sender. */
  readonly sentInWindow: number[];
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(pool: ClientPool, senders: BenchClient[], perSenderPerMs: number, window: Window) {
    const start = performance.now();
    const sent = new Array<number>(senders.length).fill(0);
    this.sentInWindow = new Array<number>(senders.length).fill(0);
    this.#timer = setInterval(() => {
      const now = performance.now();
      // Receivers judge the window by the stamp itself, so the pacer must too.
      const stampUs = Math.round(now * 1000);
      const inWindow = stampUs >= window.fromUs && stampUs < window.toUs;
      senders.forEach((client, i) => {
        // Senders are staggered by a fraction of a message so they do not all fire together.
        const due = Math.floor((now - start) * perSenderPerMs + i / senders.length) - sent[i]!;
        if (due <= 0) return;
        const seq = client.sent + 1;
        const texts = Array.from(
          { length: due },
          (_, k) => messageText(seq + k, stampUs, MESSAGE_CHARS),
        );
        client.send(pool.dialect.say(client.talksIn, texts, seq, NO_EXTRA_ACKS));
        client.sent += due;
        sent[i]! += due;
        if (inWindow) this.sentInWindow[i]! += due;
      });
    }, PACER_TICK_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

async function waitForDeliveries(
  histogram: LatencyHistogram,
  expected: number,
  pool: ClientPool,
): Promise<void> {
  const start = performance.now();
  while (histogram.count < expected) {
    const now = performance.now();
    // Nothing for a while means the rest is not coming (dropped or lost connections).
    if (now - start >= LATENCY_DRAIN_MAX_MS || now - pool.lastReadAt >= GIVE_UP_QUIET_MS) break;
    await sleep(10);
  }
}
