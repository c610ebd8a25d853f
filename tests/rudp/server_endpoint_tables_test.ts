// The endpoint's tables: one timer heap across connections and grants, ready queues for
// transmits and events, and nothing that walks every connection. Connection methods are
// wrapped to see which connections each endpoint call touches.
import assert from "node:assert/strict";
import { Connection } from "../../lib/rudp/connection/connection.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { Pair, shortPacketFor } from "./_pair.ts";
import { PatternSource } from "./_transfer.ts";
import { TEST_KEY } from "./_keys.ts";

type Counted = "handleTimeout" | "pollTransmit" | "pollEvent" | "handlePacket";

/** Every server-side connection, and the calls each got, while installed. */
class ConnectionSpy {
  readonly live = new Set<Connection>();
  readonly calls = new Map<Connection, Record<Counted, number>>();
  readonly #restore: (() => void)[] = [];

  constructor() {
    const live = this.live;
    const count = (conn: Connection, name: Counted) => {
      if (live.has(conn)) this.#count(conn)[name]++;
    };
    const proto = Connection.prototype;
    const listen = proto.listen;
    proto.listen = function (this: Connection, listener) {
      live.add(this);
      return listen.call(this, listener);
    };
    this.#restore.push(() => proto.listen = listen);
    for (const name of ["handleTimeout", "pollTransmit", "pollEvent", "handlePacket"] as const) {
      const original = proto[name] as (...args: unknown[]) => unknown;
      (proto as unknown as Record<string, unknown>)[name] = function (
        this: Connection,
        ...args: unknown[]
      ) {
        count(this, name);
        return original.apply(this, args);
      };
      this.#restore.push(() => (proto as unknown as Record<string, unknown>)[name] = original);
    }
  }

  /** The connection of a transfer. */
  of(transferId: number): Connection {
    const conn = [...this.live].find((c) => c.config.transferId === transferId);
    if (conn === undefined) throw new Error(`No connection for transfer ${transferId}`);
    return conn;
  }

  /** Connections that got any call since the last reset. */
  touched(name: Counted): Connection[] {
    return [...this.calls].filter(([, c]) => c[name] > 0).map(([conn]) => conn);
  }

  reset(): void {
    this.calls.clear();
  }

  uninstall(): void {
    for (const restore of this.#restore) restore();
  }

  #count(conn: Connection): Record<Counted, number> {
    let counts = this.calls.get(conn);
    if (counts === undefined) {
      counts = { handleTimeout: 0, pollTransmit: 0, pollEvent: 0, handlePacket: 0 };
      this.calls.set(conn, counts);
    }
    return counts;
  }
}

function withSpy(run: (spy: ConnectionSpy) => void): void {
  const spy = new ConnectionSpy();
  try {
    run(spy);
  } finally {
    spy.uninstall();
  }
}

/** The earliest deadline, found the slow way: every open connection, every pending grant. */
function naiveEarliest(spy: ConnectionSpy, grants: Map<number, number>): number | null {
  const all = [...spy.live].filter((c) => !c.isClosed).map((c) => c.pollTimeout());
  all.push(...grants.values());
  const set = all.filter((at): at is number => at !== null);
  return set.length === 0 ? null : Math.min(...set);
}

