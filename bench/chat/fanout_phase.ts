/**
 * Benchmark phase two: senders talk as fast as the server takes it, each keeping a bounded
 * window of unacknowledged messages; receivers count the lines they get.
 * @module
 */

import { type BenchClient, countLines } from "./bench_client.ts";
import type { ClientPool } from "./client_pool.ts";
import type { FanoutReport } from "./generator_messages.ts";
import { CpuWindow } from "./cpu_window.ts";
import { sleep } from "./timing.ts";

/** Text of every full-speed message: 32 characters, as a short chat line. */
export const FANOUT_TEXT = "the quick brown fox jumps over..";
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

/** Runs the senders flat out and measures the deliveries per second in the window. */
export async function runFanout(pool: ClientPool, options: FanoutOptions): Promise<FanoutReport> {
  for (const client of pool.clients) {
    client.received = 0;
    client.onChunk = countLines;
  }
  const senders = new WindowedSenders(pool, options.window);
  senders.start();
  await sleep(options.warmupMs);
  const cpu = new CpuWindow(pool.serverPid);
  const opened = snapshot(pool, senders);
  await cpu.start(opened.at);
  await sleep(options.measureMs);
  const closed = snapshot(pool, senders);
  const cpuShares = await cpu.stop(closed.at);
  const drainStart = performance.now();
  await senders.stop(DRAIN_MAX_MS);
  await pool.settle(DRAIN_MAX_MS);
  const seconds = (closed.at - opened.at) / 1000;
  return {
    deliveriesPerSecond: (closed.received - opened.received) / seconds,
    messagesPerSecond: (closed.acked - opened.acked) / seconds,
    silentReceivers: pool.clients.filter((c, i) => c.received === opened.perClient[i]).length,
    lost: pool.lostCount(),
    cpu: cpuShares,
    drainMs: Math.max(0, pool.lastReadAt - drainStart),
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
  readonly #states = new Map<BenchClient, { sent: number; acked: number }>();
  #running = false;

  constructor(pool: ClientPool, window: number) {
    this.#pool = pool;
    this.#window = Math.max(1, Math.floor(window));
    this.#ackEvery = ackInterval(this.#window);
  }

  /** Messages acknowledged so far, all senders together. */
  get acked(): number {
    let acked = 0;
    for (const state of this.#states.values()) acked += state.acked;
    return acked;
  }

  start(): void {
    this.#running = true;
    const dialect = this.#pool.dialect;
    for (const client of this.#pool.senders()) {
      const state = { sent: 0, acked: 0 };
      this.#states.set(client, state);
      client.onChunk = (self, chunk) => {
        self.scanner.split(chunk, (line) => {
          const acked = dialect.ackedThrough(line, state.acked);
          if (acked >= 0) state.acked = acked;
          else if (dialect.isMessage(line)) self.received++;
        });
        this.#refill(self, state);
      };
      this.#refill(client, state);
    }
  }

  /** Stops topping up and waits (at most `maxMs`) for every message to be acknowledged. */
  async stop(maxMs: number): Promise<void> {
    this.#running = false;
    const start = performance.now();
    const pending = () =>
      [...this.#states].some(([client, s]) => client.closedBecause === null && s.acked < s.sent);
    while (pending() && performance.now() - start < maxMs) await sleep(10);
  }

  #refill(client: BenchClient, state: { sent: number; acked: number }): void {
    const room = this.#window - (state.sent - state.acked);
    if (!this.#running || room < this.#ackEvery) return;
    const texts = new Array<string>(room).fill(FANOUT_TEXT);
    client.send(this.#pool.dialect.say(texts, state.sent + 1, this.#ackEvery));
    state.sent += room;
  }
}

interface Snapshot {
  at: number;
  received: number;
  acked: number;
  perClient: number[];
}

function snapshot(pool: ClientPool, senders: WindowedSenders): Snapshot {
  return {
    at: performance.now(),
    received: pool.totalReceived(),
    acked: senders.acked,
    perClient: pool.clients.map((client) => client.received),
  };
}
