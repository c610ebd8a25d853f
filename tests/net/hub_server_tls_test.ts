import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { HubOptions, LogRecord } from "../../lib/chat/hub_types.ts";
import { MAX_UNAUTHENTICATED } from "../../lib/chat/limits.ts";
import { HubServer, type HubServerOptions } from "../../lib/net/hub_server.ts";
import { waitAtMost } from "../../lib/net/waiting.ts";
import { LineClient } from "./_line_client.ts";
import { acceptedFds } from "./_open_fds.ts";
import { keyPair, testCerts } from "./_tls_certs.ts";
import { until } from "../_until.ts";

const { good } = await testCerts();
const trust = { caCerts: [good.certPem] };

function startTlsServer(
  hubOptions: HubOptions = {},
  options: HubServerOptions & { logs?: LogRecord[] } = {},
): HubServer {
  const hub = new Hub({ rate: null, maxPerAddress: 2000, ...hubOptions });
  const logs = options.logs;
  return new HubServer(hub, {
    port: 0,
    tls: keyPair(good),
    ...(logs === undefined ? {} : { log: (record) => logs.push(record) }),
    ...options,
  });
}

/**
 * Reads what the peer sends until it closes or `ms` pass; `closed` says which (each read is
 * bounded, so a peer that stays silent cannot hold the test).
 */
async function readToEnd(conn: Deno.Conn, ms = 3000): Promise<Answer> {
  const chunks: number[] = [];
  const buffer = new Uint8Array(4096);
  const deadline = Date.now() + ms;
  for (;;) {
    const read = conn.read(buffer).then((n) => n ?? EOF, () => EOF);
    const n = await waitAtMost(read, Math.max(0, deadline - Date.now()));
    if (n === null || n === EOF) return { bytes: Uint8Array.from(chunks), closed: n === EOF };
    chunks.push(...buffer.subarray(0, n));
  }
}

const EOF = -1;

interface Answer {
  bytes: Uint8Array;
  closed: boolean;
}

Deno.test("hub server over TLS greets, logs in and relays, and tells the hub it is secure", async () => {
  const logs: LogRecord[] = [];
  const server = startTlsServer({}, { logs });
  assert.equal(server.secure, true);
  const ann = await LineClient.login(server.port, "ann", trust);
  const bob = await LineClient.login(server.port, "bob", trust);
  await ann.send({ type: "say", id: 1, text: "over tls" });
  assert.equal((await bob.nextOfType("message")).text, "over tls");
  const connects = logs.filter((r) => r.event === "connect");
  assert.equal(connects.length, 2);
  assert.ok(connects.every((r) => r.detail === "tls"), JSON.stringify(connects));
  await Promise.all([ann.close(), bob.close()]);
  await server.shutdown();
});

Deno.test("hub server on a plaintext port does not call its connections secure", async () => {
  const logs: LogRecord[] = [];
  const server = new HubServer(new Hub(), { port: 0, log: (r) => logs.push(r) });
  assert.equal(server.secure, false);
  const ann = await LineClient.login(server.port, "ann");
  const connect = logs.find((r) => r.event === "connect");
  assert.equal(connect?.detail, undefined);
  await ann.close();
  await server.shutdown();
});

Deno.test("hub server TLS port never answers a plaintext login in plaintext (no downgrade)", async () => {
  const logs: LogRecord[] = [];
  const server = startTlsServer({}, { logs });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await conn.write(new TextEncoder().encode('{"type":"login","name":"mallory","protocol":3}\n'));
  const answer = await readToEnd(conn);
  conn.close();
  // A TLS alert record (type 21, version 3.x), then the close: never a JSON line.
  assert.ok(answer.closed, "the TLS port closes the connection");
  assert.equal(answer.bytes[0], 21);
  assert.equal(answer.bytes[1], 3);
  const text = new TextDecoder().decode(answer.bytes);
  assert.ok(!text.includes("{"), `plaintext answer: ${text}`);
  await until(() => logs.some((r) => r.event === "tls_failed"));
  assert.ok(!logs.some((r) => r.event === "login"), "nobody logged in");
  await server.shutdown();
});

Deno.test("hub server drops TLS garbage on its TLS port and goes on serving", async () => {
  const logs: LogRecord[] = [];
  const server = startTlsServer({}, { logs });
  const garbage = new Uint8Array(3000).map((_, i) => (i * 7919 + 13) & 0xff);
  // A whole handshake record (its length says 2,995 bytes) of noise.
  garbage.set([0x16, 0x03, 0x01, 0x0b, 0xb3], 0);
  for (let i = 0; i < 5; i++) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await conn.write(garbage).catch(() => {});
    const answer = await readToEnd(conn, 2000);
    conn.close();
    assert.ok(answer.closed, "garbage is answered with a close at once");
  }
  await until(() => logs.filter((r) => r.event === "tls_failed").length === 5);
  const ann = await LineClient.login(server.port, "ann", trust);
  await ann.close();
  assert.ok(!logs.some((r) => r.event === "internal_error"), JSON.stringify(logs));
  await server.shutdown();
});

