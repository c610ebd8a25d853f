import assert from "node:assert/strict";
import { backgroundCommands, waitingCommands } from "../../lib/cli/transfer_commands.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import type { ClientTransfers, TransferView } from "../../lib/transfer/client_transfers.ts";

/** A transfer manager holding one download, whose state the test sets. */
function oneTransfer(state: TransferView["state"], failure?: ChatError, refusal?: ChatError) {
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
    checkDownload: () => refusal === undefined ? Promise.resolve() : Promise.reject(refusal),
  };
  const printed: string[] = [];
  const printer = {
    print: (...l: string[]) => printed.push(...l),
    error: (l: string) => printed.push(l),
  };
  const commands = backgroundCommands(transfers as unknown as ClientTransfers, printer);
  const waiting = waitingCommands(transfers as unknown as ClientTransfers, printer);
  return { commands, waiting, calls, printed };
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

Deno.test("backgroundCommands tells a file in the way alone, before any downloading line", async () => {
  const exists = new ChatError("FILE_EXISTS", "'downloads/notes.txt' exists already");
  const { commands, calls, printed } = oneTransfer("starting", undefined, exists);
  await assert.rejects(
    commands.get("notes.txt"),
    (error: ChatError) =>
      error.code === "FILE_EXISTS" &&
      error.message === "notes.txt exists in the downloads folder; /get -f notes.txt replaces it",
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(printed, []);
  assert.deepEqual(calls, []);
});

Deno.test("waitingCommands refuses a download whose file is in the way before starting it", async () => {
  const exists = new ChatError("FILE_EXISTS", "'downloads/notes.txt' exists already");
  const { waiting, calls, printed } = oneTransfer("starting", undefined, exists);
  await assert.rejects(waiting.get("notes.txt"), (error: ChatError) => error === exists);
  assert.deepEqual(printed, []);
  assert.deepEqual(calls, []);
});
