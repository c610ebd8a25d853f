/**
 * The chat client against a hostile hub: lines that break the protocol are reported and
 * skipped, and neither they nor a failing callback are taken for a lost connection.
 */
import assert from "node:assert/strict";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { ChatClient, type ConnectionStatus } from "../../lib/net/chat_client.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { until } from "../_until.ts";
import { closeAll } from "../_close_all.ts";

const utf8 = new TextEncoder();

/** Lines a hostile hub sends right after the welcome. */
const HOSTILE = [
  JSON.stringify({ type: "file_added", name: "a.txt", size: -1, from: "bob", ts: 1 }),
  JSON.stringify({ type: "users", users: [{ since: 1 }] }),
  JSON.stringify({ type: "wave", from: "bob" }),
  "garbage {",
  JSON.stringify({ type: "join", name: "bob", ts: 2 }),
];

/**
 * A fake hub that welcomes anyone, then sends the hostile lines; it answers `users` with an
 * entry without a name and `ping` properly. It counts its connections.
 */
function hostileHub(): { port: number; connections: () => number; stop(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const serve = async (conn: Deno.Conn) => {
    const send = (line: string) => conn.write(utf8.encode(line + "\n"));
    await send(
      JSON.stringify({ type: "hello", protocol: 1, server: "hostile", heartbeatMs: 15000 }),
    );
    const buffer = new Uint8Array(65536);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      for (const line of new TextDecoder().decode(buffer.subarray(0, n)).trim().split("\n")) {
        const request = JSON.parse(line);
        const re = request.id;
        if (request.type === "login") {
          await send(JSON.stringify({
            type: "welcome",
            re,
            name: request.name,
            users: [request.name],
            userCount: 1,
            ts: 0,
          }));
          for (const hostile of HOSTILE) await send(hostile);
        } else if (request.type === "users") {
          await send(JSON.stringify({ type: "users", re, users: [{ since: 1 }, { name: 7 }] }));
        } else if (request.type === "ping") await send(JSON.stringify({ type: "pong", re }));
        else if (request.type === "quit") await send(JSON.stringify({ type: "bye", re }));
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
    connections: () => conns.length,
    async stop() {
      listener.close();
      closeAll(conns);
      await accepting.catch(() => {});
    },
  };
}

Deno.test("chat client reports each bad line of a hostile hub and stays connected", async () => {
  const hub = hostileHub();
  const notices: ChatError[] = [];
  const events: ServerMessage[] = [];
  const statuses: ConnectionStatus[] = [];
  const client = await ChatClient.open({
    host: "127.0.0.1",
    port: hub.port,
    onNotice: (n) => notices.push(n),
    onEvent: (m) => events.push(m),
    onStatus: (s) => statuses.push(s),
  });
  await client.login("victim");
  await until(() => events.some((m) => m.type === "join"));
  assert.deepEqual(notices.map((n) => n.code), [
    "BAD_SERVER_LINE",
    "BAD_SERVER_LINE",
    "BAD_SERVER_LINE",
    "BAD_SERVER_LINE",
  ]);
  const said = notices.map((n) => n.message);
  assert.match(said[0]!, /file_added: field 'size' must be a non-negative integer/);
  assert.match(said[1]!, /users: users\[0\]: field 'name' must be a string/);
  assert.match(said[2]!, /unknown type 'wave'/);
  assert.match(said[3]!, /not a JSON object/);
  assert.deepEqual(events.map((m) => m.type), ["join"], "only the good line is an event");
  // A reply that breaks the protocol fails its request; the session goes on.
  await assert.rejects(
    client.request({ type: "users" }),
    (e) => e instanceof ChatError && e.code === "BAD_SERVER_LINE",
  );
  assert.equal((await client.request({ type: "ping" })).type, "pong");
  assert.deepEqual(statuses.map((s) => s.kind), ["connected"], "never disconnected");
  assert.equal(hub.connections(), 1, "never reconnected");
  await client.close();
  await hub.stop();
});

Deno.test("chat client reports a callback that throws and is not taken for a lost connection", async () => {
  const hub = hostileHub();
  const notices: ChatError[] = [];
  const statuses: ConnectionStatus[] = [];
  let joins = 0;
  const client = await ChatClient.open({
    host: "127.0.0.1",
    port: hub.port,
    onNotice: (n) => notices.push(n),
    onStatus: (s) => statuses.push(s),
    onEvent: (m) => {
      if (m.type === "join") joins++;
      throw new TypeError("bug in the display");
    },
  });
  await client.login("victim");
  await until(() => joins === 1);
  const internal = notices.filter((n) => n.code === "INTERNAL_ERROR");
  assert.equal(internal.length, 1);
  assert.match(internal[0]!.message, /event handler failed: bug in the display/);
  assert.equal((await client.request({ type: "ping" })).type, "pong");
  assert.deepEqual(statuses.map((s) => s.kind), ["connected"]);
  assert.equal(hub.connections(), 1);
  await client.close();
  await hub.stop();
});
