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
