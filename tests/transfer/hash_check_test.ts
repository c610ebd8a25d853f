/**
 * The checks that keep a wrong file from taking its name, end to end: the client's SHA-256 check
 * of a download, its check of the grant's offset, and the server's SHA-256 check of an upload.
 * The hub (through `alterGrant`) or the uploader lies; real sockets otherwise.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { FileSource } from "../../lib/files/file_source.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { ClientLink } from "../../lib/transfer/client_link.ts";
import { fromHex } from "../../lib/transfer/hex.ts";
import { Harness, sizeOf, waitFor, writeRandomFile } from "./_harness.ts";

const SIZE = 256 * 1024 + 7;

Deno.test("download whose bytes miss the grant's SHA-256 is removed, never renamed", async () => {
  const harness = await Harness.start({ alterGrant: (g) => ({ ...g, sha256: "0".repeat(64) }) });
  try {
    await writeRandomFile(join(harness.folder, "movie.bin"), SIZE);
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("movie.bin");
    const error = await alice.transfers.wait(id).catch((e) => e);
    assert.ok(error instanceof ChatError, `failed with ${error}`);
    assert.equal(error.code, "TRANSFER_FAILED");
    assert.match(error.message, /does not match the server's SHA-256/);
    assert.equal(alice.transfers.views()[0]?.done, SIZE, "every byte arrived first");
    assert.equal(await sizeOf(join(alice.downloads, "movie.bin")), -1);
    assert.equal(await sizeOf(join(alice.downloads, "movie.bin.part")), -1);
  } finally {
    await harness.close();
  }
});

Deno.test("download granted at an offset the client did not ask for is refused unopened", async () => {
  const harness = await Harness.start({ alterGrant: (g) => ({ ...g, offset: 1000 }) });
  try {
    await writeRandomFile(join(harness.folder, "movie.bin"), SIZE);
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("movie.bin");
    const error = await alice.transfers.wait(id).catch((e) => e);
    assert.ok(error instanceof ChatError, `failed with ${error}`);
    assert.equal(error.code, "TRANSFER_FAILED");
    assert.match(error.message, /starts at 1000, not at 0$/);
    assert.equal(alice.transfers.views()[0]?.done, 0, "no byte was taken");
    assert.equal(await sizeOf(join(alice.downloads, "movie.bin.part")), -1);
    assert.equal(
      harness.transfers.endpointStats().datagramsReceived,
      0,
      "the file channel was never opened",
    );
  } finally {
    await harness.close();
  }
});

Deno.test("upload whose bytes miss the SHA-256 offered is discarded, its uploader told", async () => {
  const harness = await Harness.start();
  try {
    const local = join(harness.root, "report.pdf");
    await writeRandomFile(local, SIZE);
    const alice = await harness.connect("alice");
    // A client that offers one hash and sends other bytes.
    const reply = await alice.chat.request({
      type: "put",
      name: "report.pdf",
      size: SIZE,
      sha256: "0".repeat(64),
    });
    assert.ok(reply.type === "transfer");
    const source = await FileSource.open(local);
    try {
      const link = new ClientLink(
        { transport: "udp", hostname: "127.0.0.1", port: reply.udpPort },
        {
          transferId: reply.transfer,
          token: fromHex(reply.token)!,
          key: fromHex(reply.key)!,
          direction: "upload",
          size: SIZE,
          source,
          maxDatagramBytes: 8192,
        },
        () => {},
      );
      await link.ended;
    } finally {
      source.close();
    }
    const isDone = (e: ServerMessage) => e.type === "transfer_done";
    await waitFor("transfer_done", () => alice.events.some(isDone));
    const done = alice.events.find(isDone);
    assert.deepEqual(done, {
      type: "transfer_done",
      transfer: reply.transfer,
      ok: false,
      code: "TRANSFER_FAILED",
      message: "Upload does not match its SHA-256",
    });
    assert.deepEqual([...Deno.readDirSync(harness.folder)], [], "nothing stored, no part left");
  } finally {
    await harness.close();
  }
});
