/**
 * Benchmark phase one: connect and log in every user, a bounded number at a time.
 * @module
 */

import type { BenchClient } from "./bench_client.ts";
import type { ClientPool } from "./client_pool.ts";
import type { SetupState } from "./dialect.ts";
import type { SetupReport } from "./generator_messages.ts";
import { placeUser, type ShapeName } from "./room_shape.ts";

/** A user not in the room this long after connecting counts as failed. */
export const LOGIN_TIMEOUT_MS = 60_000;
/** Longest wait for the join notices to stop flowing after the last login. */
export const SETTLE_MAX_MS = 60_000;
const MAX_REASONS = 5;

/** Settings of {@linkcode setUp}. */
export interface SetupOptions {
  /** Users to connect. */
  clients: number;
  /** Logins in progress at once. */
  concurrency: number;
  /** How users are spread over rooms (default: all in one). */
  shape?: ShapeName;
}

/** Connects and logs in users until `clients` have tried; reports the rate of success. */
export async function setUp(pool: ClientPool, options: SetupOptions): Promise<SetupReport> {
  const reasons = new Map<string, number>();
  const shape = options.shape ?? "one";
  const home = pool.dialect.homeRoom;
  let next = 0;
  let failed = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < options.clients) {
      const index = next++;
      const result = await joinOne(pool, `c${index}`, placeUser(shape, index, home));
      if (typeof result === "string") {
        failed++;
        reasons.set(result, (reasons.get(result) ?? 0) + 1);
      } else {
        pool.adopt(result);
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, options.clients));
  await Promise.all(Array.from({ length: workers }, worker));
  const setupMs = performance.now() - start;
  pool.startKeepalive();
  const settleMs = await pool.settle(SETTLE_MAX_MS);
  const joined = pool.clients.length;
  return {
    joined,
    failed,
    setupMs,
    perSecond: setupMs > 0 ? joined / (setupMs / 1000) : 0,
    settleMs,
    reasons: [...reasons].slice(0, MAX_REASONS).map(([reason, n]) => `${reason} (x${n})`),
  };
}

/** Connects one user and waits until it is in its rooms; returns it, or why it failed. */
async function joinOne(
  pool: ClientPool,
  nick: string,
  placement: { rooms: string[]; talksIn: string },
): Promise<BenchClient | string> {
  let client: BenchClient;
  try {
    client = await pool.connect(nick);
  } catch (error) {
    return `connect: ${error instanceof Error ? error.message : String(error)}`;
  }
  const outcome = Promise.withResolvers<string | null>();
  const timer = setTimeout(() => outcome.resolve("no login in time"), LOGIN_TIMEOUT_MS);
  let settled = false;
  const state: SetupState = { rooms: placement.rooms, joined: 0 };
  client.onChunk = (self, chunk) => {
    self.scanner.split(chunk, (line) => {
      if (settled) return;
      const step = pool.dialect.setupLine(line, state);
      if (step.kind === "send") self.send(step.bytes);
      if (step.kind === "done" || step.kind === "refused") {
        settled = true;
        outcome.resolve(step.kind === "done" ? null : step.reason);
      }
    });
  };
  client.ended.then((reason) => outcome.resolve(reason));
  client.send(pool.dialect.greet(nick));
  const failure = await outcome.promise;
  clearTimeout(timer);
  if (failure !== null) {
    client.close();
    return failure;
  }
  client.rooms = placement.rooms;
  client.talksIn = placement.talksIn;
  client.onChunk = pool.reader;
  return client;
}
