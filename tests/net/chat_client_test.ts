import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { backoff, ChatClient, type ConnectionStatus } from "../../lib/net/chat_client.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { closeAll } from "../_close_all.ts";

Deno.test("chat client reconnects after the server restarts and goes on", async () => {
  let server = new HubServer(new Hub(), { port: 0 });
  const port = server.port;
  const statuses: ConnectionStatus[] = [];
  const events: ServerMessage[] = [];
  const listener = await ChatClient.open({
    host: "127.0.0.1",
    port,
    onStatus: (s) => statuses.push(s),
    onEvent: (m) => events.push(m),
  });
  await listener.login("listener");
  await server.shutdown("restart");
  server = new HubServer(new Hub(), { port });
  const reconnected = Promise.withResolvers<void>();
  const poll = setInterval(() => {
    if (statuses.some((s) => s.kind === "reconnected")) reconnected.resolve();
  }, 20);
  await reconnected.promise;
  clearInterval(poll);
  const speaker = await ChatClient.open({ host: "127.0.0.1", port });
  await speaker.login("speaker");
  await speaker.request({ type: "say", text: "after the restart" });
  await speaker.close();
  await listener.request({ type: "users" });
  assert.ok(events.some((m) => m.type === "shutdown"));
  assert.ok(events.some((m) => m.type === "message" && m.text === "after the restart"));
  assert.deepEqual(statuses.map((s) => s.kind).slice(0, 3), [
    "connected",
    "disconnected",
    "reconnecting",
  ]);
  await listener.close();
  await server.shutdown();
});

Deno.test("chat client reports a refused name with its code and can try another", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const first = await ChatClient.open({ host: "127.0.0.1", port: server.port });
  await first.login("taken");
  const second = await ChatClient.open({ host: "127.0.0.1", port: server.port });
  await assert.rejects(
    second.login("TAKEN"),
    (e) => e instanceof ChatError && e.code === "NAME_TAKEN",
  );
  await assert.rejects(
    second.login("no spaces"),
    (e) => e instanceof ChatError && e.code === "NAME_INVALID",
  );
  const welcome = await second.login("free");
  assert.deepEqual(welcome.users, ["taken", "free"]);
  await Promise.all([first.close(), second.close()]);
  await server.shutdown();
});

Deno.test("chat client keeps the shortest request round trip, which bounds a transfer's first RTT", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const client = await ChatClient.open({ host: "127.0.0.1", port: server.port });
  assert.equal(client.roundTripMs, null);
  const before = performance.now();
  await client.login("timer");
  const loginMs = performance.now() - before;
  const first = client.roundTripMs;
  assert.ok(first !== null && first > 0 && first <= loginMs, `round trip ${first} of ${loginMs}`);
  for (let i = 0; i < 5; i++) await client.request({ type: "users" });
  assert.ok(client.roundTripMs! <= first);
  await client.close();
  await server.shutdown();
});

Deno.test("chat client fails to open with CONNECT_FAILED when nobody listens", async () => {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = probe.addr.port;
  probe.close();
  await assert.rejects(
    ChatClient.open({ host: "127.0.0.1", port }),
    (e) => e instanceof ChatError && e.code === "CONNECT_FAILED" && /refused/.test(e.message),
  );
});

Deno.test("backoff doubles from 250 ms up to 8 s with jitter of at most 20%", () => {
  assert.equal(backoff(1, () => 0.5), 250);
  assert.equal(backoff(2, () => 0.5), 500);
  assert.equal(backoff(4, () => 0.5), 2000);
  assert.equal(backoff(30, () => 0.5), 8000);
  assert.equal(backoff(1, () => 0), 200);
  assert.equal(backoff(1, () => 0.999999), 300);
});

Deno.test("chat client sends a request made while reconnecting once the hub is back", async () => {
  let server = new HubServer(new Hub(), { port: 0 });
  const port = server.port;
  const client = await ChatClient.open({ host: "127.0.0.1", port });
  await client.login("patient");
  await server.shutdown();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const reply = client.request({ type: "users" });
  server = new HubServer(new Hub(), { port });
  const users = await reply;
  assert.equal(users.type, "users");
  assert.deepEqual((users as { users: { name: string }[] }).users.map((u) => u.name), ["patient"]);
  await client.close();
  await server.shutdown();
});

