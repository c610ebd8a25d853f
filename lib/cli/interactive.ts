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
import { INTERRUPT_NOTICE, Terminal, type TerminalOptions } from "../tui/terminal.ts";
import type { ClientConfig } from "./client_config.ts";
import { connectAs } from "./connect.ts";
import { DayChange } from "./day_change.ts";
import { EXIT, exitCodeFor } from "./exit_codes.ts";
import { formatEvent, formatOwn } from "./format.ts";
import { callsForAttention } from "./highlight.ts";
import { type EnvGet, HistoryFile, historyPath } from "./history_file.ts";
import { type RunContext, runInput } from "./input_runner.ts";
import { QuitGuard } from "./quit_guard.ts";
import type { ClientTransfers } from "../transfer/client_transfers.ts";
import { backgroundCommands, openTransfers, statusRenderer } from "./transfer_commands.ts";
import { COMMANDS, type Input, parseInput } from "./slash_command.ts";

const NAME_ERRORS = new Set(["NAME_TAKEN", "NAME_INVALID", "NAME_RESERVED"]);

/** Rows after the first of a printed line start under the text, past `[HH:MM:SS] `. */
const CONTINUATION_INDENT = " ".repeat("[00:00:00] ".length);

/** What the interactive client knows, for completion and display. */
interface Known {
  me: string | null;
  /** Says when the day turned between two lines shown. */
  days: DayChange;
  users: Map<string, string>;
  files: string[];
  transfers: ClientTransfers | null;
}

/** Options of {@link runInteractive}. */
export interface InteractiveOptions {
  color: boolean;
  /** Where the history file's folder is read from. Default `Deno.env.get`. */
  env?: EnvGet;
  /** The terminal's input, output and size; default the process's own. */
  terminal?: Pick<TerminalOptions, "input" | "output" | "width" | "onResize">;
}

/** Runs the interactive chat until the user quits; returns the exit code. */
export async function runInteractive(
  config: ClientConfig,
  options: InteractiveOptions,
): Promise<number> {
  const known: Known = {
    me: null,
    days: new DayChange(Date.now()),
    users: new Map(),
    files: [],
    transfers: null,
  };
  const path = historyPath(options.env ?? ((name) => Deno.env.get(name)));
  const saved = path === null ? null : await HistoryFile.open(path);
  const terminal = new Terminal({
    ...options.terminal,
    prompt: "Name: ",
    indent: CONTINUATION_INDENT,
    history: saved?.entries ?? [],
    // Lines typed in the chat are kept; the name typed at the prompt is not.
    onSubmit: (line) => known.me !== null && saved?.file.append(line),
    interruptNotice: () => interruptNotice(known),
    complete: (line, cursor) =>
      completeLine(line, cursor, {
        commands: COMMANDS.map((c) => c.name),
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
    await saved?.file.flushed();
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
  const show = showEvents(terminal, known, { color, bell: config.bell ?? true });
  for (;;) {
    if (name === undefined) {
      const next = await lines.next();
      if (next.done) return EXIT.OK;
      name = next.value.trim();
      // The input line is cleared on Enter: keep the answer on screen with its question.
      terminal.print(`Name: ${sanitize(name)}`);
    }
    try {
      return await connectAs(config, name, {
        onEvent: show,
        onStatus: (line) => terminal.print(paint(`! ${sanitize(line)}`, "yellow", color)),
      });
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
  known.me = me;
  const hello = client.hello;
  terminal.setPrompt(paint(`${me}> `, "bold", options.color));
  const server = sanitize(hello?.server ?? "the hub");
  terminal.print(`Connected to ${server} as ${me}. Type /help for commands, /quit to leave.`);
  const transfers = openTransfers(
    client,
    options.config,
    statusRenderer(() => known.transfers, (l) => terminal.setStatus(l), () => terminal.columns),
  );
  known.transfers = transfers;
  const context = chatContext(client, terminal, known, options.color);
  context.transfers = backgroundCommands(transfers, context.printer);
  await runInput({ kind: "users" }, context);
  client.request({ type: "files" }).then((reply) => remember(reply, known), () => {});
  const guard = new QuitGuard();
  for await (const line of lines) {
    const input = parseInput(line);
    if (guard.check(input.kind, running(known)) === "ask") {
      terminal.print(`! ${describeRunning(known)}: /quit again stops them and leaves`);
      continue;
    }
    if ((await runGuarded(input, context)) === "quit") break;
  }
  await transfers.close();
  await client.close();
  return EXIT.OK;
}

function chatContext(
  client: ChatClient,
  terminal: Terminal,
  known: Known,
  color: boolean,
): RunContext {
  const printer = {
    print: (...l: string[]) => terminal.print(...l),
    error: (l: string) => terminal.print(paint(`! ${l}`, "red", color)),
  };
  const me = client.name!;
  return {
    client,
    printer,
    color,
    echo: (sent) => terminal.print(...dated(known, sent.ts), formatOwn(sent, me, { color })),
    onList: (reply) => remember(reply, known),
    clear: () => terminal.clear(),
  };
}

/**
 * Runs one input; a bug (anything but a `ChatError`, which runInput reports itself) is shown
 * and the session goes on, so that no line typed can end the chat.
 */
async function runGuarded(input: Input, context: RunContext): Promise<number | "quit"> {
  try {
    return await runInput(input, context);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    context.printer.error(sanitize(`Internal error, the chat goes on: ${detail}`));
    return EXIT.ERROR;
  }
}

/** Shows events from the hub, with a bell and a highlight for those that concern the user. */
function showEvents(
  terminal: Terminal,
  known: Known,
  options: { color: boolean; bell: boolean },
): (message: ServerMessage) => void {
  return (message) => {
    known.transfers?.handleServerMessage(message);
    if (message.type === "file_added") known.files = [...known.files, message.name];
    if (message.type === "join") known.users.set(nameKey(message.name), message.name);
    if (message.type === "leave") known.users.delete(nameKey(message.name));
    const attention = known.me !== null && callsForAttention(message, known.me);
    const line = formatEvent(message, { color: options.color, highlight: attention });
    if (line === null) return;
    terminal.print(...dated(known, "ts" in message ? message.ts : undefined), line);
    if (attention && options.bell) terminal.bell();
  };
}

/** The date-change line to print before a line stamped `ts`, if the day turned. */
function dated(known: Known, ts: number | undefined): string[] {
  const line = ts === undefined ? null : known.days.check(ts);
  return line === null ? [] : [line];
}

function remember(reply: ServerMessage, known: Known): void {
  if (reply.type === "users") {
    known.users = new Map(reply.users.map((u) => [nameKey(u.name), u.name]));
  }
  if (reply.type === "files") known.files = reply.files.map((f) => f.name);
}

/** How many transfers are still moving (or about to). */
function running(known: Known): number {
  const views = known.transfers?.views() ?? [];
  return views.filter((v) => v.state === "running" || v.state === "starting").length;
}

function describeRunning(known: Known): string {
  const n = running(known);
  return `${n} transfer${n === 1 ? " is" : "s are"} running`;
}

function interruptNotice(known: Known): string {
  if (running(known) === 0) return INTERRUPT_NOTICE;
  return `(${describeRunning(known)}: press Ctrl-C again to stop them and quit)`;
}