Deno.test("server endpoint's pollTimeout is the earliest deadline of every connection and grant, after any mix of inputs", () => {
  for (let seed = 1; seed <= 6; seed++) {
    withSpy((spy) => {
      const prng = new Prng(seed);
      const pair = new Pair({
        seed,
        transfers: Array.from({ length: 12 }, (_, i) => ({
          direction: i % 3 === 0 ? "upload" as const : "download" as const,
          size: 20_000 + Math.floor(prng.next() * 400_000),
        })),
        transport: { receiveWindowBytes: 64 * 1024 },
      });
      const grants = new Map<number, number>(); // extra grants, never used: id → expiry
      let nextId = 1000;
      pair.pump();
      for (let step = 0; step < 300; step++) {
        const choice = prng.next();
        const client = pair.clients[Math.floor(prng.next() * pair.clients.length)]!;
        if (choice < 0.1) {
          const expiresAt = pair.now + Math.floor(prng.next() * 3000);
          pair.endpoint.expect({
            transferId: nextId,
            token: new Uint8Array(16).fill(1),
            key: TEST_KEY,
            direction: "download",
            size: 10,
            source: new PatternSource(),
            expiresAt,
          });
          grants.set(nextId++, expiresAt);
        } else if (choice < 0.15 && grants.size > 0) {
          const [id] = grants.keys();
          pair.endpoint.cancel(id!, pair.now);
          grants.delete(id!);
        } else if (choice < 0.2) {
          pair.endpoint.cancel(client.transferId, pair.now);
        } else if (choice < 0.25) {
          client.connection.close(pair.now);
        } else if (choice < 0.35) {
          client.frozen = !client.frozen; // a silent client: probes, then give-ups
        } else if (choice < 0.45) {
          pair.holdClientEvents = !pair.holdClientEvents; // windows fill: flow-control blocks
        } else if (choice < 0.6) {
          // A timeout call at a time that is not a deadline.
          pair.now += prng.next() * 50;
          pair.endpoint.handleTimeout(pair.now);
        } else {
          pair.step(1 + prng.next() * 200);
        }
        for (const [id, at] of grants) if (at <= pair.now && choice >= 0.45) grants.delete(id);
        assert.equal(
          pair.endpoint.pollTimeout(),
          naiveEarliest(spy, grants),
          `seed ${seed} step ${step}`,
        );
      }
    });
  }
});

Deno.test("server endpoint's handleTimeout runs only the connections whose deadline passed", () => {
  withSpy((spy) => {
    const pair = new Pair({
      transfers: Array.from({ length: 40 }, (_, i) => ({
        direction: i % 2 === 0 ? "upload" as const : "download" as const,
        size: 50_000 + i * 10_000,
      })),
    });
    pair.pump();
    let calls = 0;
    // Until every connection is gone: their close and drain timers run too.
    while (pair.endpoint.stats().connections > 0 && pair.now < 60_000) {
      const next = pair.endpoint.pollTimeout();
      assert.notEqual(next, null);
      pair.now = Math.max(pair.now, next!);
      const due = [...spy.live].filter((c) =>
        !c.isClosed && (c.pollTimeout() ?? Infinity) <= pair.now
      );
      spy.reset();
      pair.endpoint.handleTimeout(pair.now);
      const touched = spy.touched("handleTimeout");
      assert.deepEqual(new Set(touched), new Set(due));
      for (const conn of touched) assert.equal(spy.calls.get(conn)!.handleTimeout, 1);
      calls += touched.length;
      for (const c of pair.clients) c.connection.handleTimeout(pair.now);
      pair.pump();
    }
    assert.ok(pair.clients.every((c) => pair.completed(c.transferId)));
    assert.ok(calls >= 20, `only ${calls} timeouts ran`); // at least each upload's drain
  });
});

