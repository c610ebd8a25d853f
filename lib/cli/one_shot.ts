/**
 * The scriptable client: one command, or one input line at a time from a pipe.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import type { ChatClient } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import type { ClientConfig, OneShot } from "./client_config.ts";
import { connectAs } from "./connect.ts";
import { EXIT, exitCodeFor } from "./exit_codes.ts";
import { formatEvent, formatJson } from "./format.ts";
import { sanitize } from "../tui/style.ts";
import { type Printer, runInput } from "./input_runner.ts";
import type { ClientTransfers } from "../transfer/client_transfers.ts";
import { lineRenderer, openTransfers, waitingCommands } from "./transfer_commands.ts";
import { readLines } from "./read_lines.ts";
import { parseInput } from "./slash_command.ts";

/** Where a scripted run reads and writes. */
export interface ScriptIo {
  printer: Printer;
  /** Input lines for piped mode. */
  lines?: AsyncIterable<string>;
  /** Resolves when the user interrupts (SIGINT/SIGTERM). */
  interrupted: Promise<void>;
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
  let transfers: ClientTransfers | null = null;
  const show = (message: ServerMessage) => {
    if (config.json) return io.printer.print(formatJson(message));
    const line = formatEvent(message, { color: false, oneLine: true });
    if (line !== null) io.printer.print(line);
  };
  let client: ChatClient;
  try {
    client = await connectAs(config, config.name, {
      // Events other than those asked for are shown only where the user is listening.
      onEvent: (message) => {
        transfers?.handleServerMessage(message);
        if (command === null || command.kind === "listen") show(message);
      },
      onStatus: (line) => io.printer.error(line),
    });
  } catch (error) {
    if (!(error instanceof ChatError)) throw error;
    io.printer.error(sanitize(`${error.message} (${error.code})`));
    return exitCodeFor(error.code);
  }
  try {
    if (command?.kind === "listen") return await listen(client, io);
    transfers = openTransfers(client, config, lineRenderer(() => transfers, io.printer));
    const context = {
      client,
      printer: io.printer,
      color: false,
      json: config.json,
      transfers: waitingCommands(transfers, io.printer),
    };
    if (command !== null) return toExit(await runInput(command, context));
    return await pipe(io.lines ?? readLines(Deno.stdin.readable), context);
  } finally {
    await transfers?.close();
    await client.close();
  }
}

async function listen(client: ChatClient, io: ScriptIo): Promise<number> {
  const ended = client.ended.then(() => EXIT.CONNECTION_LOST);
  return await Promise.race([io.interrupted.then(() => EXIT.OK), ended]);
}

async function pipe(
  lines: AsyncIterable<string>,
  context: Parameters<typeof runInput>[1],
): Promise<number> {
  let worst = 0;
  for await (const line of lines) {
    const result = await runInput(parseInput(line), context);
    if (result === "quit") break;
    if (result !== 0) worst = result;
  }
  return worst;
}

function toExit(result: number | "quit"): number {
  return result === "quit" ? 0 : result;
}
