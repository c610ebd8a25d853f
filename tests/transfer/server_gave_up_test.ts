/**
 * A download the server gives up on (its side of the file channel failed) ends on the client
 * as soon as the hub says so in `transfer_done`, not after the client's own idle timeout.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ChatError } from "../../lib/net/chat_error.ts";
import { IDLE_TIMEOUT_MS } from "../../lib/rudp/connection/transport_options.ts";
import { ClientTransfers } from "../../lib/transfer/client_transfers.ts";
import type { ChatClient } from "../../lib/net/chat_client.ts";
import { Harness, writeRandomFile } from "./_harness.ts";

const MIB = 1024 * 1024;

Deno.test({
  name: "download the server gave up on fails at once with the server's reason",
  async fn() {
    // Once the download is under way, every datagram to the server is lost: the server hears
    // nothing and fails the transfer (PEER_UNREACHABLE), while the client still hears it probe.
    let passed = 0;
    const harness = await Harness.start({
      relay: {
        toServer: {},
        toClient: {},
        seed: 1,
        drop: (direction) => direction === "toServer" && ++passed > 40,
      },
    });
    try {
      await writeRandomFile(join(harness.folder, "big.bin"), 64 * MIB);
      const alice = await harness.connect("alice", { maxDatagramBytes: 1200 });
      const started = performance.now();
      const id = alice.transfers.download("big.bin");
      await assert.rejects(
        alice.transfers.wait(id),
        (error: ChatError) =>
          error.code === "TRANSFER_FAILED" && error.message.includes("PEER_UNREACHABLE") &&
          error.message.includes("The server ended the download"),
      );
      const took = performance.now() - started;
      assert.ok(took < IDLE_TIMEOUT_MS, `ended after ${took.toFixed(0)} ms`);
      assert.equal(alice.transfers.views()[0]?.state, "failed");
    } finally {
      await harness.close();
    }
  },
});

Deno.test("ClientTransfers ignores a transfer_done for a transfer it was not granted", () => {
  let changes = 0;
  const watched = new ClientTransfers({
    client: {} as ChatClient,
    serverHost: "127.0.0.1",
    downloads: "unused",
    overwrite: false,
    maxDatagramBytes: 1200,
    onChange: () => changes++,
  });
  watched.handleServerMessage({
    type: "transfer_done",
    transfer: 7,
    ok: false,
    code: "TRANSFER_FAILED",
    message: "forged",
  });
  assert.equal(changes, 0);
  assert.deepEqual(watched.views(), []);
});
