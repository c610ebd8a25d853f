/**
 * Names the server refuses to serve or accept, with their error codes. Requests are sent raw
 * (the client library refuses bad names itself before asking), so the server's checks are tested.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { OutgoingRequest } from "../../lib/chat/client_session.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { Harness, type TestClient, writeRandomFile } from "./_harness.ts";

const SHA = "0".repeat(64);

async function refusal(client: TestClient, request: OutgoingRequest): Promise<string> {
  try {
    const reply = await client.chat.request(request);
    return `granted ${reply.type}`;
  } catch (error) {
    if (!(error instanceof ChatError)) throw error;
    return error.code;
  }
}

Deno.test("server refuses get and put of names that climb out, hide or do not exist", async () => {
  const harness = await Harness.start();
  try {
    await Deno.writeTextFile(join(harness.folder, ".secret"), "hidden");
    await Deno.writeTextFile(join(harness.root, "outside.txt"), "outside");
    await Deno.mkdir(join(harness.folder, "sub"));
    await Deno.symlink(join(harness.root, "outside.txt"), join(harness.folder, "link.txt"));
    const alice = await harness.connect("alice");
    const get = (name: string) => refusal(alice, { type: "get", name, offset: 0 });
    const put = (name: string) => refusal(alice, { type: "put", name, size: 1, sha256: SHA });
    assert.equal(await get("../outside.txt"), "TRANSFER_REFUSED");
    assert.equal(await get("../x"), "TRANSFER_REFUSED");
    assert.equal(await get(".secret"), "TRANSFER_REFUSED");
    assert.equal(await get("link.txt"), "TRANSFER_REFUSED");
    assert.equal(await get("sub"), "TRANSFER_REFUSED");
    assert.equal(await get("missing.bin"), "NO_SUCH_FILE");
    assert.equal(await put("../x"), "TRANSFER_REFUSED");
    assert.equal(await put(".hidden"), "TRANSFER_REFUSED");
    assert.equal(await put("sub/inner.txt"), "TRANSFER_REFUSED");
    assert.equal(harness.grants.length, 0);
    assert.equal(harness.transfers.activeCount, 0);
    assert.deepEqual(
      [...Deno.readDirSync(harness.root)].map((e) => e.name).sort(),
      ["outside.txt", "shared"],
      "nothing was written outside the shared folder",
    );
  } finally {
    await harness.close();
  }
});

Deno.test("client download of a refused or missing name fails with its code, leaving no .part", async () => {
  const harness = await Harness.start();
  try {
    const alice = await harness.connect("alice");
    const missing = alice.transfers.download("missing.bin");
    await assert.rejects(
      () => alice.transfers.wait(missing),
      (error: ChatError) => error.code === "NO_SUCH_FILE",
    );
    const climbing = alice.transfers.download("../x");
    await assert.rejects(
      () => alice.transfers.wait(climbing),
      (error: ChatError) => error.code === "TRANSFER_REFUSED",
    );
    assert.equal(harness.grants.length, 0);
    const left = await Array.fromAsync(Deno.readDir(alice.downloads)).catch(() => []);
    assert.deepEqual(left.map((e) => e.name), [], "no empty .part left for a refused name");
  } finally {
    await harness.close();
  }
});

Deno.test("a connection holds at most 8 transfers at once; the 9th is TOO_MANY_TRANSFERS", async () => {
  const harness = await Harness.start();
  try {
    await writeRandomFile(join(harness.folder, "f.bin"), 1000);
    const greedy = await harness.connect("greedy");
    for (let i = 0; i < 8; i++) {
      const grant = await greedy.chat.request({ type: "get", name: "f.bin", offset: 0 });
      assert.equal(grant.type, "transfer");
    }
    await assert.rejects(
      greedy.chat.request({ type: "get", name: "f.bin", offset: 0 }),
      (e) =>
        e instanceof ChatError && e.code === "TOO_MANY_TRANSFERS" && /At most 8/.test(e.message),
    );
  } finally {
    await harness.close();
  }
});