Deno.test("chat client ends with NAME_TAKEN when a new login is refused, without a retry loop", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const utf8 = new TextEncoder();
  const serving = (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      const first = conns.length === 1;
      await conn.write(
        utf8.encode('{"type":"hello","protocol":1,"server":"fake","heartbeatMs":15000}\n'),
      );
      const buffer = new Uint8Array(4096);
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) continue;
      const id = JSON.parse(new TextDecoder().decode(buffer.subarray(0, n)).split("\n")[0]!).id;
      const reply = first
        ? { type: "welcome", re: id, name: "ghost", users: ["ghost"], userCount: 1, ts: 0 }
        : { type: "error", re: id, code: "NAME_TAKEN", message: "taken" };
      await conn.write(utf8.encode(JSON.stringify(reply) + "\n")).catch(() => {});
      if (first) conn.close();
    }
  })();
  const client = await ChatClient.open({ host: "127.0.0.1", port: listener.addr.port });
  await client.login("ghost");
  const ended = await within(client.ended, 3000);
  assert.equal(ended?.code, "NAME_TAKEN");
  assert.match(ended?.message ?? "", /Cannot log in again as 'ghost' after reconnecting: taken/);
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(conns.length, 2, "one reconnection, then no more");
  await client.close();
  listener.close();
  await serving.catch(() => {});
  for (const conn of conns) {
    try {
      conn.close();
    } catch {
      // Closed already.
    }
  }
});

Deno.test("chat client whose name was taken during an outage asks for another, then resends", async () => {
  let server = new HubServer(new Hub(), { port: 0 });
  const port = server.port;
  const statuses: ConnectionStatus[] = [];
  const client = await ChatClient.open({
    host: "127.0.0.1",
    port,
    onNameRefused: "ask",
    onStatus: (s) => statuses.push(s),
  });
  await client.login("ann");
  await server.shutdown();
  server = new HubServer(new Hub(), { port });
  const thief = await ChatClient.open({ host: "127.0.0.1", port });
  await thief.login("ANN");
  const listener = await ChatClient.open({ host: "127.0.0.1", port });
  const heard: ServerMessage[] = [];
  const listening = await ChatClient.open({
    host: "127.0.0.1",
    port,
    onEvent: (m) => heard.push(m),
  });
  await listening.login("listener");
  await listener.close();
  const queued = client.request({ type: "say", text: "back again" });
  while (!statuses.some((s) => s.kind === "name_refused")) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const refused = statuses.find((s) => s.kind === "name_refused");
  assert.equal(refused?.kind === "name_refused" && refused.error.code, "NAME_TAKEN");
  assert.equal(client.online, false);
  const welcome = await within(client.login("ann2"), 5000);
  assert.equal(welcome.name, "ann2");
  assert.equal((await within(queued, 5000)).type, "ok");
  assert.ok(
    heard.some((m) => m.type === "message" && m.from === "ann2" && m.text === "back again"),
  );
  assert.deepEqual(statuses.at(-1), { kind: "reconnected", name: "ann2" });
  await Promise.all([client.close(), thief.close(), listening.close()]);
  await server.shutdown();
});

Deno.test("chat client reassembles a paged users reply of 1,100 users with 32-character names", async () => {
  const hub = new Hub({ rate: null });
  const now = Date.now();
  const names = Array.from({ length: 1100 }, (_, i) => `m${String(i).padStart(31, "0")}`);
  // Members without sockets: the server writes nothing to them, only to the real client.
  for (const name of names) {
    const conn = hub.connect(now);
    hub.receive(
      conn,
      new TextEncoder().encode(JSON.stringify({ type: "login", name }) + "\n"),
      now,
    );
  }
  const server = new HubServer(hub, { port: 0 });
  const client = await ChatClient.open({ host: "127.0.0.1", port: server.port });
  await client.login("asker");
  const reply = await client.request({ type: "users" });
  assert.equal(reply.type, "users");
  const listed = reply.type === "users" ? reply.users.map((u) => u.name) : [];
  assert.equal(listed.length, 1101);
  assert.deepEqual(listed.slice(0, 1100), names);
  await client.close();
  await server.shutdown();
});

