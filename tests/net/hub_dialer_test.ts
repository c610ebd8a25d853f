/**
 * The dial against odd hubs on real sockets: one slow to greet, one that never greets, one that
 * closes before greeting, a port nobody listens on, and (in a network namespace) a path that
 * drops SYNs.
 */
import assert from "node:assert/strict";
import { DIAL_RETRY_MS, MAX_DIAL_ATTEMPTS } from "../../lib/chat/dial_race.ts";
import { ChatClient } from "../../lib/net/chat_client.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { HubDialer } from "../../lib/net/hub_dialer.ts";
import { until } from "../_until.ts";
import { keyPair, testCerts } from "./_tls_certs.ts";
import { canMakeNamespaces, sh } from "../_netns.ts";
import { closeAll } from "../_close_all.ts";

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
  /** How long a greeted connection waits before its greeting, ms (default none). */
  greetAfterMs?: number;
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
    if (behaviour.greet?.(n)) {
      await new Promise((resolve) => setTimeout(resolve, behaviour.greetAfterMs ?? 0));
      await send(HELLO);
    }
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
      closeAll(conns);
      await accepting.catch(() => {});
      await Promise.all(serving);
    },
  };
}

/** The lines that are not the plaintext probe (which every hub ignores). */
function beyondProbe(seen: Seen): string[] {
  return seen.lines.filter((line) => JSON.parse(line).type !== "pong");
}

/** A hub that greets each connection only after 3 × DIAL_RETRY_MS, with or without TLS. */
async function slowToGreet(tls: boolean) {
  const { good } = await testCerts();
  const hub = oddHub({
    greet: () => true,
    greetAfterMs: 3 * DIAL_RETRY_MS,
    ...(tls ? { tls: keyPair(good) } : {}),
  });
  const target = tls ? { tls: { caCerts: [good.certPem] } } : {};
  return { hub, target };
}

for (const tls of [false, true]) {
  Deno.test(`chat client${tls ? " over TLS" : ""} waits for a connected hub slow to greet, on that one connection`, async () => {
    const { hub, target } = await slowToGreet(tls);
    try {
      const started = performance.now();
      const client = await ChatClient.open({
        host: "127.0.0.1",
        port: hub.port,
        ...target,
        reconnect: false,
      });
      const took = performance.now() - started;
      assert.ok(took >= 3 * DIAL_RETRY_MS - 5, `opened after ${took} ms`);
      await client.login("ann");
      await client.close();
      // Its TCP connect completed at once: no other attempt started.
      assert.equal(hub.seen.length, 1);
      assert.equal(JSON.parse(beyondProbe(hub.seen[0]!)[0]!).type, "login");
    } finally {
      await hub.stop();
    }
  });
}

Deno.test("hub dialer keeps one connection to a hub that never greets, and closes it when abandoned", async () => {
  const hub = oddHub({});
  try {
    const dialer = new HubDialer({ host: "127.0.0.1", port: hub.port });
    const lastStart = DIAL_RETRY_MS * (2 ** (MAX_DIAL_ATTEMPTS - 1) - 1);
    await new Promise((resolve) => setTimeout(resolve, lastStart + DIAL_RETRY_MS));
    assert.equal(hub.seen.length, 1, "connected: no other attempt");
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

Deno.test({
  name:
    "chat client dials again when its first SYN is lost, instead of waiting out Linux's 1 s resend",
  ignore: !canMakeNamespaces(),
  async fn() {
    const ns = `dialsyn${Deno.pid}`;
    // Every other SYN dropped, silently: the first attempt's (and its resends), not the second's.
    await sh(
      `ip netns add ${ns}; ip -n ${ns} link set lo up
       ip netns exec ${ns} nft add table inet t
       ip netns exec ${ns} nft add chain inet t in '{ type filter hook input priority 0; }'
       ip netns exec ${ns} nft add rule inet t in 'tcp flags & (syn | ack) == syn' numgen inc mod 2 0 drop`,
    );
    try {
      const probe = new URL("./_dial_probe.ts", import.meta.url).pathname;
      const output = await new Deno.Command("ip", {
        args: ["netns", "exec", ns, Deno.execPath(), "run", "--allow-net", probe],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(output.success, new TextDecoder().decode(output.stderr));
      const { openedMs, accepted } = JSON.parse(new TextDecoder().decode(output.stdout));
      assert.ok(openedMs >= DIAL_RETRY_MS - 5 && openedMs < 900, `opened after ${openedMs} ms`);
      assert.equal(accepted, 1, "the second attempt's connection, once");
    } finally {
      await sh(`ip netns del ${ns}`);
    }
  },
});
