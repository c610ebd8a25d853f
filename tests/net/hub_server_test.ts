import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { HubOptions, LogRecord } from "../../lib/chat/hub_types.ts";
import { PROTOCOL_VERSION } from "../../lib/chat/limits.ts";
import { ACCEPT_RETRY_MS, HubServer } from "../../lib/net/hub_server.ts";
import { LineClient } from "./_line_client.ts";

function startServer(options: HubOptions = {}, tickMs?: number): HubServer {
  // Every test client comes from 127.0.0.1: the per-address limit is raised for them.
  const hub = new Hub({ rate: null, maxPerAddress: 1000, ...options });
  return new HubServer(hub, { port: 0, ...(tickMs === undefined ? {} : { tickMs }) });
}

async function closeAll(server: HubServer, clients: LineClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
  await server.shutdown();
}

Deno.test("hub server greets, logs in and refuses a duplicate name ignoring case", async () => {
  const server = startServer();
  const alice = await LineClient.login(server.port, "Alice");
  const other = await LineClient.connect(server.port);
  const hello = await other.nextOfType("hello");
  assert.equal(hello.protocol, PROTOCOL_VERSION);
  await other.send({ type: "login", id: 1, name: "alice" });
  const refused = await other.next((m) => m.re === 1);
  assert.equal(refused.type, "error");
  assert.equal(refused.code, "NAME_TAKEN");
  await other.send({ type: "login", id: 2, name: "bob" });
  const welcome = await other.next((m) => m.re === 2);
  assert.equal(welcome.type, "welcome");
  assert.deepEqual(welcome.users, ["Alice", "bob"]);
  await closeAll(server, [alice, other]);
});

Deno.test("hub server broadcast reaches every one of 30 clients but the sender", async () => {
  const server = startServer();
  const clients = await Promise.all(
    Array.from({ length: 30 }, (_, i) => LineClient.login(server.port, `user${i}`)),
  );
  const [sender, ...receivers] = clients;
  await sender!.send({ type: "say", id: 9, text: "hello, room" });
  const ok = await sender!.next((m) => m.re === 9);
  assert.equal(ok.type, "ok");
  for (const receiver of receivers) {
    const message = await receiver.nextOfType("message");
    assert.equal(message.from, "user0");
    assert.equal(message.text, "hello, room");
    assert.equal(message.to, undefined);
  }
  assert.ok(!sender!.received.some((m) => m.type === "message"));
  await closeAll(server, clients);
});

Deno.test("hub server private message reaches only its target, and users lists everyone", async () => {
  const server = startServer();
  const [ann, bob, cy] = await Promise.all(
    ["ann", "bob", "cy"].map((name) => LineClient.login(server.port, name)),
  );
  await ann!.send({ type: "msg", id: 1, to: "BOB", text: "secret", from: "cy" });
  assert.equal((await ann!.next((m) => m.re === 1)).type, "ok");
  const got = await bob!.nextOfType("message");
  assert.deepEqual([got.from, got.to, got.text], ["ann", "bob", "secret"]);
  await cy!.send({ type: "users", id: 2 });
  const users = await cy!.next((m) => m.re === 2);
  assert.deepEqual((users.users as { name: string }[]).map((u) => u.name), ["ann", "bob", "cy"]);
  assert.ok(!cy!.received.some((m) => m.type === "message"));
  await closeAll(server, [ann!, bob!, cy!]);
});

Deno.test("hub server tells everyone when a user quits or drops its connection", async () => {
  const server = startServer();
  const [ann, bob, cy] = await Promise.all(
    ["ann", "bob", "cy"].map((name) => LineClient.login(server.port, name)),
  );
  await bob!.send({ type: "quit", id: 5 });
  assert.equal((await bob!.next((m) => m.re === 5)).type, "bye");
  await bob!.nextOfType("<eof>");
  const left = await ann!.next((m) => m.type === "leave" && m.name === "bob");
  assert.equal(left.reason, "quit");
  await cy!.close();
  const dropped = await ann!.next((m) => m.type === "leave" && m.name === "cy");
  assert.equal(dropped.reason, "disconnect");
  await closeAll(server, [ann!, bob!]);
});

