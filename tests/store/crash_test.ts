import assert from "node:assert/strict";
import { MAX_BATCH_AGE_MS } from "../../lib/core/flush_policy.ts";
import { openQuiet, tempDir } from "./_temp_store.ts";

const CHILD = new URL("./_append_forever.ts", import.meta.url).pathname;
/** Timer and scheduling slack allowed on top of the batch age, in ms. */
const SLACK_MS = 300;

async function startChild(dir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", CHILD, dir],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const first = await lines.read();
  assert.equal(first.value?.trim(), "ready");
  return { child, lines };
}

function latest(dir: string) {
  const store = openQuiet(dir);
  const [last] = store.history({ requester: "x", conversation: { room: "#lobby" }, limit: 1 });
  const lastId = store.lastId;
  store.close();
  return { last, lastId };
}

Deno.test("HistoryStore loses at most the last second of messages when the process is killed", async () => {
  const dir = tempDir();
  const { child, lines } = await startChild(dir);
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const killedAt = Date.now();
  child.kill("SIGKILL");
  await child.status;
  await lines.cancel();
  const { last } = latest(dir);
  assert.ok(last !== undefined, "nothing was written before the kill");
  const lostMs = killedAt - last.ts;
  assert.ok(lostMs <= MAX_BATCH_AGE_MS + SLACK_MS, `lost the last ${lostMs} ms`);
});

Deno.test("HistoryStore loses nothing when the process closes it on SIGTERM", async () => {
  const dir = tempDir();
  const { child, lines } = await startChild(dir);
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.kill("SIGTERM");
  const report = await lines.read();
  await child.status;
  await lines.cancel();
  const [, closedId, , lost] = report.value!.trim().split(" ");
  assert.equal(lost, "0");
  const { last } = latest(dir);
  assert.equal(String(last?.id), closedId);
});
