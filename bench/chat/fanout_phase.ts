/**
 * Benchmark phase two: senders talk as fast as the server takes it, each keeping a bounded
 * window of unacknowledged messages; every receiver parses and checks every message.
 * @module
 */

import type { BenchClient } from "./bench_client.ts";
import type { ClientPool } from "./client_pool.ts";
import { diffCounts } from "./delivery_checker.ts";
import type { FanoutReport } from "./generator_messages.ts";
import { CpuWindow } from "./cpu_window.ts";
import { LatencyHistogram } from "./latency_histogram.ts";
import { messageText } from "./message_text.ts";
import { readDeliveries } from "./read_deliveries.ts";
import { sleep } from "./timing.ts";

/** Length of every message text: 32 characters, as a short chat line. */
export const MESSAGE_CHARS = 32;
/** Longest wait for the server to acknowledge and deliver its backlog once senders stop. */
export const DRAIN_MAX_MS = 30_000;

/** How often senders ask for an acknowledgement where it is optional (IRC): 4 per window. */
export function ackInterval(window: number): number {
  return Math.max(1, Math.floor(window / 4));
}

/** Settings of {@linkcode runFanout}. */
export interface FanoutOptions {
  /** Running time before the measurement window opens. */
  warmupMs: number;
  /** Length of the measurement window. */
  measureMs: number;
  /** Unacknowledged messages each sender keeps in flight. */
  window: number;
}

/** Runs the senders flat out and measures the checked deliveries per second in the window. */
export async function runFanout(pool: ClientPool, options: FanoutOptions): Promise<FanoutReport> {
  const histogram = new LatencyHistogram();
  const senders = new WindowedSenders(pool, options.window);
  const reader = readDeliveries(pool.dialect, {
    onDelivery: (_client, sentUs, nowUs) => histogram.record(nowUs - sentUs),
    afterRead: (client) => senders.refill(client),
  });
  for (const client of pool.clients) client.onChunk = reader;
  const begun = { counts: pool.totalCounts(), expected: senders.expected() };
  senders.start();
  await sleep(options.warmupMs);
  const cpu = new CpuWindow(pool.serverPid);
  const opened = snapshot(pool);
  await cpu.start(opened.at);
  await sleep(options.measureMs);
  const closed = snapshot(pool);
  const cpuShares = await cpu.stop(closed.at);
  const drainStart = performance.now();
  await senders.stop(DRAIN_MAX_MS);
  await pool.settle(DRAIN_MAX_MS);
  for (const client of pool.clients) client.onChunk = pool.reader;
  const seconds = (closed.at - opened.at) / 1000;
  const checks = diffCounts(pool.totalCounts(), begun.counts);
  return {
    deliveriesPerSecond: (closed.received - opened.received) / seconds,
    messagesPerSecond: (closed.acked - opened.acked) / seconds,
    silentReceivers: pool.clients.filter((c, i) => c.received === opened.perClient[i]).length,
    lost: pool.lostCount(),
    cpu: cpuShares,
    drainMs: Math.max(0, pool.lastReadAt - drainStart),
    expected: senders.expected() - begun.expected,
    checks,
    latency: histogram.summary(),
  };
}

/**
 * The senders of a full-speed run: each tops its window up whenever acknowledgements free
 * at least `ackEvery` places, in one write.
 */
class WindowedSenders {
  readonly #pool: ClientPool;
  readonly #window: number;
  readonly #ackEvery: number;
  readonly #senders: Map<BenchClient, number>;
  #running = false;

  constructor(pool: ClientPool, window: number) {
    this.#pool = pool;
    this.#window = Math.max(1, Math.floor(window));
    this.#ackEvery = ackInterval(this.#window);
    // Each sender with the number of users who get its messages.
    this.#senders = new Map(pool.senders().map((client) => [client, pool.recipientsOf(client)]));
  }

  /** Deliveries owed for every message sent so far, all senders together. */
  expected(): number {
    let expected = 0;
    for (const [client, recipients] of this.#senders) expected += client.sent * recipients;
    return expected;
  }

  start(): void {
    this.#running = true;
    for (const client of this.#senders.keys()) this.refill(client);
  }

  /** Stops topping up and waits (at most `maxMs`) for every message to be acknowledged. */
  async stop(maxMs: number): Promise<void> {
    this.#running = false;
    const start = performance.now();
    const pending = () =>
      [...this.#senders.keys()].some((c) => c.closedBecause === null && c.acked < c.sent);
    while (pending() && performance.now() - start < maxMs) await sleep(10);
  }

  /** Tops up `client`'s window if it is a sender and enough of it is free. */
  refill(client: BenchClient): void {
    const room = this.#window - (client.sent - client.acked);
    if (!this.#running || room < this.#ackEvery || !this.#senders.has(client)) return;
    const nowUs = performance.now() * 1000;
    const seq = client.sent + 1;
    const texts = Array.from(
      { length: room },
      (_, i) => messageText(seq + i, nowUs, MESSAGE_CHARS),
    );
    client.send(this.#pool.dialect.say(client.talksIn, texts, seq, this.#ackEvery));
    client.sent += room;
  }
}

interface Snapshot {
  at: number;
  received: number;
  acked: number;
  perClient: number[];
}

function snapshot(pool: ClientPool): Snapshot {
  let acked = 0;
  for (const client of pool.senders()) acked += client.acked;
  return {
    at: performance.now(),
    received: pool.totalReceived(),
    acked,
    perClient: pool.clients.map((client) => client.received),
  };
}
