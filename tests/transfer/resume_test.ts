/**
 * Resuming downloads from a `.part` file: the server checks the prefix hash before it agrees.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { sha256File } from "../../lib/files/file_hash.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { Harness, sizeOf, writeRandomFile } from "./_harness.ts";

const SIZE = 2 * 1024 * 1024 + 333;
const PREFIX = 1024 * 1024 + 123;

Deno.test("download resumes from a .part whose prefix matches the server's file", async () => {
  const harness = await Harness.start();
  try {
    const source = join(harness.folder, "movie.bin");
    const expected = await writeRandomFile(source, SIZE);
    const alice = await harness.connect("alice");
    await Deno.mkdir(alice.downloads, { recursive: true });
    const whole = await Deno.readFile(source);
    await Deno.writeFile(join(alice.downloads, "movie.bin.part"), whole.subarray(0, PREFIX));
    const id = alice.transfers.download("movie.bin");
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal(harness.grants[0]?.offset, PREFIX, "the server agreed to resume");
    assert.equal(await sha256File(join(alice.downloads, "movie.bin")), expected);
    assert.equal(await sizeOf(join(alice.downloads, "movie.bin.part")), -1);
  } finally {
    await harness.close();
  }
});

Deno.test("download restarts from 0 when the .part does not match and still ends correct", async () => {
  const harness = await Harness.start();
  try {
    const expected = await writeRandomFile(join(harness.folder, "movie.bin"), SIZE);
    const alice = await harness.connect("alice");
    await Deno.mkdir(alice.downloads, { recursive: true });
    const wrong = new Uint8Array(PREFIX);
    new Prng(99).fill(wrong);
    await Deno.writeFile(join(alice.downloads, "movie.bin.part"), wrong);
    const id = alice.transfers.download("movie.bin");
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal(harness.grants[0]?.offset, 0, "the server refused the prefix");
    assert.equal(await sha256File(join(alice.downloads, "movie.bin")), expected);
  } finally {
    await harness.close();
  }
});

Deno.test("download restarts from 0 when the .part is longer than the server's file", async () => {
  const harness = await Harness.start();
  try {
    const source = join(harness.folder, "small.bin");
    const expected = await writeRandomFile(source, 10_000);
    const alice = await harness.connect("alice");
    await Deno.mkdir(alice.downloads, { recursive: true });
    const longer = new Uint8Array(20_000);
    longer.set(await Deno.readFile(source));
    await Deno.writeFile(join(alice.downloads, "small.bin.part"), longer);
    const id = alice.transfers.download("small.bin");
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal(harness.grants[0]?.offset, 0);
    assert.equal(await sha256File(join(alice.downloads, "small.bin")), expected);
  } finally {
    await harness.close();
  }
});

Deno.test("a paused download keeps its .part and resumes where it stopped", async () => {
  // A slow path (2 MB/s) makes sure the pause lands mid-transfer.
  const harness = await Harness.start({
    relay: { toServer: {}, toClient: { rateBytesPerSecond: 2_000_000 }, seed: 5 },
  });
  try {
    const expected = await writeRandomFile(join(harness.folder, "movie.bin"), 4 * 1024 * 1024);
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("movie.bin");
    const part = join(alice.downloads, "movie.bin.part");
    while (alice.transfers.views()[0]!.done < 512 * 1024) {
      await new Promise((wake) => setTimeout(wake, 10));
    }
    alice.transfers.pause(id);
    assert.equal(await alice.transfers.wait(id), "paused");
    const kept = await sizeOf(part);
    assert.ok(kept > 0 && kept < 4 * 1024 * 1024, `partial file of ${kept} bytes`);
    alice.transfers.resume(id);
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal(harness.grants.length, 2);
    assert.equal(harness.grants[1]?.offset, kept, "the second grant resumes at the .part's end");
    assert.equal(await sha256File(join(alice.downloads, "movie.bin")), expected);
  } finally {
    await harness.close();
  }
});
