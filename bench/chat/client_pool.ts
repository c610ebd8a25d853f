/**
 * All the simulated users of one generator run, and what applies to all of them at once:
 * keep-alives, counters, waiting for the server to go quiet.
 * @module
 */

import { BenchClient, type ChunkHandler } from "./bench_client.ts";
import type { Dialect } from "./dialect.ts";
import { type DeliveryCounts, sumCounts } from "./delivery_checker.ts";
import { readDeliveries } from "./read_deliveries.ts";
import { sleep } from "./timing.ts";

/** How many users talk, unless told otherwise. */
export const SENDERS = 10;
/** How often every user sends the dialect's keep-alive: well inside the hub's 15 s heartbeat. */
export const KEEPALIVE_INTERVAL_MS = 5_000;
/** The server counts as quiet once nothing has arrived for this long. */
export const QUIET_MS = 300;
const POLL_MS = 25;

/** Settings of a {@linkcode ClientPool}. */
export interface ClientPoolOptions {
  /** The server's process id, for CPU figures (default: unknown). */
  serverPid?: number | null;
  /** How many of the users send (default {@linkcode SENDERS}). */
  senders?: number;
  /** The hub's certificate (PEM): users speak TLS, trusting it (default: plaintext). */
  caCert?: string;
}

/**
 * The users of one run. The first `senders` users are the senders; every user receives.
 */
export class ClientPool {
  /** The protocol spoken. */
  readonly dialect: Dialect;
  /** The server's TCP port on 127.0.0.1. */
  readonly port: number;
  /** The server's process id, or `null`. */
  readonly serverPid: number | null;
  /** Users connected so far, in login order. */
  readonly clients: BenchClient[] = [];
  /** Bytes read by all users. */
  bytesIn = 0;
  /** How users read between phases: every line parsed and checked, no phase told. */
  readonly reader: ChunkHandler;
  readonly #senders: number;
  readonly #caCert: string | undefined;
  #lastReadAt = 0;
  #keepalive: ReturnType<typeof setInterval> | null = null;

  /**
   * @param dialect the protocol spoken
   * @param port the server's port on 127.0.0.1
   */
  constructor(dialect: Dialect, port: number, options: ClientPoolOptions = {}) {
    this.dialect = dialect;
    this.port = port;
    this.serverPid = options.serverPid ?? null;
    this.#senders = options.senders ?? SENDERS;
    this.#caCert = options.caCert;
    this.reader = readDeliveries(dialect);
  }

  /** When anything last arrived, on the `performance.now()` clock. */
  get lastReadAt(): number {
    return this.#lastReadAt;
  }

  /** Connects one more user (not yet logged in). */
  async connect(nick: string): Promise<BenchClient> {
    return await BenchClient.connect(this.port, nick, {
      ...(this.#caCert === undefined ? {} : { caCert: this.#caCert }),
      onRead: (bytes) => {
        this.bytesIn += bytes;
        this.#lastReadAt = performance.now();
      },
    });
  }

  /** Adds a user that is in the room. */
  adopt(client: BenchClient): void {
    this.clients.push(client);
  }

  /** The users who send: the first ones to have joined. */
  senders(): BenchClient[] {
    return this.clients.slice(0, this.#senders);
  }

  /** Sums the deliveries counted by all users. */
  totalReceived(): number {
    let total = 0;
    for (const client of this.clients) total += client.received;
    return total;
  }

  /** The delivery checks of all users, summed. */
  totalCounts(): DeliveryCounts {
    return sumCounts(this.clients.map((client) => client.checker.counts()));
  }

  /**
   * How many users get each message of `sender`: the others in the room it talks in. A user
   * that did not log in is in no room, so this counts who should receive, not who was asked.
   */
  recipientsOf(sender: BenchClient): number {
    return this.clients.filter((c) => c !== sender && c.rooms.includes(sender.talksIn)).length;
  }

  /** Users in the room whose connection has ended (only the server ends them before the end). */
  lostCount(): number {
    return this.clients.filter((client) => client.closedBecause !== null).length;
  }

  /** Starts sending keep-alives from every user. */
  startKeepalive(): void {
    this.#keepalive ??= setInterval(() => {
      const bytes = this.dialect.keepalive();
      for (const client of this.clients) client.send(bytes);
    }, KEEPALIVE_INTERVAL_MS);
  }

  /**
   * Waits until nothing has arrived for {@linkcode QUIET_MS} (or `maxMs` passed);
   * returns how long that took, quiet period excluded.
   */
  async settle(maxMs: number): Promise<number> {
    const start = performance.now();
    for (;;) {
      const now = performance.now();
      if (now - this.#lastReadAt >= QUIET_MS || now - start >= maxMs) {
        return Math.max(0, Math.min(this.#lastReadAt, now) - start);
      }
      await sleep(POLL_MS);
    }
  }

  /** Stops the keep-alives and closes every connection. */
  closeAll(): void {
    if (this.#keepalive !== null) clearInterval(this.#keepalive);
    this.#keepalive = null;
    for (const client of this.clients) {
      if (client.closedBecause === null) client.close();
    }
  }
}
