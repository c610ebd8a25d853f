/**
 * What keeping history costs the hub's fan-out: the in-process hub (no sockets) relaying `say`s
 * to a room of N members, every recipient's output taken as the driver would, with history off
 * and on. On, every message's `store` action is carried out on a real store in a temporary
 * directory (an append in memory), and the batches the store's timer would write are written
 * every `MAX_BATCH_ITEMS` messages, inside the timed loop: the whole cost lands on the hub's
 * thread, as it does in the server. Prints µs per delivery (one message to one recipient).
 *
 * With `--no-write`, the batches are left pending (the store keeps them in memory): the cost of
 * the hub's side alone (ids, `store` actions, appends).
 *
 * Run: deno run --allow-read --allow-write bench/hub_history.ts [--members N] [--messages N]
 *   [--rounds N] [--no-write]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Hub } from "../lib/chat/hub.ts";
import type { ConnId } from "../lib/chat/hub_types.ts";
import { MAX_BATCH_ITEMS } from "../lib/core/flush_policy.ts";
import { carryOutHistory } from "../lib/store/history_actions.ts";
import { HistoryStore } from "../lib/store/mod.ts";

const TEXT = "a message of about the length people type in a chat, say sixty chars";
const utf8 = new TextEncoder();

interface Setup {
  hub: Hub;
  conns: ConnId[];
  store: HistoryStore | null;
  dir: string | null;
}

/** A hub with `members` users logged in to #lobby, history kept or not. */
function setUp(members: number, history: boolean): Setup {
  const dir = history ? Deno.makeTempDirSync({ prefix: "bench-hub-history-" }) : null;
  // Batches are written by the loop below, at the points the store's timer would write them.
  const store = dir === null ? null : HistoryStore.open(dir, { batching: { maxAgeMs: 3_600_000 } });
  const hub = new Hub({
    rate: null,
    maxClients: members + 1,
    maxPerAddress: members + 1,
    maxUnauthenticated: members + 1,
    wallClock: () => Date.now(),
    ...(store === null ? {} : { history: { nextId: store.lastId + 1, replay: 0 } }),
  });
  const conns: ConnId[] = [];
  for (let i = 0; i < members; i++) {
    const conn = hub.connect(0);
    hub.receive(conn, utf8.encode(`{"type":"login","name":"u${i}","protocol":3}\n`), 0);
    conns.push(conn);
  }
  const setup = { hub, conns, store, dir };
  pump(setup);
  for (const conn of conns) hub.takeOutput(conn);
  return setup;
}

/** Carries out the hub's actions: history on the store, writes by taking the output. */
function pump(setup: Setup): void {
  const { hub, store } = setup;
  for (let action = hub.pollAction(); action !== null; action = hub.pollAction()) {
    if (action.kind === "write") hub.takeOutput(action.conn);
    else if (store !== null && (action.kind === "store" || action.kind === "history")) {
      carryOutHistory(store, action, { reply: () => {}, log: (r) => console.error(r) });
    }
  }
}

/** Relays `messages` says from rotating senders; returns µs per delivery. */
function run(setup: Setup, messages: number, write: boolean): number {
  const { hub, conns, store } = setup;
  const lines = conns.map((_, i) => utf8.encode(`{"type":"say","text":"${TEXT} ${i}"}\n`));
  const start = performance.now();
  for (let i = 0; i < messages; i++) {
    const sender = i % conns.length;
    hub.receive(conns[sender]!, lines[sender]!, 1);
    pump(setup);
    if (store !== null && store.pending >= MAX_BATCH_ITEMS && write) store.flush();
  }
  if (write) store?.flush();
  const elapsed = performance.now() - start;
  return (elapsed * 1000) / (messages * (conns.length - 1));
}

function tearDown(setup: Setup): void {
  setup.hub.shutdown(2);
  setup.store?.close();
  if (setup.dir !== null) Deno.removeSync(setup.dir, { recursive: true });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      members: { type: "string", default: "100" },
      messages: { type: "string", default: "20000" },
      rounds: { type: "string", default: "5" },
      "no-write": { type: "boolean", default: false },
    },
  });
  const members = Number(values.members);
  const messages = Number(values.messages);
  const off: number[] = [];
  const on: number[] = [];
  // Alternating rounds, so that the machine's drift (JIT, other load) falls on both alike.
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const history of [false, true]) {
      const setup = setUp(members, history);
      (history ? on : off).push(run(setup, messages, !values["no-write"]));
      tearDown(setup);
    }
  }
  const [a, b] = [median(off), median(on)];
  console.log(
    `${members} members, ${messages} messages x ${values.rounds} rounds` +
      `${values["no-write"] ? " (batches not written)" : ""}: ` +
      `history off ${a.toFixed(3)} µs/delivery, on ${b.toFixed(3)} µs/delivery ` +
      `(${(((b - a) / a) * 100).toFixed(1)}%)`,
  );
}

if (import.meta.main) main();