Deno.test("hub server answers bad input with errors and keeps the connection", async () => {
  const server = startServer();
  const client = await LineClient.login(server.port, "tester");
  const utf8 = new TextEncoder();
  await client.sendRaw(utf8.encode("not json\n"));
  assert.equal((await client.nextOfType("error")).code, "MALFORMED_JSON");
  await client.sendRaw(new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0x0a]));
  assert.equal((await client.nextOfType("error")).code, "INVALID_UTF8");
  await client.sendRaw(new Uint8Array(70 * 1024).fill(0x41));
  await client.sendRaw(utf8.encode("tail of the long line\n"));
  assert.equal((await client.nextOfType("error")).code, "LINE_TOO_LONG");
  await client.send({ type: "dance", id: 3 });
  const unknown = await client.nextOfType("error");
  assert.deepEqual([unknown.code, unknown.re], ["UNKNOWN_COMMAND", 3]);
  await client.send({ type: "users", id: 4 });
  assert.equal((await client.next((m) => m.re === 4)).type, "users");
  assert.equal(client.received.length, 0, JSON.stringify(client.received));
  await closeAll(server, [client]);
});

Deno.test("hub server closes a client that sends only garbage", async () => {
  const server = startServer();
  const client = await LineClient.connect(server.port);
  const garbage = new Uint8Array(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
  for (let i = 0; i < 20; i++) await client.sendRaw(garbage).catch(() => {});
  const fatal = await client.next((m) => m.code === "TOO_MANY_ERRORS");
  assert.equal(fatal.type, "error");
  await client.nextOfType("<eof>");
  await closeAll(server, [client]);
});

Deno.test("hub server drops a client that never reads without slowing the others", async () => {
  const server = startServer({ maxQueueBytes: 256 * 1024 });
  const stuck = await LineClient.connect(server.port, { read: false });
  await stuck.send({ type: "login", name: "stuck" });
  const [sender, reader] = await Promise.all(
    ["sender", "reader"].map((name) => LineClient.login(server.port, name)),
  );
  const text = "x".repeat(4000);
  const count = 3000; // 12 MB: more than the kernel buffers of the stuck socket hold
  // The reader stays at most WINDOW messages behind, far below its queue limit, so it is
  // never the one dropped, however slow this machine is today.
  const WINDOW = 40;
  const expectMessage = async (i: number) => {
    const message = await reader!.nextOfType("message", 20_000);
    assert.ok((message.text as string).startsWith(`${i} `), `message ${i} out of order`);
  };
  for (let i = 0; i < count; i++) {
    await sender!.send({ type: "say", text: `${i} ${text}` });
    if (i >= WINDOW) await expectMessage(i - WINDOW);
  }
  for (let i = count - WINDOW; i < count; i++) await expectMessage(i);
  const left = await reader!.next((m) => m.type === "leave" && m.name === "stuck", 20_000);
  assert.equal(left.reason, "dropped");
  assert.ok(!reader!.received.some((m) => m.type === "leave" && m.name === "reader"));
  await closeAll(server, [stuck, sender!, reader!]);
});

Deno.test("hub server refuses connections past max clients with a reason", async () => {
  const server = startServer({ maxClients: 2 });
  const first = await LineClient.login(server.port, "one");
  const second = await LineClient.login(server.port, "two");
  const third = await LineClient.connect(server.port);
  const refused = await third.nextOfType("error");
  assert.equal(refused.code, "SERVER_FULL");
  await third.nextOfType("<eof>");
  await closeAll(server, [first, second, third]);
});

Deno.test("hub server drops a silent client by heartbeat timeout and tells the others", async () => {
  const server = startServer({ heartbeatMs: 100, idleTimeoutMs: 300 }, 20);
  const watcher = await LineClient.login(server.port, "watcher");
  const ghost = await LineClient.login(server.port, "ghost");
  // The watcher answers pings; the ghost never says anything again.
  const answering = setInterval(() => watcher.send({ type: "pong" }).catch(() => {}), 50);
  const pinged = await ghost.nextOfType("ping", 2000);
  assert.equal(typeof pinged.ts, "number");
  const left = await watcher.next((m) => m.type === "leave" && m.name === "ghost", 3000);
  assert.equal(left.reason, "timeout");
  assert.equal((await ghost.nextOfType("error")).code, "IDLE_TIMEOUT");
  clearInterval(answering);
  await closeAll(server, [watcher, ghost]);
});

Deno.test("hub server closes a connection that never logs in", async () => {
  const server = startServer({ loginTimeoutMs: 150 }, 20);
  const silent = await LineClient.connect(server.port);
  assert.equal((await silent.nextOfType("error", 3000)).code, "LOGIN_TIMEOUT");
  await silent.nextOfType("<eof>");
  await closeAll(server, [silent]);
});

Deno.test("hub server shutdown tells clients and frees the port at once", async () => {
  const server = startServer();
  const port = server.port;
  const client = await LineClient.login(port, "stayer");
  await server.shutdown("maintenance");
  assert.equal((await client.nextOfType("shutdown")).reason, "maintenance");
  await client.nextOfType("<eof>");
  const again = new HubServer(new Hub(), { port });
  assert.equal(again.port, port);
  await again.shutdown();
  await client.close();
});

Deno.test("hub server stops reading a flood while receivers catch up, so none is dropped", async () => {
  const server = startServer({ maxQueueBytes: 256 * 1024 });
  // The readers share this process's one thread with the server and the sender, and the kernel
  // wakes a blocked writer only once a third of its send buffer (~2 MB here) is free: each
  // reader must still drain that within STALLED_WRITE_MS (100 ms) not to look stuck, so they
  // are six, not twelve.
  const names = ["sender", ...Array.from({ length: 6 }, (_, i) => `r${i}`)];
  const clients = await Promise.all(names.map((name) => LineClient.login(server.port, name)));
  const [sender, ...readers] = clients;
  const text = "x".repeat(4000);
  const count = 1500; // 6 MB to each reader: 24 times its queue limit
  // No window: the sender writes as fast as the hub reads, never waiting for a reply.
  for (let i = 0; i < count; i++) await sender!.send({ type: "say", text: `${i} ${text}` });
  await Promise.all(readers.map(async (reader) => {
    for (let i = 0; i < count; i++) {
      const message = await reader.nextOfType("message", 20_000);
      assert.ok((message.text as string).startsWith(`${i} `), `message ${i} out of order`);
    }
  }));
  for (const client of clients) {
    assert.ok(!client.received.some((m) => m.type === "leave" || m.type === "error"));
  }
  await closeAll(server, clients);
});

Deno.test("hub server refuses a 17th connection from one address with TOO_MANY_CONNECTIONS", async () => {
  const hub = new Hub({ rate: null });
  const server = new HubServer(hub, { port: 0 });
  const idle = await Promise.all(Array.from({ length: 16 }, () => LineClient.connect(server.port)));
  await Promise.all(idle.map((c) => c.nextOfType("hello")));
  const extra = await LineClient.connect(server.port);
  assert.equal((await extra.nextOfType("error")).code, "TOO_MANY_CONNECTIONS");
  await extra.nextOfType("<eof>");
  await idle[0]!.close();
  while (hub.connectionCount > 15) await new Promise((resolve) => setTimeout(resolve, 5));
  const user = await LineClient.login(server.port, "afterwards");
  await closeAll(server, [...idle, extra, user]);
});

/** A listener whose first `failures` accepts fail as a full descriptor table would. */
function failingListener(failures: number): Deno.TcpListener & { failed: number } {
  const inner = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const listener = {
    failed: 0,
    get addr() {
      return inner.addr;
    },
    accept(): Promise<Deno.TcpConn> {
      if (listener.failed < failures) {
        listener.failed++;
        return Promise.reject(new Error("Too many open files (os error 24)"));
      }
      return inner.accept();
    },
    close: () => inner.close(),
  };
  return listener as unknown as Deno.TcpListener & { failed: number };
}

Deno.test("hub server logs failed accepts and goes on accepting after a pause", async () => {
  const records: LogRecord[] = [];
  const listener = failingListener(3);
  const started = performance.now();
  const server = new HubServer(new Hub(), { listener, log: (r) => records.push(r) });
  const client = await LineClient.login(server.port, "patient");
  assert.equal(listener.failed, 3);
  assert.ok(performance.now() - started >= 3 * ACCEPT_RETRY_MS - 10, "it waited between tries");
  const failures = records.filter((r) => r.event === "accept_failed");
  assert.equal(failures.length, 3);
  assert.match(failures[0]!.detail!, /Too many open files/);
  await closeAll(server, [client]);
});

/** A hub with a bug: it throws on a line holding `boom`, and when taking output for `doomed`. */
class FaultyHub extends Hub {
  doomed = -1;
  override receive(conn: number, bytes: Uint8Array, now: number): void {
    if (new TextDecoder().decode(bytes).includes("boom")) throw new Error("bug in receive");
    super.receive(conn, bytes, now);
  }
  override takeOutput(conn: number): Uint8Array | null {
    if (conn === this.doomed) throw new Error("bug in takeOutput");
    return super.takeOutput(conn);
  }
}

Deno.test("hub server ends only the session whose read failed, logs why, and serves the rest", async () => {
  const records: LogRecord[] = [];
  const hub = new FaultyHub({ rate: null, maxPerAddress: 100 });
  const server = new HubServer(hub, { port: 0, log: (r) => records.push(r) });
  const [victim, other] = await Promise.all(
    ["victim", "other"].map((name) => LineClient.login(server.port, name)),
  );
  await victim!.send({ type: "say", text: "boom" });
  await victim!.nextOfType("<eof>");
  const left = await other!.next((m) => m.type === "leave" && m.name === "victim");
  assert.equal(left.reason, "disconnect");
  assert.ok(records.some((r) => r.event === "internal_error" && /bug in receive/.test(r.detail!)));
  await other!.send({ type: "ping", id: 1 });
  assert.equal((await other!.next((m) => m.re === 1)).type, "pong");
  const late = await LineClient.login(server.port, "late");
  await closeAll(server, [victim!, other!, late]);
});

Deno.test("hub server ends only the session whose write failed, and serves the rest", async () => {
  const records: LogRecord[] = [];
  const hub = new FaultyHub({ rate: null, maxPerAddress: 100 });
  const server = new HubServer(hub, { port: 0, log: (r) => records.push(r) });
  const victim = await LineClient.login(server.port, "victim"); // connection 1
  const other = await LineClient.login(server.port, "other");
  hub.doomed = 1;
  await victim.send({ type: "users", id: "list" });
  await other.send({ type: "users", id: "list" });
  await victim.nextOfType("<eof>");
  assert.equal((await other.next((m) => m.re === "list")).type, "users");
  const left = await other.next((m) => m.type === "leave" && m.name === "victim");
  assert.equal(left.reason, "disconnect");
  assert.ok(
    records.some((r) => r.event === "internal_error" && /bug in takeOutput/.test(r.detail!)),
  );
  const late = await LineClient.login(server.port, "late");
  await late.send({ type: "ping", id: 2 });
  assert.equal((await late.next((m) => m.re === 2)).type, "pong");
  await closeAll(server, [victim, other, late]);
});

Deno.test("hub server drops nobody when the wall clock jumps hours ahead", async () => {
  const realNow = Date.now;
  const server = new HubServer(
    new Hub({ heartbeatMs: 1000, idleTimeoutMs: 3000, wallClock: () => Date.now() }),
    { port: 0, tickMs: 20 },
  );
  const ann = await LineClient.login(server.port, "ann");
  const bob = await LineClient.login(server.port, "bob");
  try {
    const jump = 5 * 3600_000;
    Date.now = () => realNow() + jump;
    await new Promise((resolve) => setTimeout(resolve, 200)); // ten ticks
    await ann.send({ type: "say", id: 1, text: "still here" });
    assert.equal((await ann.next((m) => m.re === 1)).type, "ok");
    const message = await bob.nextOfType("message");
    assert.ok((message.ts as number) >= realNow() + jump - 1000, "ts reads the wall clock");
    assert.ok(!ann.received.some((m) => m.code === "IDLE_TIMEOUT"));
    assert.ok(!bob.received.some((m) => m.code === "IDLE_TIMEOUT"));
  } finally {
    Date.now = realNow;
  }
  await closeAll(server, [ann, bob]);
});

Deno.test("hub server announces held joins at their deadline, not at its next tick", async () => {
  // A tick an hour away: only the wake-up at `Hub.pollTimeout` can send the joins.
  const server = startServer({ presenceCoalesceMs: 50 }, 3_600_000);
  const ann = await LineClient.login(server.port, "ann");
  const start = performance.now();
  const [bob, cat] = [
    await LineClient.login(server.port, "bob"),
    await LineClient.login(server.port, "cat"),
  ];
  const joins = await ann.next((m) => m.type === "join" || m.type === "joins", 2000);
  assert.ok(performance.now() - start < 1000, "well before any tick");
  const names = joins.type === "join" ? [joins.name] : joins.names;
  assert.ok(Array.isArray(names) && names.includes("bob"), JSON.stringify(joins));
  await closeAll(server, [ann, bob, cat]);
});
