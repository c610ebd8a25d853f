import assert from "node:assert/strict";
import { backgroundCommands } from "../../lib/cli/transfer_commands.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import type { ClientTransfers, TransferView } from "../../lib/transfer/client_transfers.ts";

/** A transfer manager holding one download, whose state the test sets. */
function oneTransfer(state: TransferView["state"], failure?: ChatError) {
  const calls: string[] = [];
  const view: TransferView = {
    id: 1,
    name: "notes.txt",
    direction: "download",
    state,
    done: 0,
    total: 10,
    bytesPerSecond: NaN,
    datagramBytes: null,
  };
  const transfers = {
    views: () => [view],
    pause: () => calls.push("pause"),
    resume: () => calls.push("resume"),
    cancel: () => calls.push("cancel"),
    download: (_name: string, options: { overwrite?: boolean } = {}) => {
      calls.push(`download overwrite=${options.overwrite ?? false}`);
      return 1;
    },
    wait: () => failure === undefined ? new Promise(() => {}) : Promise.reject(failure),
  };
  const printed: string[] = [];
  const commands = backgroundCommands(transfers as unknown as ClientTransfers, {
    print: (...l) => printed.push(...l),
    error: (l) => printed.push(l),
  });
  return { commands, calls, printed };
}

Deno.test("backgroundCommands says a paused transfer is already paused", () => {
  const { commands, calls, printed } = oneTransfer("paused");
  commands.control("pause", 1);
  assert.deepEqual(printed, ["#1 is already paused"]);
  assert.deepEqual(calls, []);
});

Deno.test("backgroundCommands says a running transfer is already running on resume", () => {
  const { commands, calls, printed } = oneTransfer("running");
  commands.control("resume", 1);
  assert.deepEqual(printed, ["#1 is already running"]);
  assert.deepEqual(calls, []);
  commands.control("pause", 1);
  assert.deepEqual(printed.at(-1), "#1 paused");
  assert.deepEqual(calls, ["pause"]);
});

Deno.test("backgroundCommands passes -f on and points to it when a file is in the way", async () => {
  const exists = new ChatError("FILE_EXISTS", "'downloads/notes.txt' exists already");
  const { commands, calls, printed } = oneTransfer("failed", exists);
  await commands.get("notes.txt", { overwrite: true });
  assert.deepEqual(calls, ["download overwrite=true"]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(
    printed.at(-1),
    "#1 failed: notes.txt exists in the downloads folder; /get -f notes.txt replaces it",
  );
});
