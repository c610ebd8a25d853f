import assert from "node:assert/strict";
import { libc } from "../../lib/net/libc.ts";
import { StalledHandshakes } from "../../lib/net/stalled_handshakes.ts";
import { waitAtMost } from "../../lib/net/waiting.ts";

const ignore = libc() === null;

/** What one read of `conn` gives within a second: "end" for the peer's close, "silent" for none. */
async function readOnce(conn: Deno.Conn): Promise<"end" | "silent" | number> {
  const read = conn.read(new Uint8Array(8)).then((n) => n ?? "end" as const);
  return await waitAtMost(read, 1000) ?? "silent";
}

/** `count` TCP connections to one listener: the client ends and the accepted ends. */
async function pairs(count: number, hostname = "127.0.0.1") {
  const listener = Deno.listen({ hostname, port: 0 });
  const clients: Deno.TcpConn[] = [];
  const accepted: Deno.TcpConn[] = [];
  for (let i = 0; i < count; i++) {
    clients.push(await Deno.connect({ hostname, port: listener.addr.port }));
    accepted.push(await listener.accept());
  }
  listener.close();
  return { clients, accepted, close: () => [...clients, ...accepted].forEach((c) => c.close()) };
}

Deno.test("StalledHandshakes without libc is unavailable and does nothing", () => {
  const stalled = new StalledHandshakes({ library: null });
  assert.equal(stalled.available, false);
  assert.equal(stalled.flush(), 0);
  assert.deepEqual(stalled.stats, { released: 0, missed: 0 });
});

Deno.test({
  name: "StalledHandshakes shuts down just the connections added, in one batch, as their peers see",
  ignore,
  async fn() {
    const { clients, accepted, close } = await pairs(4);
    const stalled = new StalledHandshakes({ delayMs: 10 });
    stalled.add(accepted[1]!);
    stalled.add(accepted[3]!);
    // The batch runs by itself after the delay: the peers of those two read the end.
    assert.equal(await readOnce(clients[1]!), "end");
    assert.equal(await readOnce(clients[3]!), "end");
    assert.deepEqual(stalled.stats, { released: 2, missed: 0 });
    // The others still carry bytes both ways.
    for (const i of [0, 2]) {
      await clients[i]!.write(Uint8Array.of(i));
      assert.equal(await readOnce(accepted[i]!), 1);
      await accepted[i]!.write(Uint8Array.of(i));
      assert.equal(await readOnce(clients[i]!), 1);
    }
    close();
  },
});

Deno.test({
  name: "StalledHandshakes finds an IPv4 peer of a dual-stack socket, and counts one already gone",
  ignore,
  async fn() {
    const listener = Deno.listen({ hostname: "::", port: 0 });
    const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    const accepted = await listener.accept();
    const { clients: [peer], accepted: [gone] } = await pairs(1);
    gone!.close();
    const stalled = new StalledHandshakes();
    stalled.add(accepted);
    stalled.add(gone!);
    assert.equal(stalled.flush(), 1);
    assert.deepEqual(stalled.stats, { released: 1, missed: 1 });
    assert.equal(await readOnce(client), "end");
    client.close();
    accepted.close();
    listener.close();
    peer!.close();
  },
});
