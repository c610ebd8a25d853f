/**
 * A download whose acknowledgements stop getting through for a while, as when a busy server's
 * receive queue overflows: the server keeps probing past its probe count until the client has
 * been silent long enough to be gone, and the client's nudges restart the server soon after
 * the path comes back.
 */
import assert from "node:assert/strict";
import { CLIENT, runTransfer, SERVER } from "./_transfer.ts";

/** Runs a download whose client-to-server datagrams are all dropped from `from` to `to` ms. */
function withAckOutage(from: number, to: number) {
  let resumedAt = Infinity;
  const result = runTransfer({
    seed: 1,
    size: 20_000_000,
    toServer: { delayMs: 5 },
    toClient: { delayMs: 5, rateBytesPerSecond: 20_000_000 },
    transport: { maxDatagramBytes: 1472 },
    filter: (now, sender) => !(sender === CLIENT && now >= from && now < to),
    onSend: (now, sender) => {
      if (sender === SERVER && now >= to && now < resumedAt) resumedAt = now;
    },
  });
  return { result, resumedAfterMs: resumedAt - to };
}

Deno.test("a download survives 6 s without acknowledgements, its probes long run out", () => {
  // On a 10 ms path the server's 8 doubling probe timeouts run out in about 4 s.
  const { result } = withAckOutage(100, 6_000);
  const failure = result.clientEvents.find((e) => e.kind === "failed");
  assert.equal(failure, undefined);
  assert.equal(result.receivedHash, result.expectedHash);
  assert.ok(result.senderStats.ptoCount > 8, `${result.senderStats.ptoCount} probe timeouts`);
});

Deno.test("after an acknowledgement outage the client's nudge restarts the server at once", () => {
  // Without nudges the server waits out its backed-off probe timeout (over 1 s here).
  const { result, resumedAfterMs } = withAckOutage(100, 6_000);
  assert.ok(resumedAfterMs < 500, `the server sent again ${resumedAfterMs} ms after`);
  assert.ok(result.client.stats().nudgesSent > 0);
});
