/**
 * Giving up on a silent peer by probes: after `maxPtoCount` probe timeouts in a row with no
 * answer, and at least `MIN_UNREACHABLE_SILENCE_MS` of silence, a side fails with
 * `PEER_UNREACHABLE`, before its idle timeout would (`IDLE_TIMEOUT`, the
 * other way to give up, is tested where the idle timeout comes first).
 */
import assert from "node:assert/strict";
import { ClientConnection } from "../../lib/rudp/client_connection.ts";
import type { TransferEvent } from "../../lib/rudp/connection/events.ts";
import { ServerEndpoint } from "../../lib/rudp/server_endpoint.ts";
import { SimLink } from "../../lib/netsim/link.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { clientNode, serverNode } from "../../lib/netsim/transfer_nodes.ts";
import { CLIENT, PatternSource, SERVER } from "./_transfer.ts";
import { TEST_KEY } from "./_keys.ts";
import { MIN_UNREACHABLE_SILENCE_MS } from "../../lib/rudp/connection/transport_options.ts";
import { MAX_HANDSHAKE_PROBE_INTERVAL_MS } from "../../lib/rudp/connection/handshake.ts";

/** Probes before giving up, far fewer than the idle timeout leaves room for. */
const MAX_PTO_COUNT = 2;
const IDLE_TIMEOUT_MS = 120_000;

Deno.test("client fails with PEER_UNREACHABLE after its hellos go unanswered maxPtoCount times", () => {
  const client = new ClientConnection({
    transferId: 1,
    token: new Uint8Array(16),
    key: TEST_KEY,
    direction: "download",
    size: 10,
    random: (b) => b.fill(1),
    maxPtoCount: MAX_PTO_COUNT,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
  }, 0);
  let now = 0;
  let hellos = 0;
  let lastHelloAt = 0;
  let longestGap = 0;
  while (!client.isClosed && now < IDLE_TIMEOUT_MS) {
    while (client.pollTransmit(now) !== null) {
      hellos++;
      longestGap = Math.max(longestGap, now - lastHelloAt);
      lastHelloAt = now;
    }
    now = client.pollTimeout() ?? now + 1;
    client.handleTimeout(now);
  }
  const events: TransferEvent[] = [];
  for (let e = client.pollEvent(); e !== null; e = client.pollEvent()) events.push(e);
  assert.equal(events[0]?.kind === "failed" && events[0].code, "PEER_UNREACHABLE");
  assert.ok(now < IDLE_TIMEOUT_MS / 4, `gave up only at ${now} ms`);
  assert.ok(now >= MIN_UNREACHABLE_SILENCE_MS, `gave up at ${now} ms, before the least silence`);
  assert.ok(hellos > MAX_PTO_COUNT, `only ${hellos} hellos: the first, then probes`);
  // Hellos keep coming at least once a second: a busy server may drop several in a row.
  assert.ok(longestGap <= MAX_HANDSHAKE_PROBE_INTERVAL_MS, `${longestGap} ms between hellos`);
});

Deno.test("server fails with PEER_UNREACHABLE when a client vanishes and its probes go unanswered", () => {
  const vanishAt = 300;
  const prng = new Prng(43);
  const endpoint = new ServerEndpoint({
    random: (b) => prng.fill(b),
    maxPtoCount: MAX_PTO_COUNT,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
  });
  const token = new Uint8Array(16).fill(4);
  endpoint.expect({
    transferId: 1,
    token,
    key: TEST_KEY,
    direction: "download",
    size: 50_000_000,
    source: new PatternSource(),
    expiresAt: 1000,
  });
  const client = new ClientConnection({
    transferId: 1,
    token,
    key: TEST_KEY,
    direction: "download",
    size: 50_000_000,
    random: (b) => prng.fill(b),
  }, 0);
  const link = new SimLink({
    seed: 43,
    path: () => ({ delayMs: 10 }),
    filter: (now) => now < vanishAt,
  });
  let failure = "";
  let failedAt = -1;
  link.add(serverNode(endpoint, SERVER, {
    onEvent: (e, now) => {
      if (e.kind !== "failed") return;
      failure = e.code;
      failedAt = now;
    },
  }));
  let received = 0;
  link.add(clientNode(client, CLIENT, SERVER, {
    onEvent: (e) => e.kind === "data" && (received += e.bytes.length),
  }));
  link.run(() => link.now > vanishAt && endpoint.stats().connections === 0, {
    maxTimeMs: IDLE_TIMEOUT_MS,
  });
  assert.ok(received > 0, "no data flowed before the client vanished");
  assert.equal(failure, "PEER_UNREACHABLE");
  assert.ok(failedAt < vanishAt + IDLE_TIMEOUT_MS / 4, `gave up at ${failedAt} ms`);
  // Its probes ran out long before (a 10 ms path), but a peer silent for less is only slow.
  assert.ok(failedAt >= vanishAt + MIN_UNREACHABLE_SILENCE_MS, `gave up at ${failedAt} ms`);
});
