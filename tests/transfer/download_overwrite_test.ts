import assert from "node:assert/strict";
import { join } from "node:path";
import { sha256File } from "../../lib/files/file_hash.ts";
import { Harness, writeRandomFile } from "./_harness.ts";

Deno.test("download asked to overwrite replaces a file of its name, others still refuse", async () => {
  const harness = await Harness.start();
  try {
    const expected = await writeRandomFile(join(harness.folder, "notes.txt"), 5000);
    const alice = await harness.connect("alice");
    await Deno.mkdir(alice.downloads, { recursive: true });
    const local = join(alice.downloads, "notes.txt");
    await Deno.writeTextFile(local, "mine");
    const refused = alice.transfers.download("notes.txt");
    await assert.rejects(() => alice.transfers.wait(refused));
    assert.equal(await Deno.readTextFile(local), "mine");
    const forced = alice.transfers.download("notes.txt", { overwrite: true });
    assert.equal(await alice.transfers.wait(forced), "done");
    assert.equal(await sha256File(local), expected);
  } finally {
    await harness.close();
  }
});
