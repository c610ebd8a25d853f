import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { Harness, writeRandomFile } from "./_harness.ts";

Deno.test("a download paused and resumed at once still finishes intact", async () => {
  const harness = await Harness.start({
    relay: { toServer: {}, toClient: { rateBytesPerSecond: 2_000_000 }, seed: 5 },
  });
  try {
    const source = join(harness.folder, "movie.bin");
    await writeRandomFile(source, 4 * 1024 * 1024);
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("movie.bin");
    while (alice.transfers.views()[0]!.done < 512 * 1024) {
      await new Promise((wake) => setTimeout(wake, 10));
    }
    alice.transfers.pause(id);
    alice.transfers.resume(id);
    assert.throws(() => alice.transfers.resume(id), /not paused/);
    assert.equal(await alice.transfers.wait(id), "done");
    const sha = async (path: string) =>
      createHash("sha256").update(await Deno.readFile(path)).digest("hex");
    assert.equal(await sha(join(alice.downloads, "movie.bin")), await sha(source));
  } finally {
    await harness.close();
  }
});
