import assert from "node:assert/strict";
import { ClientConnection } from "../../lib/rudp/client_connection.ts";
import { MAX_ACK_DELAY_MS } from "../../lib/rudp/recovery/ack_manager.ts";
import { ServerEndpoint } from "../../lib/rudp/server_endpoint.ts";
import { SimLink } from "../../lib/netsim/link.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { clientNode, serverNode } from "../../lib/netsim/transfer_nodes.ts";
import { PatternSource, SERVER } from "./_transfer.ts";
import { TEST_KEY } from "./_keys.ts";

const ONE_WAY_MS = 1;

/** A small download over a 1 ms path; returns when each side saw what, in simulated ms. */
function smallDownload(size: number) {
  const prng = new Prng(9);
  const token = new Uint8Array(16).fill(4);
  const endpoint = new ServerEndpoint({ random: (b) => prng.fill(b) });
  endpoint.expect({
    transferId: 1,
    token,
    key: TEST_KEY,
    direction: "download",
    size,
    source: new PatternSource(),
    expiresAt: 10_000,
  });
  const client = new ClientConnection({
    transferId: 1,
    token,
    key: TEST_KEY,
    direction: "download",
    size,
    random: (b) => prng.fill(b),
  }, 0);
  const seen: Record<string, number> = {};
  const link = new SimLink({ seed: 9, path: () => ({ delayMs: ONE_WAY_MS }) });
  link.add(clientNode(client, "10.0.0.2:4000", SERVER, {
    onEvent: (e, now) => seen[`client ${e.kind}`] ??= now,
  }));
  link.add(serverNode(endpoint, SERVER, { onEvent: (e, now) => seen[`server ${e.kind}`] ??= now }));
  link.run(() => {
    if (client.settled) seen["client settled"] ??= link.now;
    return client.isClosed && endpoint.stats().connections === 0;
  }, { maxTimeMs: 60_000 });
  return seen;
}

Deno.test("the receiver acknowledges the last byte at once: the sender completes one trip later", () => {
  const seen = smallDownload(3_000); // three datagrams: fewer than an ACK waits for
  const lag = seen["server completed"]! - seen["client completed"]!;
  assert.ok(lag < ONE_WAY_MS + MAX_ACK_DELAY_MS / 2, `sender completed ${lag} ms after`);
});

Deno.test("a completed download is settled when the server's close arrives, before the drain ends", () => {
  const seen = smallDownload(3_000);
  assert.ok(seen["client settled"]! < seen["client closed"]!, JSON.stringify(seen));
  assert.ok(seen["client settled"]! <= seen["server completed"]! + 2 * ONE_WAY_MS);
});
