/**
 * Downloads over real sockets: ServerTransfers on the file channel, ClientTransfers in clients.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { sha256File } from "../../lib/files/file_hash.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { libc } from "../../lib/net/libc.ts";
import { Harness, sizeOf, writeRandomFile } from "./_harness.ts";

const MIB = 1024 * 1024;

Deno.test("download of a 3 MiB file ends with the server's SHA-256 and no .part left", async () => {
  const harness = await Harness.start();
  try {
    const expected = await writeRandomFile(join(harness.folder, "big.bin"), 3 * MIB + 17);
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("big.bin");
    assert.equal(await alice.transfers.wait(id), "done");
    const path = join(alice.downloads, "big.bin");
    assert.equal(await sha256File(path), expected);
    assert.equal(harness.grants[0]?.sha256, expected);
    assert.equal(await sizeOf(path + ".part"), -1);
    const view = alice.transfers.views()[0]!;
    assert.deepEqual([view.done, view.total, view.state], [3 * MIB + 17, 3 * MIB + 17, "done"]);
  } finally {
    await harness.close();
  }
});

Deno.test({
  name: "download over the batched send path (GSO through libc) of 1,472-byte datagrams is intact",
  ignore: libc() === null,
  async fn() {
    const harness = await Harness.start();
    try {
      const expected = await writeRandomFile(join(harness.folder, "big.bin"), 3 * MIB + 1001);
      const alice = await harness.connect("alice", { maxDatagramBytes: 1472 });
      const id = alice.transfers.download("big.bin");
      assert.equal(await alice.transfers.wait(id), "done");
      assert.equal(await sha256File(join(alice.downloads, "big.bin")), expected);
      const stats = harness.transfers.batchStats;
      assert.ok(stats !== null, "the server sends in batches");
      assert.ok(stats.batched > 3 * MIB / 1472, `${JSON.stringify(stats)}`);
      assert.ok(
        stats.batched / stats.calls > 4,
        `few datagrams per call: ${JSON.stringify(stats)}`,
      );
    } finally {
      await harness.close();
    }
  },
});

Deno.test("download of an empty file creates an empty file", async () => {
  const harness = await Harness.start();
  try {
    await Deno.writeFile(join(harness.folder, "empty.txt"), new Uint8Array());
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("empty.txt");
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal(await sizeOf(join(alice.downloads, "empty.txt")), 0);
    assert.equal(harness.grants[0]?.size, 0);
  } finally {
    await harness.close();
  }
});

Deno.test("several clients downloading at once each get the whole file", async () => {
  const harness = await Harness.start();
  try {
    const expected = await writeRandomFile(join(harness.folder, "shared.bin"), 2 * MIB + 5);
    const other = await writeRandomFile(join(harness.folder, "other.bin"), MIB + 3, 2);
    const clients = await Promise.all(["a1", "a2", "a3", "a4"].map((n) => harness.connect(n)));
    // One client fetches two files at once as well.
    const runs = clients.map((c) => c.transfers.download("shared.bin"));
    const extra = clients[0]!.transfers.download("other.bin");
    await Promise.all(clients.map((c, i) => c.transfers.wait(runs[i]!)));
    await clients[0]!.transfers.wait(extra);
    for (const client of clients) {
      assert.equal(await sha256File(join(client.downloads, "shared.bin")), expected);
    }
    assert.equal(await sha256File(join(clients[0]!.downloads, "other.bin")), other);
    assert.equal(new Set(harness.grants.map((g) => g.transfer)).size, 5);
  } finally {
    await harness.close();
  }
});

Deno.test("download refuses to replace an existing local file without overwrite", async () => {
  const harness = await Harness.start();
  try {
    await writeRandomFile(join(harness.folder, "notes.txt"), 1000);
    const alice = await harness.connect("alice");
    await Deno.mkdir(alice.downloads, { recursive: true });
    const local = join(alice.downloads, "notes.txt");
    await Deno.writeTextFile(local, "mine");
    const id = alice.transfers.download("notes.txt");
    await assert.rejects(
      () => alice.transfers.wait(id),
      (error: ChatError) => error.code === "FILE_EXISTS",
    );
    assert.equal(await Deno.readTextFile(local), "mine");
    assert.equal(harness.grants.length, 0, "nothing was asked of the server");
  } finally {
    await harness.close();
  }
});

Deno.test("download with overwrite replaces an existing local file", async () => {
  const harness = await Harness.start();
  try {
    const expected = await writeRandomFile(join(harness.folder, "notes.txt"), 5000);
    const alice = await harness.connect("alice", { overwrite: true });
    await Deno.mkdir(alice.downloads, { recursive: true });
    await Deno.writeTextFile(join(alice.downloads, "notes.txt"), "mine");
    const id = alice.transfers.download("notes.txt");
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal(await sha256File(join(alice.downloads, "notes.txt")), expected);
  } finally {
    await harness.close();
  }
});
