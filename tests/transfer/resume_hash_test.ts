/**
 * Resume requests cost at most one hashing of a file version, however many arrive at once.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { type Line, LineClient } from "../net/_line_client.ts";
import { Harness, writeRandomFile } from "./_harness.ts";

const SIZE = 4 * 1024 * 1024;

async function burst(client: LineClient, requests: object[], tag: string): Promise<Line[]> {
  const ids = requests.map((_, i) => `${tag}${i}`);
  const text = requests.map((request, i) => JSON.stringify({ ...request, id: ids[i] })).join("\n");
  await client.sendRaw(new TextEncoder().encode(text + "\n"));
  const replies: Line[] = [];
  for (const id of ids) replies.push(await client.next((line) => line.re === id, 20_000));
  return replies;
}

async function withClients(
  count: number,
  fn: (harness: Harness, clients: LineClient[]) => Promise<void>,
): Promise<void> {
  const harness = await Harness.start();
  const clients: LineClient[] = [];
  try {
    for (let i = 0; i < count; i++) clients.push(await LineClient.login(harness.port, `u${i}`));
    await fn(harness, clients);
  } finally {
    for (const client of clients) await client.close();
    await harness.close();
  }
}

Deno.test("40 resume gets at offset = size on one connection read the file once", async () => {
  await withClients(1, async (harness, [client]) => {
    const sha256 = await writeRandomFile(join(harness.folder, "big.bin"), SIZE);
    const get = { type: "get", name: "big.bin", offset: SIZE, prefixSha256: sha256 };
    const replies = await burst(client!, Array(40).fill(get), "r");
    const grants = replies.filter((reply) => reply.type === "transfer");
    assert.equal(grants.length, 8);
    assert.ok(grants.every((grant) => grant.offset === SIZE && grant.sha256 === sha256));
    assert.equal(harness.transfers.stats().hashedBytes, SIZE);
  });
});

Deno.test("40 resume gets from 5 connections at once read the file once", async () => {
  await withClients(5, async (harness, clients) => {
    const sha256 = await writeRandomFile(join(harness.folder, "big.bin"), SIZE);
    const get = { type: "get", name: "big.bin", offset: SIZE, prefixSha256: "0".repeat(64) };
    const replies = (await Promise.all(clients.map((c) => burst(c, Array(8).fill(get), "r"))))
      .flat();
    assert.equal(replies.filter((reply) => reply.type === "transfer").length, 40);
    assert.ok(replies.every((reply) => reply.offset === 0 && reply.sha256 === sha256));
    assert.equal(harness.transfers.stats().hashedBytes, SIZE);
  });
});

Deno.test("resume gets with one prefix hash it once, beside the whole file's hash", async () => {
  await withClients(2, async (harness, clients) => {
    const path = join(harness.folder, "big.bin");
    await writeRandomFile(path, SIZE);
    const half = SIZE / 2;
    const prefix = createHash("sha256").update((await Deno.readFile(path)).subarray(0, half))
      .digest("hex");
    const get = { type: "get", name: "big.bin", offset: half, prefixSha256: prefix };
    const replies = (await Promise.all(clients.map((c) => burst(c, Array(8).fill(get), "r"))))
      .flat();
    assert.ok(replies.every((reply) => reply.type === "transfer" && reply.offset === half));
    assert.equal(harness.transfers.stats().hashedBytes, SIZE + half);
  });
});

Deno.test("a file rewritten since it was hashed is hashed again and advertised anew", async () => {
  await withClients(1, async (harness, [client]) => {
    const path = join(harness.folder, "big.bin");
    const first = await writeRandomFile(path, SIZE, 1);
    const get = { type: "get", name: "big.bin", offset: 0 };
    const [before] = await burst(client!, [get], "a");
    assert.equal(before!.sha256, first);
    const second = await writeRandomFile(path, SIZE, 2); // same size, same inode, new content
    const [after] = await burst(client!, [get], "b");
    assert.equal(after!.sha256, second);
    assert.equal(harness.transfers.stats().hashedBytes, 2 * SIZE);
  });
});