Deno.test("chat client reassembles a paged files reply of 250 long names", async () => {
  const files = Array.from(
    { length: 250 },
    (_, i) => ({ name: `${"ñ".repeat(120)}${i}`, size: i }),
  );
  const server: HubServer = new HubServer(new Hub(), {
    port: 0,
    onAction: (action) => {
      if (action.kind !== "files") return;
      const re = action.re === undefined ? {} : { re: action.re };
      server.run((hub, now) => hub.reply(action.conn, { type: "files", ...re, files }, now));
    },
  });
  const client = await ChatClient.open({ host: "127.0.0.1", port: server.port });
  await client.login("lister");
  const reply = await client.request({ type: "files" });
  assert.deepEqual(reply.type === "files" && reply.files, files);
  await client.close();
  await server.shutdown();
});

/** `promise`, or a rejection after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A fake hub that answers `users` with a 70 KB line and everything else properly. */
function hostileHub(): { port: number; stop(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const utf8 = new TextEncoder();
  const conns: Deno.Conn[] = [];
  const serve = async (conn: Deno.Conn) => {
    const send = (value: object | string) =>
      conn.write(utf8.encode((typeof value === "string" ? value : JSON.stringify(value)) + "\n"));
    await send({ type: "hello", protocol: 1, server: "hostile", heartbeatMs: 15000 });
    const buffer = new Uint8Array(65536);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      for (const line of new TextDecoder().decode(buffer.subarray(0, n)).trim().split("\n")) {
        const request = JSON.parse(line);
        const re = request.id;
        if (request.type === "login") {
          await send({ type: "welcome", re, name: request.name, users: [], userCount: 1, ts: 0 });
        } else if (request.type === "users") {
          await send(`{"type":"users","re":${re},"users":[${'"x",'.repeat(17_500)}"x"]}`);
        } else if (request.type === "ping") await send({ type: "pong", re });
        else if (request.type === "say") {
          await send({ type: "ok", re, ts: 0 });
          await send(`{"type":"note","pad":"${"y".repeat(70_000)}"}`);
        } else if (request.type === "quit") await send({ type: "bye", re });
      }
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      serve(conn).catch(() => {});
    }
  })();
  return {
    port: listener.addr.port,
    async stop() {
      listener.close();
      closeAll(conns);
      await accepting.catch(() => {});
    },
  };
}

Deno.test("chat client fails a request answered by a line over the limit, and goes on", async () => {
  const hub = hostileHub();
  const notices: ChatError[] = [];
  const client = await ChatClient.open({
    host: "127.0.0.1",
    port: hub.port,
    onNotice: (n) => notices.push(n),
  });
  await client.login("victim");
  // Before the fix the request waited for ever; the test bounds the wait instead of hanging.
  await assert.rejects(
    within(client.request({ type: "users" }), 5000),
    (e) => e instanceof ChatError && e.code === "LINE_TOO_LONG" && /65536/.test(e.message),
  );
  assert.equal((await client.request({ type: "ping" })).type, "pong", "the session goes on");
  // An over-long line while nothing waits is reported as a notice.
  assert.equal((await client.request({ type: "say", text: "hi" })).type, "ok");
  const deadline = Date.now() + 5000;
  while (notices.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(notices[0]?.code, "LINE_TOO_LONG");
  assert.equal((await client.request({ type: "ping" })).type, "pong");
  await client.close();
  await hub.stop();
});

Deno.test("chat client fails to open with the hub's code when refused before the greeting", async () => {
  const server = new HubServer(new Hub({ maxPerAddress: 1 }), { port: 0 });
  const first = await ChatClient.open({ host: "127.0.0.1", port: server.port });
  await assert.rejects(
    ChatClient.open({ host: "127.0.0.1", port: server.port }),
    (e) =>
      e instanceof ChatError && e.code === "TOO_MANY_CONNECTIONS" &&
      /refused the connection: Too many connections from your address/.test(e.message),
  );
  await first.close();
  await server.shutdown();
});

Deno.test("chat client refused by a full server fails with SERVER_FULL and a clear message", async () => {
  const server = new HubServer(new Hub({ maxClients: 1 }), { port: 0 });
  const first = await ChatClient.open({ host: "127.0.0.1", port: server.port });
  await assert.rejects(
    ChatClient.open({ host: "127.0.0.1", port: server.port }),
    (e) =>
      e instanceof ChatError && e.code === "SERVER_FULL" &&
      /Server is full: it takes at most 1 client at once/.test(e.message),
  );
  await first.close();
  await server.shutdown();
});
