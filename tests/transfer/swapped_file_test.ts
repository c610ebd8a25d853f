/**
 * Files swapped in the shared folder between the server's check and its open (someone with
 * write access to the folder): a FIFO cannot freeze the hub, and a symlink never gets a file
 * outside the folder hashed, advertised or served. The swaps are made by the folder's opener,
 * exactly between the check and the open.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import type { FolderFile } from "../../lib/files/shared_folder.ts";
import { sha256File } from "../../lib/files/file_hash.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { LineClient } from "../net/_line_client.ts";
import { Harness, waitFor, writeRandomFile } from "./_harness.ts";

const OPEN_TIMEOUT_MS = 300;

type Opener = (path: string, how: Deno.OpenOptions) => Promise<FolderFile>;

/** An opener that runs `swap` once, just before (or after) opening a file named `name`. */
function swapping(name: string, when: "before" | "after", swap: (path: string) => Promise<void>) {
  let done = false;
  const opener: Opener = async (path, how) => {
    const due = !done && basename(path) === name && !how.write;
    if (due) done = true;
    if (due && when === "before") await swap(path);
    const file = await Deno.open(path, how);
    if (due && when === "after") await swap(path);
    return file;
  };
  return opener;
}

async function mkfifo(path: string): Promise<void> {
  assert.ok((await new Deno.Command("mkfifo", { args: [path] }).output()).success, "mkfifo");
}

Deno.test("a FIFO swapped in after the check is refused at the open timeout while chat goes on", async () => {
  let fifo = "";
  const harness = await Harness.start({
    folder: {
      openTimeoutMs: OPEN_TIMEOUT_MS,
      open: swapping("movie.bin", "before", async (path) => {
        await Deno.remove(path);
        await mkfifo(path);
        fifo = path;
      }),
    },
  });
  const alice = await LineClient.login(harness.port, "alice");
  let writer: Deno.ChildProcess | null = null;
  try {
    const path = join(harness.folder, "movie.bin");
    await writeRandomFile(path, 10_000);
    // A writer opens the FIFO after 1.5 s: that returns the open the server gave up on (and
    // would unblock a server frozen in a blocking open, so that this test fails, not hangs).
    writer = new Deno.Command("timeout", {
      args: ["6", "sh", "-c", `sleep 1.5; exec 3>"$0"`, path],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const started = performance.now();
    await alice.send({ type: "get", id: "get", name: "movie.bin", offset: 0 });
    await waitFor("the swap", () => fifo !== "");
    await alice.send({ type: "ping", id: "ping" });
    await alice.next((line) => line.re === "ping", 10_000);
    const pongMs = performance.now() - started;
    const refusal = await alice.next((line) => line.re === "get", 10_000);
    const refusedMs = performance.now() - started;
    assert.ok(pongMs < 250, `ping answered after ${pongMs.toFixed(0)} ms, during the open`);
    assert.ok(refusedMs < 1200, `refused after ${refusedMs.toFixed(0)} ms`);
    assert.equal(refusal.type, "error");
    assert.equal(refusal.code, "TRANSFER_REFUSED");
    assert.match(String(refusal.message), /did not open within 300 ms/);
    assert.equal(harness.grants.length, 0);
    assert.equal(harness.transfers.stats().transfers, 0, "the grant slot was given back");
    assert.equal(harness.transfers.stats().openFiles, 1, "the open is still under way");
    await writer.status; // a writer appears: the abandoned open returns and is closed
    await waitFor("the open's file slot", () => harness.transfers.stats().openFiles === 0);
  } finally {
    if (writer !== null) await writer.status;
    await alice.close();
    await harness.close();
  }
});

Deno.test("a symlink swapped in before the open is refused and its target never hashed", async () => {
  let outside = "";
  const harness = await Harness.start({
    folder: {
      open: swapping("movie.bin", "before", async (path) => {
        await Deno.remove(path);
        await Deno.symlink(outside, path);
      }),
    },
  });
  try {
    outside = join(harness.root, "secret.bin");
    await writeRandomFile(outside, 50_000, 7);
    await writeRandomFile(join(harness.folder, "movie.bin"), 10_000);
    const alice = await harness.connect("alice");
    await assert.rejects(
      alice.chat.request({ type: "get", name: "movie.bin", offset: 0 }),
      (e) => e instanceof ChatError && e.code === "TRANSFER_REFUSED" && /changed/.test(e.message),
    );
    assert.equal(harness.grants.length, 0);
    assert.equal(harness.transfers.stats().hashedBytes, 0, "nothing was hashed");
    assert.equal(harness.transfers.stats().openFiles, 0);
  } finally {
    await harness.close();
  }
});

Deno.test("a symlink swapped in after the open: the opened file is hashed and served", async () => {
  let outside = "";
  const harness = await Harness.start({
    folder: {
      open: swapping("movie.bin", "after", async (path) => {
        await Deno.remove(path);
        await Deno.symlink(outside, path);
      }),
    },
  });
  try {
    outside = join(harness.root, "secret.bin");
    const secret = await writeRandomFile(outside, 50_000, 7);
    const movie = await writeRandomFile(join(harness.folder, "movie.bin"), 10_000);
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("movie.bin");
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal(harness.grants[0]?.sha256, movie, "the grant advertises the opened file");
    assert.notEqual(harness.grants[0]?.sha256, secret);
    assert.equal(await sha256File(join(alice.downloads, "movie.bin")), movie);
    await assert.rejects(
      alice.chat.request({ type: "get", name: "movie.bin", offset: 0 }),
      (e) => e instanceof ChatError && /symbolic link/.test(e.message),
      "the link itself is refused from now on",
    );
  } finally {
    await harness.close();
  }
});
