/**
 * The interactive chat: a prompt that keeps what is being typed while messages arrive.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import { nameKey } from "../chat/names.ts";
import type { ChatClient, ConnectionStatus } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import { completeLine } from "../tui/completion.ts";
import { paint, sanitize } from "../tui/style.ts";
import { INTERRUPT_NOTICE, Terminal, type TerminalOptions } from "../tui/terminal.ts";
import type { ClientConfig } from "./client_config.ts";
import { connectAs, plaintextRefusal } from "./connect.ts";
import { DayChange } from "./day_change.ts";
import { EXIT, exitCodeFor } from "./exit_codes.ts";
import { formatEvent, formatOwn } from "./format.ts";
import { formatHistory, type HistoryLine } from "./history_display.ts";
import { callsForAttention } from "./highlight.ts";
import { type EnvGet, HistoryFile, historyPath } from "./history_file.ts";
import { describeError, type RunContext, runInput } from "./input_runner.ts";
import { QuitGuard } from "./quit_guard.ts";
import { waitAtMost } from "../net/waiting.ts";
import type { ClientTransfers } from "../transfer/client_transfers.ts";
import { backgroundCommands, openTransfers, statusRenderer } from "./transfer_commands.ts";
import { COMMANDS, type Input, parseInput } from "./slash_command.ts";
import { RoomTabs } from "./room_tabs.ts";
import type { Key } from "../tui/keys.ts";
import { roomKeyTarget, roomOf, showRooms } from "./room_display.ts";

const NAME_ERRORS = new Set(["NAME_TAKEN", "NAME_INVALID", "NAME_RESERVED"]);

/** Rows after the first of a printed line start under the text, past `[HH:MM:SS] `. */
const CONTINUATION_INDENT = " ".repeat("[00:00:00] ".length);

/** How long `/quit` and Ctrl-C leave running transfers to stop, in ms. */
export const QUIT_TRANSFERS_MS = 1000;

/** Inputs the client keeps while reconnecting, to send once back (others fail at once). */
const KEPT_WHILE_OFFLINE: ReadonlySet<Input["kind"]> = new Set(["say", "msg", "users", "files"]);

/** What the interactive client knows, for completion and display, and where the session stands. */
interface Known {
  me: string | null;
  /** Says when the day turned between two lines shown. */
  days: DayChange;
  users: Map<string, string>;
  files: string[];
  transfers: ClientTransfers | null;
  /** The name was taken while reconnecting: the next line is a new name. */
  askingName: boolean;
  /** The user is leaving: what requests still report is of no use. */
  leaving: boolean;
  /** The rooms, which one is current, and what waits unread in the others. */
  tabs: RoomTabs;
  /** The transfers' status lines, shown above the rooms' line. */
  transferStatus: string[];
  /** Redraws the prompt and the status area after the rooms changed (set once chatting). */
  roomsChanged: () => void;
  /** Switches rooms by key (Alt-1…9, Ctrl-N/P); `false` when there is nowhere to go. */
  switchByKey: (key: Key) => boolean;
}

/** Settings of {@linkcode runInteractive}. */
export interface InteractiveOptions {
  color: boolean;
  /** Where the history file's folder is read from. Default `Deno.env.get`. */
  env?: EnvGet;
  /** Where keys come from and the screen goes (default: stdin and stdout; tests fake them). */
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
    askingName: false,
    leaving: false,
    tabs: new RoomTabs(),
    transferStatus: [],
    roomsChanged: () => {},
    switchByKey: () => false,
  };
  const path = historyPath(options.env ?? ((name) => Deno.env.get(name)));
  const saved = path === null ? null : await HistoryFile.open(path);
  const terminal = new Terminal({
    ...options.terminal,
    prompt: "Name: ",
    indent: CONTINUATION_INDENT,
    history: saved?.entries ?? [],
    // Lines typed in the chat are kept; the name typed at the prompt is not.
    onSubmit: (line) =>
      known.me !== null && !known.askingName && !mayHoldSecret(line) && saved?.file.append(line),
    onKey: (key) => known.switchByKey(key),
    interruptNotice: () => interruptNotice(known),
    complete: (line, cursor) =>
      completeLine(line, cursor, {
        commands: COMMANDS.map((c) => c.name),
        users: [...known.users.values()],
        files: known.files,
        rooms: known.tabs.rooms,
      }),
  });
  try {
    const lines = terminal.lines();
    const client = await logIn(config, terminal, lines, known, options.color);
    if (typeof client === "number") return client;
    return await chat(client, terminal, lines, known, { color: options.color, config });
  } finally {
    terminal.close();
    await saved?.file.flushed();
  }
}

