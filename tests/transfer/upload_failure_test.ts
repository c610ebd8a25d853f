/**
 * Uploads that the server cannot write (a full disk, injected): the part file is closed and
 * removed, the slots are given back, and the uploader hears why in `transfer_done`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { FolderFile } from "../../lib/files/shared_folder.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { Harness, waitFor, writeRandomFile } from "./_harness.ts";

const MIB = 1024 * 1024;

/** Opens files for the server's folder; files opened for writing fill up after `room` bytes. */
class FullDisk {
  readonly opened: { path: string; closed: boolean }[] = [];
  constructor(public room: number) {}

  open = async (path: string, options: Deno.OpenOptions): Promise<FolderFile> => {
    const file = await Deno.open(path, options);
    if (!options.write) return file;
    const record = { path, closed: false };
    this.opened.push(record);
    return {
      stat: () => file.stat(),
      read: (p) => file.read(p),
      readSync: (p) => file.readSync(p),
      seek: (offset, whence) => file.seek(offset, whence),
      seekSync: (offset, whence) => file.seekSync(offset, whence),
      truncate: (length) => file.truncate(length),
      writeSync: (bytes) => {
        if (this.room <= 0) throw new Error("No space left on device (os error 28)");
        const n = file.writeSync(bytes.subarray(0, Math.min(bytes.length, this.room)));
        this.room -= n;
        return n;
      },
      close: () => {
        file.close();
        record.closed = true;
      },
    };
  };
}

async function entries(folder: string): Promise<string[]> {
  return await Array.fromAsync(Deno.readDir(folder), (entry) => entry.name);
}

async function uploadOnFullDisk(size: number, room: number) {
  const disk = new FullDisk(room);
  const harness = await Harness.start({ folder: { open: disk.open } });
  const alice = await harness.connect("alice");
  const local = join(harness.root, "big.bin");
  await writeRandomFile(local, size);
  const id = alice.transfers.upload(local);
  const done = alice.transfers.wait(id).then(() => null, (error) => error);
  await waitFor("transfer_done", () => alice.events.some((e) => e.type === "transfer_done"), 5000);
  return { harness, alice, disk, error: await done };
}

for (
  const [what, size, room] of [
    ["at its last write", 100_000, 0],
    ["mid-upload", 3 * MIB, MIB + 1000],
  ] as const
) {
  Deno.test(`upload hitting a full disk ${what}: part closed and removed, uploader told`, async () => {
    const { harness, alice, disk, error } = await uploadOnFullDisk(size, room);
    try {
      const done = alice.events.find((e) => e.type === "transfer_done");
      assert.ok(done?.type === "transfer_done" && !done.ok);
      assert.equal(done.code, "TRANSFER_FAILED");
      assert.match(String(done.message), /cannot write the file: No space left/);
      assert.ok(error instanceof ChatError, `the upload failed: ${error}`);
      assert.match(error.message, /No space left/, "the client shows the server's reason");
      assert.equal(disk.opened.length, 1);
      assert.equal(disk.opened[0]!.closed, true, "the part file was closed");
      assert.deepEqual(await entries(harness.folder), [], "the part file was removed");
      await waitFor("the slots to be given back", () => harness.transfers.stats().openFiles === 0);
      assert.equal(harness.transfers.stats().transfers, 0);
      assert.ok(harness.logs.some((r) => r.event === "upload_failed"));
    } finally {
      await harness.close();
    }
  });
}

Deno.test("the same name uploads fine once the disk has room again", async () => {
  const { harness, alice, disk } = await uploadOnFullDisk(100_000, 0);
  try {
    disk.room = Infinity;
    const id = alice.transfers.upload(join(harness.root, "big.bin"));
    assert.equal(await alice.transfers.wait(id), "done");
    assert.deepEqual(await entries(harness.folder), ["big.bin"]);
  } finally {
    await harness.close();
  }
});
