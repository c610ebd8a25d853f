import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { ChatClient, type ConnectionStatus } from "../../lib/net/chat_client.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { waitAtMost } from "../../lib/net/waiting.ts";
import { keyPair, testCerts } from "./_tls_certs.ts";

const { good, otherHost, expired } = await testCerts();

/** Opening the client fails with `code`, at once (no retry loop), naming the host. */
async function assertRefused(
  options: Parameters<typeof ChatClient.open>[0],
  code: string,
  words: RegExp,
): Promise<void> {
  const started = Date.now();
  await assert.rejects(ChatClient.open(options), (e) => {
    assert.ok(e instanceof ChatError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, words);
    assert.match(e.message, new RegExp(`${options.host}:${options.port}`));
    return true;
  });
  const took = Date.now() - started;
  assert.ok(took < 2000, `refused after ${took} ms`);
}

Deno.test("chat client over TLS logs in, talks, and reconnects over TLS after a restart", async () => {
  let server = new HubServer(new Hub(), { port: 0, tls: keyPair(good) });
  const port = server.port;
  const statuses: ConnectionStatus[] = [];
  const events: ServerMessage[] = [];
  const tls = { caCerts: [good.certPem] };
  const listener = await ChatClient.open({
    host: "127.0.0.1",
    port,
    tls,
    onStatus: (s) => statuses.push(s),
    onEvent: (m) => events.push(m),
  });
  await listener.login("listener");
  await server.shutdown("restart");
  server = new HubServer(new Hub(), { port, tls: keyPair(good) });
  while (!statuses.some((s) => s.kind === "reconnected")) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const speaker = await ChatClient.open({ host: "127.0.0.1", port, tls });
  await speaker.login("speaker");
  await speaker.request({ type: "say", text: "over tls again" });
  await listener.request({ type: "users" });
  assert.ok(events.some((m) => m.type === "message" && m.text === "over tls again"));
  await Promise.all([speaker.close(), listener.close()]);
  await server.shutdown();
});

Deno.test("chat client refuses a hub certificate no authority it trusts signed: CERT_UNKNOWN", async () => {
  const server = new HubServer(new Hub(), { port: 0, tls: keyPair(good) });
  const other = { caCerts: [otherHost.certPem] };
  await assertRefused(
    { host: "127.0.0.1", port: server.port, tls: other },
    "CERT_UNKNOWN",
    /not trusted/,
  );
  await server.shutdown();
});

Deno.test("chat client refuses a hub certificate for another host name: CERT_WRONG_HOST", async () => {
  const server = new HubServer(new Hub(), { port: 0, tls: keyPair(otherHost) });
  const tls = { caCerts: [otherHost.certPem] };
  await assertRefused(
    { host: "127.0.0.1", port: server.port, tls },
    "CERT_WRONG_HOST",
    /another host/,
  );
  await server.shutdown();
});

Deno.test("chat client refuses an expired hub certificate: CERT_EXPIRED", async () => {
  const server = new HubServer(new Hub(), { port: 0, tls: keyPair(expired) });
  const tls = { caCerts: [expired.certPem] };
  await assertRefused({ host: "127.0.0.1", port: server.port, tls }, "CERT_EXPIRED", /expired/);
  await server.shutdown();
});

Deno.test("chat client with TLS on a plaintext port says the server does not speak TLS", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const tls = { caCerts: [good.certPem] };
  await assertRefused(
    { host: "127.0.0.1", port: server.port, tls },
    "TLS_NOT_SPOKEN",
    /does not speak TLS/,
  );
  await server.shutdown();
});

Deno.test("chat client without TLS on a TLS port says the server speaks TLS only", async () => {
  const server = new HubServer(new Hub(), { port: 0, tls: keyPair(good) });
  await assertRefused({ host: "127.0.0.1", port: server.port }, "TLS_REQUIRED", /TLS only/);
  await server.shutdown();
});

Deno.test("chat client ends on a certificate error met when reconnecting, without a retry loop", async () => {
  let server = new HubServer(new Hub(), { port: 0, tls: keyPair(good) });
  const port = server.port;
  const statuses: ConnectionStatus[] = [];
  const client = await ChatClient.open({
    host: "127.0.0.1",
    port,
    tls: { caCerts: [good.certPem] },
    onStatus: (s) => statuses.push(s),
  });
  await client.login("ann");
  await server.shutdown("restart");
  // The hub comes back with a certificate the client does not trust.
  server = new HubServer(new Hub(), { port, tls: keyPair(otherHost) });
  const ended = await waitAtMost(client.ended, 5000);
  assert.ok(ended !== null, "the client still tries to reconnect");
  assert.equal(ended?.code, "CERT_UNKNOWN");
  const tries = statuses.filter((s) => s.kind === "reconnecting").length;
  assert.ok(tries <= 2, `${tries} reconnection attempts`);
  await client.close();
  await server.shutdown();
});
