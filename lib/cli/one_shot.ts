/**
 * The scriptable client: one command, or one input line at a time from a pipe. A signal stops
 * either within a second: transfers are cancelled (a download keeps its `.part`), the hub is
 * told, and the exit code is 130 after SIGINT, 143 after SIGTERM.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import type { ChatClient } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import { waitAtMost } from "../net/waiting.ts";
import type { ClientConfig, OneShot } from "./client_config.ts";
import { connectAs } from "./connect.ts";
import { EXIT, type ExitCode, exitCodeFor, exitForSignal, worseExit } from "./exit_codes.ts";
import { formatEvent, formatJson } from "./format.ts";
import { formatHistory } from "./history_display.ts";
import {
  describeError,
  type Printer,
  type ProgressLine,
  type RunContext,
  runInput,
} from "./input_runner.ts";
import { errorJson, interruptedJson, statusJson } from "./json_lines.ts";
import type { ClientTransfers } from "../transfer/client_transfers.ts";
import type { TransferCommands } from "./input_runner.ts";
import { readLines } from "./read_lines.ts";
import { parseInput } from "./slash_command.ts";
import type { CurrentRoom } from "./room_commands.ts";
import { LOBBY } from "../chat/room_rules.ts";
import { requestPatiently } from "../net/request_patiently.ts";

/** How long a signal leaves transfers to cancel (and a download to keep its `.part`), in ms. */
export const SIGNAL_TRANSFER_STOP_MS = 400;
/** How long a signal leaves the hub to answer `quit`, in ms. */
export const SIGNAL_QUIT_MS = 300;
/** What starts each stored line a text-mode `listen` prints (a replay, a catch-up). */
export const HISTORY_PREFIX = "history ";

/** A signal that stops a scripted run. */
export type StopSignal = "SIGINT" | "SIGTERM";

/** Where a scripted run reads and writes. */
export interface ScriptIo {
  printer: Printer;
  /** Input lines for piped mode. */
  lines?: AsyncIterable<string>;
  /** Resolves with the signal when the user interrupts (SIGINT) or the system stops us. */
  interrupted: Promise<StopSignal>;
}

/** What a run has opened, for a signal to close. */
interface Opened {
  client: ChatClient | null;
  transfers: ClientTransfers | null;
  /** Set once a signal stopped the run: what the run still prints is of no use. */
  stopped: boolean;
}

/** Runs a one-shot command, or piped input when `command` is `null`; returns the exit code. */
export async function runScripted(
  config: ClientConfig,
  command: OneShot | null,
  io: ScriptIo,
): Promise<number> {
  if (config.name === undefined) {
    io.printer.error("A name is needed: give --name NAME or set CHAT_NAME");
    return EXIT.USAGE;
  }
  const opened: Opened = { client: null, transfers: null, stopped: false };
  const printer: Printer = {
    print: (...lines) => opened.stopped || io.printer.print(...lines),
    error: (line) => opened.stopped || io.printer.error(line),
    ...(io.printer.progress === undefined
      ? {}
      : { progress: stoppable(io.printer.progress, opened) }),
  };
  const work = run(config, config.name, command, { ...io, printer }, opened);
  const outcome = await Promise.race([
    work.then((code) => ({ code })),
    io.interrupted.then((signal) => ({ signal })),
  ]);
  if ("code" in outcome) return outcome.code;
  opened.stopped = true;
  io.printer.error(config.json ? interruptedJson(outcome.signal) : `Stopped by ${outcome.signal}`);
  await stop(opened);
  await waitAtMost(work, SIGNAL_QUIT_MS);
  return exitForSignal(outcome.signal);
}

/** A progress line that shows nothing once a signal stopped the run. */
function stoppable(live: ProgressLine, opened: Opened): ProgressLine {
  return {
    show: (line) => opened.stopped || live.show(line),
    columns: () => live.columns(),
  };
}

function markHistory(line: string): string {
  return HISTORY_PREFIX + line;
}

/** Cancels the transfers (downloads keep their `.part`) and says goodbye, within bounds. */
async function stop(opened: Opened): Promise<void> {
  if (opened.transfers !== null) {
    await waitAtMost(opened.transfers.close(), SIGNAL_TRANSFER_STOP_MS);
  }
  if (opened.client !== null) await waitAtMost(opened.client.close(), SIGNAL_QUIT_MS);
}

async function run(
  config: ClientConfig,
  name: string,
  command: OneShot | null,
  io: ScriptIo,
  opened: Opened,
): Promise<number> {
  const { printer } = io;
  const fail = (error: ChatError) =>
    printer.error(config.json ? errorJson(error) : describeError(error));
  // The file channel's code loads while the hub is dialled, and only for a run that may use it.
  const loading = usesTransfers(command) ? loadTransfers() : null;
  const client = await connect(config, name, command, { printer, opened, fail });
  if (typeof client === "number") return client;
  opened.client = client;
  // What `/quit MESSAGE` in piped input asks to tell the others.
  let goodbye: string | undefined;
  try {
    const joined = await joinRooms(client, config.rooms ?? [], fail);
    if (joined !== EXIT.OK) return joined;
    if (command?.kind === "listen") return endCode(await client.ended, fail);
    const commands = loading === null ? undefined : (await loading)(client, config, {
      printer,
      opened,
    });
    const context: RunContext = {
      client,
      printer,
      color: false,
      json: config.json,
      downloads: config.downloads,
      ...(commands === undefined ? {} : { transfers: commands }),
      room: firstRoom(config.rooms ?? []),
      onQuit: (message) => goodbye = message,
      ...(config.password === undefined ? {} : { password: config.password }),
    };
    if (command !== null) return toExit(await runInput(command, context));
    return await pipe(io.lines ?? readLines(Deno.stdin.readable), context, client.ended, fail);
  } finally {
    await opened.transfers?.close();
    await client.close(goodbye);
  }
}

