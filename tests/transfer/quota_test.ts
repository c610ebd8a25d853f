/**
 * Grant quotas counted from the moment a request is decided: many requests in one write, on one
 * connection or across many, get no more grants (and hold no more files) than the limits allow.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Line, LineClient } from "../net/_line_client.ts";
import { MAX_TRANSFERS, MAX_TRANSFERS_PER_CONNECTION } from "../../lib/transfer/grant_ledger.ts";
import { Harness, waitFor, writeRandomFile } from "./_harness.ts";

const SHA = "ab".repeat(32);

/** Sends every request in one write and returns the reply to each, in order. */
async function burst(client: LineClient, requests: object[]): Promise<Line[]> {
  const ids = requests.map((_, i) => `r${i}`);
  const text = requests.map((request, i) => JSON.stringify({ ...request, id: ids[i] })).join("\n");
  await client.sendRaw(new TextEncoder().encode(text + "\n"));
  const replies: Line[] = [];
  for (const id of ids) replies.push(await client.next((line) => line.re === id, 20_000));
  return replies;
}

function tally(replies: Line[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reply of replies) {
    const key = reply.type === "error" ? String(reply.code) : reply.type;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function partFiles(folder: string): Promise<string[]> {
  const names = await Array.fromAsync(Deno.readDir(folder), (entry) => entry.name);
  return names.filter((name) => name.endsWith(".part"));
}

Deno.test("40 gets in one write on one connection get 8 grants and 32 TOO_MANY_TRANSFERS", async () => {
  const harness = await Harness.start();
  const clients: LineClient[] = [];
  try {
    await writeRandomFile(join(harness.folder, "f.bin"), 100_000);
    const greedy = await LineClient.login(harness.port, "greedy");
    clients.push(greedy);
    const replies = await burst(
      greedy,
      Array.from({ length: 40 }, () => ({ type: "get", name: "f.bin", offset: 0 })),
    );
    assert.deepEqual(tally(replies), { transfer: 8, TOO_MANY_TRANSFERS: 32 });
    assert.deepEqual(harness.transfers.stats().transfers, MAX_TRANSFERS_PER_CONNECTION);
    assert.deepEqual(harness.transfers.stats().openFiles, 8, "one open file per grant");
  } finally {
    for (const client of clients) await client.close();
    await harness.close();
  }
});

Deno.test("40 puts in one write on one connection get 8 grants and leave 8 part files", async () => {
  const harness = await Harness.start();
  const clients: LineClient[] = [];
  try {
    const greedy = await LineClient.login(harness.port, "greedy");
    clients.push(greedy);
    const replies = await burst(
      greedy,
      Array.from(
        { length: 40 },
        (_, i) => ({ type: "put", name: `u${i}.bin`, size: 10, sha256: SHA }),
      ),
    );
    assert.deepEqual(tally(replies), { transfer: 8, TOO_MANY_TRANSFERS: 32 });
    assert.equal((await partFiles(harness.folder)).length, 8);
    await greedy.close();
    await waitFor(
      "the gone client's uploads to be dropped",
      async () =>
        harness.transfers.stats().openFiles === 0 && (await partFiles(harness.folder)).length === 0,
    );
    assert.equal(harness.transfers.stats().transfers, 0);
  } finally {
    for (const client of clients) await client.close();
    await harness.close();
  }
});

Deno.test("the server grants at most MAX_TRANSFERS across connections, then SERVER_BUSY", async () => {
  const harness = await Harness.start();
  const clients: LineClient[] = [];
  try {
    await writeRandomFile(join(harness.folder, "f.bin"), 10_000);
    const connections = Math.ceil(MAX_TRANSFERS / MAX_TRANSFERS_PER_CONNECTION) + 1;
    for (let i = 0; i < connections; i++) {
      clients.push(await LineClient.login(harness.port, `user${i}`));
    }
    const get = { type: "get", name: "f.bin", offset: 0 };
    const replies = (await Promise.all(
      clients.map((client) => burst(client, Array(MAX_TRANSFERS_PER_CONNECTION).fill(get))),
    )).flat();
    const extra = connections * MAX_TRANSFERS_PER_CONNECTION - MAX_TRANSFERS;
    assert.deepEqual(tally(replies), { transfer: MAX_TRANSFERS, SERVER_BUSY: extra });
    assert.equal(harness.transfers.stats().openFiles, MAX_TRANSFERS);
    const busy = replies.find((reply) => reply.code === "SERVER_BUSY")!;
    assert.match(String(busy.message), /try again later/);
  } finally {
    for (const client of clients) await client.close();
    await harness.close();
  }
});

Deno.test("the server refuses SERVER_BUSY once its open-file cap is reached", async () => {
  const harness = await Harness.start({ limits: { openFiles: 5 } });
  const clients: LineClient[] = [];
  try {
    await writeRandomFile(join(harness.folder, "f.bin"), 10_000);
    for (const name of ["ann", "bob"]) clients.push(await LineClient.login(harness.port, name));
    const get = { type: "get", name: "f.bin", offset: 0 };
    const replies = (await Promise.all(clients.map((client) => burst(client, Array(4).fill(get)))))
      .flat();
    assert.deepEqual(tally(replies), { transfer: 5, SERVER_BUSY: 3 });
  } finally {
    for (const client of clients) await client.close();
    await harness.close();
  }
});

Deno.test("a refused request gives its slot back: the next one is granted", async () => {
  const harness = await Harness.start({ limits: { perConnection: 1 } });
  const clients: LineClient[] = [];
  try {
    await writeRandomFile(join(harness.folder, "f.bin"), 10_000);
    const alice = await LineClient.login(harness.port, "alice");
    clients.push(alice);
    const replies = await burst(alice, [
      { type: "get", name: "missing.bin", offset: 0 },
      { type: "get", name: "f.bin", offset: 0 },
    ]);
    assert.deepEqual(tally(replies), { NO_SUCH_FILE: 1, TOO_MANY_TRANSFERS: 1 });
    assert.equal(harness.transfers.stats().transfers, 0);
    assert.equal(harness.transfers.stats().openFiles, 0);
    const [again] = await burst(alice, [{ type: "get", name: "f.bin", offset: 0 }]);
    assert.equal(again!.type, "transfer");
  } finally {
    for (const client of clients) await client.close();
    await harness.close();
  }
});
