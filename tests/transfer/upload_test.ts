/**
 * Uploads: the file lands in the shared folder under its name, everyone hears of it, and names
 * already taken are refused.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { sha256File } from "../../lib/files/file_hash.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { Harness, waitFor, writeRandomFile } from "./_harness.ts";

Deno.test("upload stores the file, announces file_added and shows it in the listing", async () => {
  const harness = await Harness.start();
  try {
    const bob = await harness.connect("bob");
    const alice = await harness.connect("alice");
    const local = join(harness.root, "report.pdf");
    const expected = await writeRandomFile(local, 1024 * 1024 + 99, 4);
    const id = alice.transfers.upload(local);
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal(await sha256File(join(harness.folder, "report.pdf")), expected);
    await waitFor("file_added at bob", () => bob.events.some((e) => e.type === "file_added"));
    const added = bob.events.find((e) => e.type === "file_added") as ServerMessage & {
      type: "file_added";
    };
    assert.deepEqual(
      { name: added.name, size: added.size, from: added.from },
      { name: "report.pdf", size: 1024 * 1024 + 99, from: "alice" },
    );
    const listing = await bob.chat.request({ type: "files" });
    assert.ok(listing.type === "files");
    assert.deepEqual(listing.files, [{ name: "report.pdf", size: 1024 * 1024 + 99 }]);
    const leftovers = [...Deno.readDirSync(harness.folder)].map((e) => e.name);
    assert.deepEqual(leftovers, ["report.pdf"], "no .upload-*.part left behind");
  } finally {
    await harness.close();
  }
});

Deno.test("upload of an empty file stores an empty file", async () => {
  const harness = await Harness.start();
  try {
    const alice = await harness.connect("alice");
    const local = join(harness.root, "empty.log");
    await Deno.writeFile(local, new Uint8Array());
    const id = alice.transfers.upload(local);
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal((await Deno.stat(join(harness.folder, "empty.log"))).size, 0);
  } finally {
    await harness.close();
  }
});

Deno.test("upload under a name the server has already is refused and changes nothing", async () => {
  const harness = await Harness.start();
  try {
    await Deno.writeTextFile(join(harness.folder, "notes.txt"), "original");
    const alice = await harness.connect("alice");
    const local = join(harness.root, "notes.txt");
    await Deno.writeTextFile(local, "replacement");
    const id = alice.transfers.upload(local);
    await assert.rejects(
      () => alice.transfers.wait(id),
      (error: ChatError) => error.code === "TRANSFER_REFUSED" && /exists/.test(error.message),
    );
    assert.equal(await Deno.readTextFile(join(harness.folder, "notes.txt")), "original");
  } finally {
    await harness.close();
  }
});

Deno.test("upload of a missing local file fails with NO_SUCH_FILE before asking the server", async () => {
  const harness = await Harness.start();
  try {
    const alice = await harness.connect("alice");
    const id = alice.transfers.upload(join(harness.root, "nowhere.bin"));
    await assert.rejects(
      () => alice.transfers.wait(id),
      (error: ChatError) => error.code === "NO_SUCH_FILE" && /^No file at/.test(error.message),
    );
    const folder = alice.transfers.upload(harness.root);
    await assert.rejects(
      () => alice.transfers.wait(folder),
      (error: ChatError) =>
        error.code === "NO_SUCH_FILE" && /^A folder, not a file/.test(error.message),
    );
    assert.equal(harness.grants.length, 0);
  } finally {
    await harness.close();
  }
});

Deno.test("upload under the NFD twin of a stored name is refused as taken", async () => {
  const harness = await Harness.start();
  try {
    await Deno.writeTextFile(join(harness.folder, "caf\u00e9.txt"), "original");
    const alice = await harness.connect("alice");
    const sha256 = "0".repeat(64);
    await assert.rejects(
      () => alice.chat.request({ type: "put", name: "cafe\u0301.txt", size: 3, sha256 }),
      (error: ChatError) => error.code === "TRANSFER_REFUSED" && /exists/.test(error.message),
    );
    assert.deepEqual([...Deno.readDirSync(harness.folder)].map((e) => e.name), ["caf\u00e9.txt"]);
  } finally {
    await harness.close();
  }
});