async function logIn(
  configured: ClientConfig,
  terminal: Terminal,
  lines: AsyncIterableIterator<string>,
  known: Known,
  color: boolean,
): Promise<ChatClient | number> {
  let config = configured;
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
        onStatus: (line, status) => showStatus(line, status, terminal, known, color),
        onNotice: (notice) => terminal.print(paint(`! ${describeError(notice)}`, "yellow", color)),
        onNameRefused: "ask",
      });
    } catch (error) {
      if (!(error instanceof ChatError)) throw error;
      terminal.print(paint(`! ${sanitize(error.message)}`, "red", color));
      const next = await afterRefusal(error, name, config, terminal);
      if (typeof next === "number") return next;
      config = next.config;
      if (next.again) continue;
      terminal.print("Choose another name.");
      name = undefined;
    }
  }
}

/**
 * What a refused login leads to: a registered name asks for its password (`again` with it), a
 * password for a guest's name is dropped (`again` without it), a name refusal asks for another
 * name; anything else ends with its exit code.
 */
async function afterRefusal(
  error: ChatError,
  name: string,
  config: ClientConfig,
  terminal: Terminal,
): Promise<{ config: ClientConfig; again: boolean } | number> {
  if (error.code === "NAME_REGISTERED" || error.code === "BAD_PASSWORD") {
    // Asked for only when it may be sent.
    const unsafe = plaintextRefusal({ ...config, password: "" }, false);
    if (unsafe !== null) {
      terminal.print(`! ${sanitize(unsafe.message)}`);
      return { config: withoutPassword(config), again: false };
    }
    const password = await terminal.readSecret(`Password for ${sanitize(name)}: `);
    if (password === null) return { config: withoutPassword(config), again: false };
    return { config: { ...config, password }, again: true };
  }
  if (error.code === "NOT_REGISTERED") {
    terminal.print(`Logging in as a guest: '${sanitize(name)}' is not registered.`);
    return { config: withoutPassword(config), again: true };
  }
  if (NAME_ERRORS.has(error.code)) return { config: withoutPassword(config), again: false };
  return exitCodeFor(error.code);
}

function withoutPassword(config: ClientConfig): ClientConfig {
  const { password: _, ...rest } = config;
  return rest;
}

/** A line that may hold a password (`/register secret`, refused): kept out of the history file. */
function mayHoldSecret(line: string): boolean {
  return /^\/(?:register|password)\b/i.test(line.trimStart());
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
  known.roomsChanged = () => {
    const missed = known.tabs.sync(client.rooms);
    showRooms(terminal, known, options.color, missed);
  };
  known.switchByKey = (key) => {
    const missed = roomKeyTarget(known.tabs, key);
    if (missed === null) return false;
    showRooms(terminal, known, options.color, missed);
    return true;
  };
  showRooms(terminal, known, options.color, []);
  const server = sanitize(hello?.server ?? "the hub");
  terminal.print(`Connected to ${server} as ${me}. Type /help for commands, /quit to leave.`);
  const transfers = openTransfers(
    client,
    options.config,
    statusRenderer(() => known.transfers, (lines) => {
      known.transferStatus = lines;
      showRooms(terminal, known, options.color, []);
    }, () => terminal.columns),
  );
  known.transfers = transfers;
  const printer = {
    print: (...l: string[]) => known.leaving || terminal.print(...l),
    error: (l: string) => known.leaving || terminal.print(paint(`! ${l}`, "red", options.color)),
  };
  const context: RunContext = {
    client,
    transfers: backgroundCommands(transfers, printer),
    printer,
    color: options.color,
    downloads: options.config.downloads,
    echo: (sent) =>
      terminal.print(
        ...dated(known, sent.ts),
        formatOwn(sent, client.name ?? me, { color: options.color }),
      ),
    onList: (reply) => remember(reply, known),
    clear: () => terminal.clear(),
    room: {
      get: () => known.tabs.current,
      set: (room) => {
        known.tabs.sync(client.rooms);
        showRooms(terminal, known, options.color, known.tabs.switchTo(room) ?? []);
      },
    },
    onRoomsChanged: () => known.roomsChanged(),
    onRenamed: () => {
      known.me = client.name ?? known.me;
      showRooms(terminal, known, options.color, []);
    },
    askSecret: (prompt) => terminal.readSecret(prompt),
  };
  // A bug (anything but a ChatError, which runInput reports itself) is shown and the session
  // goes on, so that no line typed can end the chat.
  const background = (work: Promise<unknown>) =>
    work.catch((error) =>
      printer.error(sanitize(`Internal error, the chat goes on: ${describe(error)}`))
    );
  background(runInput({ kind: "users" }, context));
  client.request({ type: "files" }).then((reply) => remember(reply, known), () => {});
  const goodbye = await readInputs(lines, context, { terminal, known, background });
  known.leaving = true;
  await waitAtMost(transfers.close(), QUIT_TRANSFERS_MS);
  await client.close(goodbye);
  return EXIT.OK;
}

