/**
 * Clients that go away mid-transfer: the server frees what it held for them. A relay with a
 * rate-limited path keeps each transfer running long enough to be interrupted.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ChatError } from "../../lib/net/chat_error.ts";
import { Harness, sizeOf, waitFor, writeRandomFile } from "./_harness.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The server must have dropped a vanished client's transfer within this, ms. */
const RELEASE_BOUND_MS = 10_000;
/** Longest the upload's end may take once its client left: its idle timeout and some. */
const WAIT_BOUND_MS = 60_000;
const SLOW = { rateBytesPerSecond: 2_000_000 };

Deno.test("a client process killed mid-download frees the server's transfer state", async () => {
  const harness = await Harness.start({ relay: { toServer: {}, toClient: SLOW, seed: 11 } });
  try {
    await writeRandomFile(join(harness.folder, "big.bin"), 8 * 1024 * 1024);
    const downloads = join(harness.root, "killed");
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "client.ts",
        ...["--port", String(harness.port), "--name", "zed", "--downloads", downloads],
        ...["get", "big.bin"],
      ],
      cwd: ROOT,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const part = join(downloads, "big.bin.part");
    await waitFor("the download to be under way", async () => await sizeOf(part) > 0, 20_000);
    assert.equal(harness.transfers.activeCount, 1);
    child.kill("SIGKILL");
    await child.status;
    const killedAt = performance.now();
    await waitFor(
      "the server to free the transfer",
      () => harness.transfers.activeCount === 0,
      RELEASE_BOUND_MS,
    );
    const tookMs = performance.now() - killedAt;
    assert.ok(tookMs < RELEASE_BOUND_MS, `freed after ${tookMs.toFixed(0)} ms`);
    assert.ok(harness.logs.some((r) => r.event === "download_ended"));
  } finally {
    await harness.close();
  }
});

Deno.test("a client that leaves the chat mid-download has its transfer cancelled", async () => {
  const harness = await Harness.start({ relay: { toServer: {}, toClient: SLOW, seed: 12 } });
  try {
    await writeRandomFile(join(harness.folder, "big.bin"), 8 * 1024 * 1024);
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("big.bin");
    await waitFor("the download to be under way", () => alice.transfers.views()[0]!.done > 0);
    await alice.chat.close();
    await assert.rejects(
      () => alice.transfers.wait(id),
      (error: ChatError) =>
        error.code === "TRANSFER_FAILED" && /partial file is kept/.test(error.message),
    );
    await waitFor(
      "the server to free the transfer",
      () => harness.transfers.activeCount === 0,
      RELEASE_BOUND_MS,
    );
    assert.ok(await sizeOf(join(alice.downloads, "big.bin.part")) > 0);
  } finally {
    await harness.close();
  }
});

Deno.test("a client that leaves mid-upload leaves nothing in the shared folder", async () => {
  const harness = await Harness.start({ relay: { toServer: SLOW, toClient: {}, seed: 13 } });
  try {
    const local = join(harness.root, "upload.bin");
    await writeRandomFile(local, 8 * 1024 * 1024);
    const alice = await harness.connect("alice");
    const id = alice.transfers.upload(local);
    await waitFor("the upload to be under way", () => alice.transfers.views()[0]!.done > 0);
    await alice.chat.close();
    // Bounded, and saying where the upload stood: this wait once hung a CI run for minutes.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const views = JSON.stringify(alice.transfers.views());
        reject(new Error(`The upload's wait did not end in ${WAIT_BOUND_MS} ms: ${views}`));
      }, WAIT_BOUND_MS);
    });
    try {
      await assert.rejects(() => Promise.race([alice.transfers.wait(id), stuck]), ChatError);
    } finally {
      clearTimeout(timer);
    }
    await waitFor(
      "the server to free the transfer",
      () => harness.transfers.activeCount === 0,
      RELEASE_BOUND_MS,
    );
    await waitFor(
      "the partial upload to be removed",
      () => [...Deno.readDirSync(harness.folder)].length === 0,
    );
  } finally {
    await harness.close();
  }
});