Deno.test("hub server gives up a client that stalls mid-handshake after the timeout, holding nothing", async () => {
  const logs: LogRecord[] = [];
  const hub = new Hub({ rate: null });
  const server = new HubServer(hub, {
    port: 0,
    tls: keyPair(good),
    handshakeTimeoutMs: 300,
    log: (r) => logs.push(r),
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  // The first bytes of a client hello, and then nothing.
  await conn.write(new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01, 0x00]));
  await until(() => hub.connectionCount === 1);
  const started = Date.now();
  await until(() => hub.connectionCount === 0, 3000);
  const waited = Date.now() - started;
  assert.ok(waited >= 200 && waited < 2000, `given up after ${waited} ms`);
  assert.ok(logs.some((r) => r.event === "tls_timeout"), JSON.stringify(logs));
  // Shut down once given up (see StalledHandshakes): the next bytes get a close, never a greeting.
  await conn.write(new Uint8Array(300)).catch(() => {});
  const answer = await readToEnd(conn, 2000);
  conn.close();
  assert.ok(answer.closed, "closed once the stalled client sends again");
  assert.ok(!new TextDecoder().decode(answer.bytes).includes("hello"), "no greeting before TLS");
  await server.shutdown();
});

Deno.test("hub server lets go of the descriptors of clients that stall mid-handshake, while they stay silent", async () => {
  const hub = new Hub({ rate: null, maxPerAddress: 100 });
  const server = new HubServer(hub, { port: 0, tls: keyPair(good), handshakeTimeoutMs: 300 });
  const stalled: Deno.TcpConn[] = [];
  for (let i = 0; i < 20; i++) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    // Half send nothing at all, half the first bytes of a client hello.
    if (i % 2 === 1) await conn.write(new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01]));
    stalled.push(conn);
  }
  await until(() => hub.connectionCount === 20);
  assert.equal(await acceptedFds(server.port), 20, "the hub holds each connection");
  await until(() => hub.connectionCount === 0, 3000);
  // Every hub end is closed (the peers still hold theirs), without a byte from the peers...
  await until(async () => (await acceptedFds(server.port)) === 0, 2000);
  // ...and each peer hears the close.
  for (const conn of stalled) assert.ok((await readToEnd(conn, 1000)).closed, "closed");
  for (const conn of stalled) conn.close();
  await server.shutdown();
});

Deno.test("hub server says once at start when it cannot let go of stalled TLS handshakes", async () => {
  const logs: LogRecord[] = [];
  const server = startTlsServer({}, { logs, libc: null });
  const plain = new HubServer(new Hub(), { port: 0, libc: null, log: (r) => logs.push(r) });
  assert.deepEqual(logs.map((r) => r.event), ["tls_release_unavailable"]);
  await server.shutdown();
  await plain.shutdown();
});

Deno.test("hub server keeps serving through 1,000 half-open TLS connections, within its limits", async () => {
  const hub = new Hub({ rate: null, maxPerAddress: 2000 });
  const server = new HubServer(hub, {
    hostname: "::",
    port: 0,
    tls: keyPair(good),
    handshakeTimeoutMs: 3000,
  });
  const hello = new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01]);
  const halfOpen: Deno.TcpConn[] = [];
  for (let i = 0; i < 1000; i++) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    conn.write(hello).catch(() => {});
    halfOpen.push(conn);
  }
  // The hub counts them as connections not logged in: past its limit they are refused.
  await until(() => hub.connectionCount <= MAX_UNAUTHENTICATED);
  assert.ok(hub.connectionCount <= MAX_UNAUTHENTICATED, `${hub.connectionCount} held`);
  // Someone from another address logs in and is served meanwhile.
  const started = Date.now();
  const ann = await LineClient.login(server.port, "ann", { ...trust, hostname: "::1" });
  await ann.send({ type: "users", id: 2 });
  assert.equal((await ann.next((m) => m.re === 2)).type, "users");
  assert.ok(Date.now() - started < 2000, `served after ${Date.now() - started} ms`);
  // Past the handshake timeout nothing of them is held: no slot, no descriptor (but ann's).
  await until(() => hub.connectionCount === 1, 8000);
  await until(async () => (await acceptedFds(server.port)) === 1, 2000);
  await ann.close();
  for (const conn of halfOpen) {
    try {
      conn.close();
    } catch {
      // Closed already.
    }
  }
  await server.shutdown();
});

Deno.test("hub server speaks IRC over TLS on its IRC TLS port, and never plaintext there", async () => {
  const server = startTlsServer({}, { ircTlsPort: 0 });
  assert.equal(server.ircPort, null);
  const port = server.ircTlsPort!;
  const tls = await Deno.connectTls({ hostname: "127.0.0.1", port, caCerts: [good.certPem] });
  await tls.write(new TextEncoder().encode("NICK ann\r\nUSER ann 0 * :Ann\r\n"));
  let seen = "";
  const buffer = new Uint8Array(4096);
  while (!/ 001 ann /.test(seen)) {
    const n = await tls.read(buffer);
    if (n === null) break;
    seen += new TextDecoder().decode(buffer.subarray(0, n));
  }
  assert.match(seen, / 001 ann /);
  tls.close();
  const plain = await Deno.connect({ hostname: "127.0.0.1", port });
  await plain.write(new TextEncoder().encode("NICK bob\r\nUSER bob 0 * :Bob\r\n"));
  const answer = new TextDecoder().decode((await readToEnd(plain)).bytes);
  plain.close();
  assert.ok(!answer.includes("001") && !answer.includes("NOTICE"), answer);
  await server.shutdown();
});