/**
 * Carries out each line typed until the user leaves; returns the `/quit` message, if any.
 * Nothing here waits for the network, so the editor stays live while the hub is away;
 * messages go out one after another, in the order typed.
 */
async function readInputs(
  lines: AsyncIterableIterator<string>,
  context: RunContext,
  ui: {
    terminal: Terminal;
    known: Known;
    background: (work: Promise<unknown>) => Promise<unknown>;
  },
): Promise<string | undefined> {
  const { client, color } = context;
  const guard = new QuitGuard();
  let said: Promise<unknown> = Promise.resolve();
  for await (const line of lines) {
    if (ui.known.askingName) {
      if (chooseName(line, client, ui.terminal, ui.known) === "quit") return;
      continue;
    }
    const input = parseInput(line);
    if (guard.check(input.kind, running(ui.known)) === "ask") {
      ui.terminal.print(`! ${describeRunning(ui.known)}: /quit again stops them and leaves`);
      continue;
    }
    if (input.kind === "quit") return input.text;
    if (!client.online && KEPT_WHILE_OFFLINE.has(input.kind)) {
      ui.terminal.print(paint(`… queued until reconnected: ${sanitize(line)}`, "gray", color));
    }
    if (input.kind === "say" || input.kind === "msg") {
      said = ui.background(said.then(() => runInput(input, context)));
    } else {
      ui.background(runInput(input, context));
    }
  }
}

/** Takes a line typed after the name was taken as the new name; `quit` if the user leaves. */
function chooseName(
  line: string,
  client: ChatClient,
  terminal: Terminal,
  known: Known,
): "quit" | "ok" {
  const input = parseInput(line);
  if (input.kind === "quit") return "quit";
  const name = line.trim();
  if (name === "") return "ok";
  if (name.startsWith("/")) {
    terminal.print("Choose a name first, or /quit.");
    return "ok";
  }
  known.askingName = false;
  terminal.print(`Logging in as ${sanitize(name)}…`);
  // A refusal comes back as another name_refused status, which asks again.
  client.login(name).catch(() => {});
  return "ok";
}

/** Shows a connection status; a name refused while reconnecting asks for another. */
function showStatus(
  line: string,
  status: ConnectionStatus,
  terminal: Terminal,
  known: Known,
  color: boolean,
): void {
  const refused = status.kind === "name_refused";
  terminal.print(paint(`! ${sanitize(line)}`, refused ? "red" : "yellow", color));
  if (refused) {
    known.askingName = true;
    terminal.print("Choose another name (or /quit):");
    terminal.setPrompt("Name: ");
  } else if (status.kind === "reconnected") {
    known.me = status.name;
    known.roomsChanged();
  } else if (status.kind === "room_lost") {
    known.roomsChanged();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Shows events from the hub, with a bell and a highlight for those that concern the user. */
function showEvents(
  terminal: Terminal,
  known: Known,
  options: { color: boolean; bell: boolean },
): (message: ServerMessage) => void {
  return (message) => {
    if (message.type === "history") return showHistory(terminal, known, options.color, message);
    known.transfers?.handleServerMessage(message);
    if (message.type === "file_added") known.files = [...known.files, message.name];
    if (message.type === "join") known.users.set(nameKey(message.name), message.name);
    if (message.type === "nick") {
      known.users.delete(nameKey(message.old));
      known.users.set(nameKey(message.name), message.name);
    }
    // A part leaves one room, not the server: the name still completes.
    if (message.type === "leave" && message.reason !== "part") {
      known.users.delete(nameKey(message.name));
    }
    const attention = known.me !== null && callsForAttention(message, known.me);
    const line = formatEvent(message, { color: options.color, highlight: attention });
    if (line === null) return;
    const lines = [...dated(known, "ts" in message ? message.ts : undefined), line];
    const room = roomOf(message);
    const arrival = { unread: message.type === "message", highlight: attention };
    if (room === null || known.tabs.arrive(room, lines, arrival)) terminal.print(...lines);
    else showRooms(terminal, known, options.color, []);
    if (attention && options.bell) terminal.bell();
  };
}

/** Shows stored messages dimmed, in their room (kept for later if it is not the current one). */
function showHistory(terminal: Terminal, known: Known, color: boolean, history: HistoryLine): void {
  const lines = formatHistory(history, known.me ?? "", { color });
  if (lines.length === 0) return;
  const room = history.room ?? null;
  const arrival = { unread: false, highlight: false };
  if (room === null || known.tabs.arrive(room, lines, arrival)) terminal.print(...lines);
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
