import assert from "node:assert/strict";
import { ClientPool } from "../../../bench/chat/client_pool.ts";
import { hubDialect } from "../../../bench/chat/hub_dialect.ts";
import { setUp } from "../../../bench/chat/setup_phase.ts";

const utf8 = new TextEncoder();

/** A server that greets each connection with `reply`, then closes it if `close` says so. */
function fakeServer(reply: (n: number) => string, close: boolean) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const serving = (async () => {
    let n = 0;
    for await (const conn of listener) {
      conns.push(conn);
      await conn.write(utf8.encode(reply(n++)));
      if (close) conn.close();
    }
  })();
  return {
    port: listener.addr.port,
    async stop() {
      listener.close();
      await serving;
      if (!close) { for (const conn of conns) conn.close(); }
    },
  };
}

Deno.test("setUp counts users the server refuses and says why", async () => {
  const server = fakeServer(() => '{"type":"error","code":"SERVER_FULL","message":"Full"}\n', true);
  const pool = new ClientPool(hubDialect, server.port);
  try {
    const report = await setUp(pool, { clients: 3, concurrency: 2 });
    assert.equal(report.joined, 0);
    assert.equal(report.failed, 3);
    assert.deepEqual(report.reasons, ["SERVER_FULL (x3)"]);
  } finally {
    pool.closeAll();
    await server.stop();
  }
});

Deno.test("setUp counts a server that hangs up before the welcome as a failure", async () => {
  const server = fakeServer(() => '{"type":"hello","protocol":1}\n', true);
  const pool = new ClientPool(hubDialect, server.port);
  try {
    const report = await setUp(pool, { clients: 2, concurrency: 2 });
    assert.equal(report.joined, 0);
    assert.equal(report.failed, 2);
    assert.deepEqual(report.reasons, ["closed by the server (x2)"]);
  } finally {
    pool.closeAll();
    await server.stop();
  }
});

Deno.test("setUp adopts welcomed users in order and reports a positive rate", async () => {
  const server = fakeServer(() => '{"type":"hello"}\n{"type":"welcome","users":[]}\n', false);
  const pool = new ClientPool(hubDialect, server.port);
  try {
    const report = await setUp(pool, { clients: 4, concurrency: 1 });
    assert.equal(report.joined, 4);
    assert.equal(report.failed, 0);
    assert.ok(report.perSecond > 0);
    assert.deepEqual(pool.clients.map((client) => client.nick), ["c0", "c1", "c2", "c3"]);
  } finally {
    pool.closeAll();
    await server.stop();
  }
});