Deno.test("server endpoint: a datagram for one of 100 quiet transfers touches only that transfer", () => {
  withSpy((spy) => {
    const pair = new Pair({
      transfers: Array.from({ length: 100 }, () => ({ direction: "upload", size: 1e9 })),
    });
    pair.pump(2); // every handshake completes, every client sends its first window
    for (const c of pair.clients) c.frozen = true; // then every client goes quiet
    pair.now += 100;
    pair.endpoint.handleTimeout(pair.now); // the server's delayed ACKs
    for (let out = pair.endpoint.pollTransmit(pair.now); out;) {
      out = pair.endpoint.pollTransmit(pair.now);
    }
    while (pair.endpoint.pollEvent() !== null);
    const quietUntil = pair.endpoint.pollTimeout()!;
    assert.ok(quietUntil > pair.now + 10_000, "the transfers are not quiet");

    spy.reset();
    const client = pair.clients[41]!;
    client.connection.close(pair.now);
    for (let b = client.connection.pollTransmit(pair.now); b;) {
      pair.endpoint.handleDatagram(pair.now, b, client.address);
      b = client.connection.pollTransmit(pair.now);
    }
    const sent = [];
    for (let out = pair.endpoint.pollTransmit(pair.now); out;) {
      sent.push(out);
      out = pair.endpoint.pollTransmit(pair.now);
    }
    const events = [];
    for (let e = pair.endpoint.pollEvent(); e; e = pair.endpoint.pollEvent()) events.push(e);
    pair.endpoint.handleTimeout(pair.now + 1); // nothing is due yet
    const conn = spy.of(client.transferId);
    assert.deepEqual(spy.touched("handlePacket"), [conn]);
    assert.deepEqual(spy.touched("pollTransmit"), [conn]);
    assert.deepEqual(spy.touched("pollEvent"), [conn]);
    assert.deepEqual(spy.touched("handleTimeout"), []);
    assert.ok(sent.length >= 1 && sent.every((out) => out.to === client.address));
    assert.ok(events.some((e) => e.transferId === client.transferId && e.kind === "failed"));

    // Its drain ends first: only it runs then.
    spy.reset();
    const drainEnd = pair.endpoint.pollTimeout()!;
    assert.ok(drainEnd < quietUntil);
    pair.endpoint.handleTimeout(drainEnd);
    assert.deepEqual(spy.touched("handleTimeout"), [conn]);
  });
});

Deno.test("server endpoint: a closed transfer leaves every table, and nothing calls it again", () => {
  withSpy((spy) => {
    const pair = new Pair({
      transfers: [
        { direction: "download", size: 300_000 },
        { direction: "upload", size: 300_000 },
        { direction: "upload", size: 1e9 },
      ],
    });
    pair.pump(2);
    pair.clients[2]!.frozen = true; // a quiet transfer that stays
    pair.endpoint.expect({
      transferId: 50,
      token: new Uint8Array(16),
      key: TEST_KEY,
      direction: "download",
      size: 1,
      source: new PatternSource(),
      expiresAt: 100,
    });
    pair.endpoint.expect({
      transferId: 51,
      token: new Uint8Array(16),
      key: TEST_KEY,
      direction: "download",
      size: 1,
      source: new PatternSource(),
      expiresAt: 1e12,
    });
    pair.endpoint.cancel(51, 0);
    pair.runUntil(() =>
      pair.now > 100 && [1, 2].every((id) => pair.eventsOf(id).some((e) => e.kind === "closed"))
    );
    assert.ok(pair.completed(1) && pair.completed(2));
    assert.ok(pair.eventsOf(50).some((e) => e.kind === "failed" && e.code === "GRANT_EXPIRED"));
    assert.ok(pair.eventsOf(51).some((e) => e.kind === "failed" && e.code === "CANCELLED"));
    const stats = pair.endpoint.stats();
    assert.deepEqual(
      {
        connections: stats.connections,
        pendingGrants: stats.pendingGrants,
        scheduled: stats.scheduled,
        withEvents: stats.withEvents,
      },
      { connections: 1, pendingGrants: 0, scheduled: 1, withEvents: 0 },
    );
    assert.ok(stats.readyToSend <= 1);
    assert.equal(pair.endpoint.transferStats(1), null);
    assert.equal(pair.endpoint.transferStats(2), null);

    const closed = [spy.of(1), spy.of(2)];
    spy.reset();
    const before = pair.endpoint.stats().dropped.UNKNOWN_CONNECTION;
    pair.endpoint.handleDatagram(
      pair.now,
      shortPacketFor(pair.clients[0]!, 9_999, [{ type: "ping" }]),
      pair.clients[0]!.address,
    );
    assert.equal(pair.endpoint.stats().dropped.UNKNOWN_CONNECTION, before + 1);
    for (let i = 0; i < 50; i++) pair.step();
    for (const conn of closed) assert.equal(spy.calls.get(conn), undefined);
  });
});
