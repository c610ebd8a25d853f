/**
 * The dial against odd hubs on real sockets: one that greets only its second connection, one
 * that never greets, one that closes before greeting, and a port nobody listens on.
 */
import assert from "node:assert/strict";
import { DIAL_RETRY_MS, MAX_DIAL_ATTEMPTS } from "../../lib/chat/dial_race.ts";
import { ChatClient } from "../../lib/net/chat_client.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { HubDialer } from "../../lib/net/hub_dialer.ts";
import { until } from "../_until.ts";
import { keyPair, testCerts } from "./_tls_certs.ts";

const utf8 = new TextEncoder();
const HELLO = JSON.stringify({ type: "hello", protocol: 1, server: "odd", heartbeatMs: 15000 });

/** What one accepted connection did: the lines it read, and whether the client closed it. */
interface Seen {
  lines: string[];
  closed: boolean;
}

/**
 * A fake hub: `greet(n)` says whether its `n`th connection (from 1) is greeted; `close(n)`
 * whether it is closed at once instead. A greeted one is welcomed on `login` and says `bye` on
 * `quit`. It records what each connection read. With `tls`, it speaks TLS with that key pair.
 */
function oddHub(behaviour: {
  greet?: (n: number) => boolean;
  close?: (n: number) => boolean;
  tls?: { cert: string; key: string };
}) {
  const address = { hostname: "127.0.0.1", port: 0 };
  const listener = behaviour.tls === undefined
    ? Deno.listen(address)
    : Deno.listenTls({ ...address, ...behaviour.tls });
  const seen: Seen[] = [];
  const conns: Deno.Conn[] = [];
  const serve = async (conn: Deno.Conn, n: number) => {
    const record: Seen = { lines: [], closed: false };
    seen.push(record);
    if (behaviour.close?.(n)) return conn.close();
    const send = (line: string) => conn.write(utf8.encode(line + "\n"));
    if (behaviour.greet?.(n)) await send(HELLO);
    const buffer = new Uint8Array(65536);
    for (let r = await conn.read(buffer); r !== null; r = await conn.read(buffer)) {
      for (const line of new TextDecoder().decode(buffer.subarray(0, r)).trim().split("\n")) {
        record.lines.push(line);
        const request = JSON.parse(line);
        if (request.type === "login") {
          const { id: re, name } = request;
          await send(
            JSON.stringify({ type: "welcome", re, name, users: [name], userCount: 1, ts: 0 }),
          );
        } else if (request.type === "quit") {
          await send(JSON.stringify({ type: "bye", re: request.id }));
        }
      }
    }
    record.closed = true;
  };
  const serving: Promise<void>[] = [];
  const accepting = (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      serving.push(serve(conn, conns.length).catch(() => {}));
    }
  })();
  return {
    port: listener.addr.port,
    seen,
    async stop() {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // Closed already.
        }
      }
      await accepting.catch(() => {});
      await Promise.all(serving);
    },
  };
}

/** The lines that are not the plaintext probe (which every hub ignores). */
function beyondProbe(seen: Seen): string[] {
  return seen.lines.filter((line) => JSON.parse(line).type !== "pong");
}

Deno.test("chat client logs in on a second attempt when the first connection is never greeted", async () => {
  const hub = oddHub({ greet: (n) => n >= 2 });
  try {
    const started = performance.now();
    const client = await ChatClient.open({ host: "127.0.0.1", port: hub.port, reconnect: false });
    const took = performance.now() - started;
    assert.ok(took >= DIAL_RETRY_MS - 5 && took < DIAL_RETRY_MS + 1000, `opened after ${took} ms`);
    await client.login("ann");
    await client.close();
    assert.equal(hub.seen.length, 2);
    // The losing connection was closed, and nothing of a login ever reached it.
    await until(() => hub.seen[0]!.closed);
    assert.deepEqual(beyondProbe(hub.seen[0]!), []);
    assert.equal(JSON.parse(beyondProbe(hub.seen[1]!)[0]!).type, "login");
  } finally {
    await hub.stop();
  }
});

Deno.test("chat client over TLS logs in on a second attempt when the first is never greeted", async () => {
  const { good } = await testCerts();
  const hub = oddHub({ greet: (n) => n >= 2, tls: keyPair(good) });
  try {
    const client = await ChatClient.open({
      host: "127.0.0.1",
      port: hub.port,
      tls: { caCerts: [good.certPem] },
      reconnect: false,
    });
    await client.login("ann");
    await client.close();
    assert.equal(hub.seen.length, 2);
    await until(() => hub.seen[0]!.closed);
    assert.deepEqual(hub.seen[0]!.lines, []);
    assert.equal(JSON.parse(hub.seen[1]!.lines[0]!).type, "login");
  } finally {
    await hub.stop();
  }
});

Deno.test("hub dialer keeps adding connections to a hub that never greets, and closes each when abandoned", async () => {
  const hub = oddHub({});
  try {
    const dialer = new HubDialer({ host: "127.0.0.1", port: hub.port });
    const lastStart = DIAL_RETRY_MS * (2 ** (MAX_DIAL_ATTEMPTS - 1) - 1);
    await until(() => hub.seen.length === MAX_DIAL_ATTEMPTS, lastStart + 2000);
    await new Promise((resolve) => setTimeout(resolve, 2 * DIAL_RETRY_MS));
    assert.equal(hub.seen.length, MAX_DIAL_ATTEMPTS);
    dialer.abandon();
    assert.equal(await dialer.outcome, null);
    await dialer.settled();
    await until(() => hub.seen.every((s) => s.closed));
    assert.ok(hub.seen.every((s) => beyondProbe(s).length === 0));
  } finally {
    await hub.stop();
  }
});

Deno.test("hub dialer fails at once, with no other attempt, when the hub closes before greeting", async () => {
  const hub = oddHub({ close: () => true });
  try {
    const dialer = new HubDialer({ host: "127.0.0.1", port: hub.port });
    const outcome = await dialer.outcome;
    assert.deepEqual(outcome, { kind: "failed", reason: "the hub closed the connection" });
    await dialer.settled();
    await new Promise((resolve) => setTimeout(resolve, DIAL_RETRY_MS + 100));
    assert.equal(hub.seen.length, 1);
  } finally {
    await hub.stop();
  }
});

Deno.test("chat client refused at once fails with CONNECT_FAILED well before the next attempt was due", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const started = performance.now();
  await assert.rejects(
    ChatClient.open({ host: "127.0.0.1", port }),
    (error: ChatError) =>
      error.code === "CONNECT_FAILED" && /connection refused/.test(error.message),
  );
  assert.ok(performance.now() - started < DIAL_RETRY_MS, "refused is final at once");
});