/** Whether a run may transfer files: `get`, `put`, and piped input, which may ask for either. */
function usesTransfers(command: OneShot | null): boolean {
  return command === null || command.kind === "get" || command.kind === "put";
}

/** Opens the transfers of a connected run (recorded in `opened`) and its waiting commands. */
type TransfersOpener = (
  client: ChatClient,
  config: ClientConfig,
  out: { printer: Printer; opened: Opened },
) => TransferCommands;

/** Starts loading the file channel's code; the promise never goes unhandled. */
function loadTransfers(): Promise<TransfersOpener> {
  const loading = import("./transfer_commands.ts").then(
    ({ lineRenderer, openTransfers, waitingCommands }): TransfersOpener =>
    (client, config, { printer, opened }) => {
      const transfers = openTransfers(
        client,
        config,
        lineRenderer(() => opened.transfers, printer, { json: config.json }),
      );
      opened.transfers = transfers;
      return waitingCommands(transfers, printer, { json: config.json });
    },
  );
  // A run that fails to connect never awaits it: its failure must not go unhandled then.
  loading.catch(() => {});
  return loading;
}

/** Joins the `--room` rooms in order; the first refusal is told and its exit code returned. */
async function joinRooms(
  client: ChatClient,
  rooms: string[],
  fail: (error: ChatError) => void,
): Promise<ExitCode> {
  for (const room of rooms) {
    try {
      await requestPatiently(client, { type: "join", room });
    } catch (error) {
      if (!(error instanceof ChatError)) throw error;
      fail(error);
      return exitCodeFor(error.code);
    }
  }
  return EXIT.OK;
}

/** The current room of a scripted run: the first `--room`, else `#lobby`; `/switch` moves it. */
function firstRoom(rooms: string[]): CurrentRoom {
  let current = rooms[0] ?? LOBBY;
  return { get: () => current, set: (room) => current = room };
}

/** Connects and logs in; a failure is told and its exit code returned instead. */
async function connect(
  config: ClientConfig,
  name: string,
  command: OneShot | null,
  out: { printer: Printer; opened: Opened; fail: (error: ChatError) => void },
): Promise<ChatClient | ExitCode> {
  const { printer, opened, fail } = out;
  const plain = { color: false, oneLine: true, showRoom: true };
  const show = (message: ServerMessage) => {
    if (config.json) return printer.print(formatJson(message));
    if (message.type === "history") {
      // Text has no dimming: a prefix tells stored lines from what is said now.
      const lines = formatHistory(message, name, plain);
      return lines.length === 0 ? undefined : printer.print(...lines.map(markHistory));
    }
    const line = formatEvent(message, plain);
    if (line !== null) printer.print(line);
  };
  try {
    return await connectAs(config, name, {
      // Events other than those asked for are shown only where the user is listening.
      onEvent: (message) => {
        opened.transfers?.handleServerMessage(message);
        if (command === null || command.kind === "listen") show(message);
      },
      onStatus: (line, status) => printer.error(config.json ? statusJson(status) : line),
      onNotice: fail,
      // `register` logs in as the guest whose name it registers.
    }, { guest: command?.kind === "register" });
  } catch (error) {
    if (!(error instanceof ChatError)) throw error;
    const refused = command?.kind === "register" ? alreadyRegistered(error, name) : error;
    fail(refused);
    return exitCodeFor(refused.code);
  }
}

/**
 * A `register` refused because the name has an account already says so: the hub's words
 * ("give its password") read as if the password given were missing.
 */
function alreadyRegistered(error: ChatError, name: string): ChatError {
  if (error.code !== "NAME_REGISTERED") return error;
  return new ChatError(
    "NAME_REGISTERED",
    `Name '${name}' is registered already: log in with its password, without 'register' ` +
      "(the interactive client's /password changes it)",
  );
}

/**
 * Runs each input line in turn; returns the most serious failure's code (see `SEVERITY`). A
 * client that ended under the run (a name taken while reconnecting, say) stops it with its
 * code. A request in progress then fails and says why itself.
 */
async function pipe(
  lines: AsyncIterable<string>,
  context: RunContext,
  ended: Promise<ChatError | null>,
  fail: (error: ChatError) => void,
): Promise<ExitCode> {
  let worst: ExitCode = EXIT.OK;
  // Set by the client's end, in a callback: read through a function, not narrowed.
  let end: { error: ChatError | null } | null = null;
  const stopped = ended.then((error) => end = { error });
  const endedYet = () => end;
  const iterator = lines[Symbol.asyncIterator]();
  for (;;) {
    const next = await Promise.race([stopped, iterator.next()]);
    // Ended while waiting for input: nothing else has said why.
    const endedWaiting = endedYet();
    if (endedWaiting !== null) return worseExit(worst, endCode(endedWaiting.error, fail));
    if ("error" in next || next.done) return worst;
    const result = await runInput(parseInput(next.value), context);
    if (result === "quit") return worst;
    worst = worseExit(worst, result);
    // Ended during the request, which failed with the reason and printed it.
    const endedDuring = endedYet();
    if (endedDuring !== null) return worseExit(worst, endCode(endedDuring.error, null));
  }
}

/** The exit code of a client that ended; its error is told through `fail` if given. */
function endCode(error: ChatError | null, fail: ((error: ChatError) => void) | null): ExitCode {
  if (error === null) return EXIT.OK;
  fail?.(error);
  return exitCodeFor(error.code);
}

function toExit(result: number | "quit"): number {
  return result === "quit" ? 0 : result;
}
