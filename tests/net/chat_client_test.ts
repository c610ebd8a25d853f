import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { backoff, ChatClient, type ConnectionStatus } from "../../lib/net/chat_client.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { HubServer } from "../../lib/net/hub_server.ts";

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

Deno.test("chat client runs one reconnection loop, however often a new login is refused", async () => {
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
  await new Promise((resolve) => setTimeout(resolve, 1600));
  // Backoff 250 + 500 + 1000 ms (±20%): at most 3 more connections in 1.6 s, never a storm.
  assert.ok(conns.length >= 2 && conns.length <= 4, `${conns.length} connections`);
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
