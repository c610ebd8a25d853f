import assert from "node:assert/strict";
import { join } from "node:path";
import type { ChatClient } from "../../lib/net/chat_client.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { ClientTransfers } from "../../lib/transfer/client_transfers.ts";

/** A manager whose client is never asked anything: checkDownload must not reach the hub. */
function transfersIn(downloads: string, overwrite = false): ClientTransfers {
  return new ClientTransfers({
    client: {} as ChatClient,
    serverHost: "127.0.0.1",
    downloads,
    overwrite,
    maxDatagramBytes: 1200,
  });
}

Deno.test("ClientTransfers.checkDownload refuses a file in the way and starts nothing", async () => {
  const downloads = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(downloads, "notes.txt"), "mine");
    const transfers = transfersIn(downloads);
    await assert.rejects(
      transfers.checkDownload("notes.txt"),
      (error: ChatError) => error.code === "FILE_EXISTS",
    );
    assert.deepEqual(transfers.views(), []);
    await transfers.checkDownload("notes.txt", { overwrite: true });
    await transfersIn(downloads, true).checkDownload("notes.txt");
    await transfers.checkDownload("other.txt");
    await assert.rejects(
      transfers.checkDownload(".hidden"),
      (error: ChatError) => error.code === "TRANSFER_REFUSED",
    );
  } finally {
    await Deno.remove(downloads, { recursive: true });
  }
});
