/**
 * Benchmark phase three: senders offer a fixed load, each message carrying its send time;
 * every receiver parses every line and records receive time minus send time.
 * @module
 */

import { type BenchClient, countLines } from "./bench_client.ts";
import type { ClientPool } from "./client_pool.ts";
import { readStamp, stampText } from "./dialect.ts";
import { FANOUT_TEXT } from "./fanout_phase.ts";
import type { LatencyReport } from "./generator_messages.ts";
import { LatencyHistogram } from "./latency_histogram.ts";
import { CpuWindow } from "./cpu_window.ts";
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
  const receivers = pool.clients.length - 1;
  const senders = pool.senders();
  if (receivers < 1 || senders.length === 0) throw new RangeError("Too few clients to time");
  const window: Window = { fromUs: Infinity, toUs: Infinity };
  const histogram = timeDeliveries(pool, window);
  const perSenderPerMs = options.deliveriesPerSecond / receivers / senders.length / 1000;
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
  const expected = pacer.sentInWindow * receivers;
  await waitForDeliveries(pool, expected);
  for (const client of pool.clients) client.onChunk = countLines;
  const seconds = (closed - opened) / 1000;
  return {
    seconds,
    offeredPerSecond: expected / seconds,
    messagesSent: pacer.sentInWindow,
    expected,
    delivered: histogram.count,
    latency: histogram.summary(),
    lost: pool.lostCount(),
    cpu: cpuShares,
  };
}

/** Makes every user time every message sent inside `window`; returns where the times go. */
function timeDeliveries(pool: ClientPool, window: Window): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const client of pool.clients) {
    client.received = 0;
    client.onChunk = (self, chunk) => {
      // Lines read together arrived together: one clock reading serves them all.
      const nowUs = performance.now() * 1000;
      self.scanner.split(chunk, (line) => {
        if (!pool.dialect.isMessage(line)) return;
        const sentUs = readStamp(line);
        if (sentUs < window.fromUs || sentUs >= window.toUs) return;
        self.received++;
        histogram.record(nowUs - sentUs);
      });
    };
  }
  return histogram;
}

/** Sends on a schedule: each sender owes `perSenderPerMs` messages per ms since the start. */
class Pacer {
  /** Messages sent inside the window, all senders together. */
  sentInWindow = 0;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(pool: ClientPool, senders: BenchClient[], perSenderPerMs: number, window: Window) {
    const start = performance.now();
    const sent = new Array<number>(senders.length).fill(0);
    this.#timer = setInterval(() => {
      const now = performance.now();
      // Receivers judge the window by the stamp itself, so the pacer must too.
      const stampUs = Math.round(now * 1000);
      const text = stampText(stampUs, FANOUT_TEXT.length);
      const inWindow = stampUs >= window.fromUs && stampUs < window.toUs;
      senders.forEach((client, i) => {
        // Senders are staggered by a fraction of a message so they do not all fire together.
        const due = Math.floor((now - start) * perSenderPerMs + i / senders.length) - sent[i]!;
        if (due <= 0) return;
        const texts = new Array<string>(due).fill(text);
        client.send(pool.dialect.say(texts, sent[i]! + 1, NO_EXTRA_ACKS));
        sent[i]! += due;
        if (inWindow) this.sentInWindow += due;
      });
    }, PACER_TICK_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

async function waitForDeliveries(pool: ClientPool, expected: number): Promise<void> {
  const start = performance.now();
  while (pool.totalReceived() < expected) {
    const now = performance.now();
    // Nothing for a while means the rest is not coming (dropped or lost connections).
    if (now - start >= LATENCY_DRAIN_MAX_MS || now - pool.lastReadAt >= GIVE_UP_QUIET_MS) break;
    await sleep(10);
  }
}
