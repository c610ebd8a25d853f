/**
 * The datagram size path MTU discovery settled on is reported at the end of a transfer: in the
 * server's `download_done` / `upload_done` records and in the client's summary line.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { waitingCommands } from "../../lib/cli/transfer_commands.ts";
import { Harness, waitFor, writeRandomFile } from "./_harness.ts";

const MIB = 1024 * 1024;

function printer() {
  const lines: string[] = [];
  return { lines, print: (...more: string[]) => lines.push(...more), error: () => {} };
}

Deno.test("a download names the datagram size it ended at, in the server's log and the summary", async () => {
  const harness = await Harness.start();
  try {
    await writeRandomFile(join(harness.folder, "f.bin"), MIB);
    // The search goes from 1,200 bytes up to the client's bound (below the 1,472 bytes assumed
    // when the OS does not tell the interface's MTU).
    const alice = await harness.connect("alice", { maxDatagramBytes: 1400 });
    const out = printer();
    await waitingCommands(alice.transfers, out).get("f.bin");
    assert.match(out.lines.join("\n"), /^Finished: f\.bin, .+, 1400-byte datagrams$/m);
    const done = harness.logs.find((r) => r.event === "download_done");
    assert.match(done?.detail ?? "", /\bdatagram=1400\b/);
  } finally {
    await harness.close();
  }
});

Deno.test("an upload names the datagram size it ended at, in the server's log and the summary", async () => {
  const harness = await Harness.start();
  try {
    const local = join(harness.root, "up.bin");
    await writeRandomFile(local, MIB);
    const alice = await harness.connect("alice", { maxDatagramBytes: 1400 });
    const out = printer();
    await waitingCommands(alice.transfers, out).put(local);
    assert.match(out.lines.join("\n"), /^Finished: up\.bin, .+, 1400-byte datagrams$/m);
    await waitFor("upload_done", () => harness.logs.some((r) => r.event === "upload_done"));
    const done = harness.logs.find((r) => r.event === "upload_done");
    assert.match(done?.detail ?? "", /\bdatagram=1400\b/, "the receiver saw the sender's size");
  } finally {
    await harness.close();
  }
});
