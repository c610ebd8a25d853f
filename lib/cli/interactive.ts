/**
 * The interactive chat: a prompt that keeps what is being typed while messages arrive.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import { nameKey } from "../chat/names.ts";
import type { ChatClient } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import { completeLine } from "../tui/completion.ts";
import { paint, sanitize } from "../tui/style.ts";
import { Terminal } from "../tui/terminal.ts";
import type { ClientConfig } from "./client_config.ts";
import { connectAs } from "./connect.ts";
import { EXIT, exitCodeFor } from "./exit_codes.ts";
import { formatEvent, formatOwn } from "./format.ts";
import { type RunContext, runInput } from "./input_runner.ts";
import type { ClientTransfers } from "../transfer/client_transfers.ts";
import { backgroundCommands, openTransfers, statusRenderer } from "./transfer_commands.ts";
import { COMMANDS, parseInput } from "./slash_command.ts";

const NAME_ERRORS = new Set(["NAME_TAKEN", "NAME_INVALID", "NAME_RESERVED"]);

/** What the interactive client knows, for completion. */
interface Known {
  users: Map<string, string>;
  files: string[];
  transfers: ClientTransfers | null;
}

/** Runs the interactive chat until the user quits; returns the exit code. */
export async function runInteractive(
  config: ClientConfig,
  options: { color: boolean },
): Promise<number> {
  const known: Known = { users: new Map(), files: [], transfers: null };
  const terminal = new Terminal({
    prompt: "Name: ",
    complete: (line, cursor) =>
      completeLine(line, cursor, {
        commands: COMMANDS.map(([name]) => name),
        users: [...known.users.values()],
        files: known.files,
      }),
  });
  try {
    const lines = terminal.lines();
    const client = await logIn(config, terminal, lines, known, options.color);
    if (typeof client === "number") return client;
    return await chat(client, terminal, lines, known, { ...options, config });
  } finally {
    terminal.close();
  }
}

async function logIn(
  config: ClientConfig,
  terminal: Terminal,
  lines: AsyncIterableIterator<string>,
  known: Known,
  color: boolean,
): Promise<ChatClient | number> {
  let name = config.name;
  for (;;) {
    if (name === undefined) {
      const next = await lines.next();
      if (next.done) return EXIT.OK;
      name = next.value.trim();
    }
    try {
      const client = await connectAs(config, name, {
        onEvent: (message) => show(message, terminal, known, color),
        onStatus: (line) => terminal.print(paint(`! ${sanitize(line)}`, "yellow", color)),
      });
      return client;
    } catch (error) {
      if (!(error instanceof ChatError)) throw error;
      terminal.print(paint(`! ${sanitize(error.message)}`, "red", color));
      if (!NAME_ERRORS.has(error.code)) return exitCodeFor(error.code);
      terminal.print("Choose another name.");
      name = undefined;
    }
  }
}

async function chat(
  client: ChatClient,
  terminal: Terminal,
  lines: AsyncIterableIterator<string>,
  known: Known,
  options: { color: boolean; config: ClientConfig },
): Promise<number> {
  const me = client.name!;
  const hello = client.hello;
  terminal.setPrompt(paint(`${me}> `, "bold", options.color));
  const server = sanitize(hello?.server ?? "the hub");
  terminal.print(`Connected to ${server} as ${me}. Type /help for commands, /quit to leave.`);
  const transfers = openTransfers(
    client,
    options.config,
    statusRenderer(() => known.transfers, (l) => terminal.setStatus(l)),
  );
  known.transfers = transfers;
  const printer = {
    print: (...l: string[]) => terminal.print(...l),
    error: (l: string) => terminal.print(paint(`! ${l}`, "red", options.color)),
  };
  const context: RunContext = {
    client,
    transfers: backgroundCommands(transfers, printer),
    printer,
    color: options.color,
    echo: (sent) => terminal.print(formatOwn(sent, me, options)),
    onList: (reply) => remember(reply, known),
  };
  await runInput({ kind: "users" }, context);
  client.request({ type: "files" }).then((reply) => remember(reply, known), () => {});
  for await (const line of lines) {
    if ((await runInput(parseInput(line), context)) === "quit") break;
  }
  await transfers.close();
  await client.close();
  return EXIT.OK;
}

function show(message: ServerMessage, terminal: Terminal, known: Known, color: boolean): void {
  known.transfers?.handleServerMessage(message);
  if (message.type === "file_added") known.files = [...known.files, message.name];
  if (message.type === "join") known.users.set(nameKey(message.name), message.name);
  if (message.type === "leave") known.users.delete(nameKey(message.name));
  const line = formatEvent(message, { color });
  if (line !== null) terminal.print(line);
}

function remember(reply: ServerMessage, known: Known): void {
  if (reply.type === "users") {
    known.users = new Map(reply.users.map((u) => [nameKey(u.name), u.name]));
  }
  if (reply.type === "files") known.files = reply.files.map((f) => f.name);
}
