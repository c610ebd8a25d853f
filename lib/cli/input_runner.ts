/**
 * Carries out one line of user input against the hub, printing what comes back.
 * Shared by the interactive and the piped client.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import { MAX_TEXT_CHARS } from "../chat/limits.ts";
import { splitText } from "../text/split_text.ts";
import type { ChatClient } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import type { OutgoingRequest } from "../chat/client_session.ts";
import { requestPatiently } from "../net/request_patiently.ts";
import { prepareDownloads } from "./downloads_folder.ts";
import { EXIT, type ExitCode, exitCodeFor } from "./exit_codes.ts";
import { errorJson, sentJson } from "./json_lines.ts";
import { formatFiles, formatJson, formatUsers, type SentMessage } from "./format.ts";
import { helpLines, type Input } from "./slash_command.ts";
import { type CurrentRoom, currentRoom, runRoomInput } from "./room_commands.ts";
import { runPresenceInput } from "./presence_commands.ts";
import { runAccountInput } from "./account_commands.ts";
import { sanitize } from "../tui/style.ts";

/** Where results go. */
export interface Printer {
  /** Prints lines of normal output. */
  print(...lines: string[]): void;
  /** Prints an error the user should see. */
  error(line: string): void;
  /** On a terminal: one progress line, redrawn in place until something else is printed. */
  progress?: ProgressLine;
}

/** A line of a terminal that shows progress and is redrawn in place. */
export interface ProgressLine {
  /** Replaces the line (cut to the terminal's width by the caller). */
  show(line: string): void;
  /** The terminal's width in columns. */
  columns(): number;
}

/** Handles the file-transfer commands; absent until a file channel is wired in. */
export interface TransferCommands {
  /** Downloads `name`; `overwrite` replaces a file of that name (`/get -f`). */
  get(name: string, options?: { overwrite?: boolean }): Promise<void>;
  put(path: string): Promise<void>;
  control(kind: "pause" | "resume" | "cancel", transfer: number): void;
}

/** What running an input needs. */
export interface RunContext {
  client: ChatClient;
  printer: Printer;
  color: boolean;
  /** Print results and errors as JSON lines (see `json_lines.ts`) instead of text. */
  json?: boolean;
  /** Where downloads go, checked before each `get` (see `prepareDownloads`). */
  downloads?: string;
  transfers?: TransferCommands;
  /** Shows the user what they sent, once the hub accepted it (interactive only). */
  echo?: (sent: SentMessage) => void;
  /** Called with each `users` and `files` reply (completion keeps them). */
  onList?: (reply: ServerMessage) => void;
  /** Clears the screen (`/clear`); without it the command does nothing. */
  clear?: () => void;
  /** The room plain text goes to and room commands act on (default: `#lobby`, fixed). */
  room?: CurrentRoom;
  /** Called when the session joined or left a room. */
  onRoomsChanged?: () => void;
  /** Called when the user's name changed (`/nick`): `client.name` is the new one. */
  onRenamed?: () => void;
  /** Called with `/quit`'s message (if any) before the run stops. */
  onQuit?: (message: string | undefined) => void;
  /**
   * Asks for a secret with nothing shown (`null`: cancelled); without it, `/register` and
   * `/password` use {@linkcode password}.
   */
  askSecret?: (prompt: string) => Promise<string | null>;
  /** The account password from `--password-file` or `CHAT_PASSWORD`, where none can be asked. */
  password?: string;
}

/** Result of one input: `quit` to stop, else the exit code it earned (0 when it worked). */
export type RunResult = "quit" | ExitCode;

/** Runs one parsed input; failures are printed, never thrown. */
export async function runInput(input: Input, context: RunContext): Promise<RunResult> {
  const { printer } = context;
  try {
    switch (input.kind) {
      case "empty":
        return EXIT.OK;
      case "invalid":
        throw new ChatError("USAGE", input.message);
      case "help":
        printer.print(...helpLines());
        return EXIT.OK;
      case "clear":
        context.clear?.();
        return EXIT.OK;
      case "quit":
        context.onQuit?.(input.text);
        return "quit";
      case "nick":
      case "away":
      case "whois":
        return await runPresenceInput(input, context);
      case "register":
      case "password":
        return await runAccountInput(input, context);
      case "say":
      case "msg":
        return await send(input, context);
      case "users":
      case "files":
        return await list(input.kind, context);
      case "join":
      case "part":
      case "switch":
      case "rooms":
      case "topic":
      case "names":
        return await runRoomInput(input, context);
      case "get":
      case "put":
        return await transfer(input, context);
      case "pause":
      case "resume":
      case "cancel":
        if (context.transfers === undefined) {
          throw new ChatError("TRANSFER_REFUSED", "No file channel");
        }
        context.transfers.control(input.kind, input.transfer);
        return EXIT.OK;
    }
  } catch (error) {
    if (!(error instanceof ChatError)) throw error;
    printer.error(context.json ? errorJson(error) : describeError(error));
    return exitCodeFor(error.code);
  }
}

/**
 * Sends text, cut into as many messages as the hub's limit needs (at grapheme boundaries,
 * preferably between words), one after the other; each is echoed once the hub accepted it.
 */
async function send(
  input: Input & { kind: "say" | "msg" },
  context: RunContext,
): Promise<ExitCode> {
  const action = input.kind === "say" && input.action === true ? { action: true as const } : {};
  const room = input.kind === "say" ? (input.room ?? currentRoom(context)) : undefined;
  for (const text of splitText(input.text, MAX_TEXT_CHARS)) {
    const request: OutgoingRequest = input.kind === "say"
      ? { type: "say", text, ...action, room: room! }
      : { type: "msg", to: input.to, text };
    const reply = await requestPatiently(context.client, request);
    const ts = reply.type === "ok" ? reply.ts : Date.now();
    const sent: SentMessage = input.kind === "say"
      ? { text, ts, ...action, room: room! }
      : { to: sentTo(reply, input.to), text, ts };
    context.echo?.(sent);
    if (context.json) context.printer.print(sentJson(sent));
    else if (reply.type === "ok" && reply.away !== undefined) {
      context.printer.print(`${sanitize(sent.to ?? "")} is away: ${sanitize(reply.away)}`);
    }
  }
  return EXIT.OK;
}

/** The target's name as the hub knows it (case included), from its reply when it says. */
function sentTo(reply: ServerMessage, asked: string): string {
  return reply.type === "ok" && reply.to !== undefined ? reply.to : asked;
}

async function list(kind: "users" | "files", context: RunContext): Promise<ExitCode> {
  const reply = await requestPatiently(context.client, { type: kind });
  context.onList?.(reply);
  const options = { color: context.color };
  if (context.json) {
    const items = reply.type === "users" ? reply.users : reply.type === "files" ? reply.files : [];
    context.printer.print(...items.map((item) => formatJson(item)));
    return EXIT.OK;
  }
  if (reply.type === "users") context.printer.print(...formatUsers(reply.users, options));
  if (reply.type === "files") context.printer.print(...formatFiles(reply.files, options));
  return EXIT.OK;
}

async function transfer(
  input: Input & { kind: "get" | "put" },
  context: RunContext,
): Promise<ExitCode> {
  if (context.transfers === undefined) {
    throw new ChatError("TRANSFER_REFUSED", "File transfers are not available in this client");
  }
  if (input.kind === "get" && context.downloads !== undefined) {
    await prepareDownloads(context.downloads);
  }
  if (input.kind === "get") {
    await context.transfers.get(input.name, input.overwrite ? { overwrite: true } : {});
  } else await context.transfers.put(input.path);
  return EXIT.OK;
}

/** A failure as shown in text: its message, with hidden characters escaped, and its code. */
export function describeError(error: ChatError): string {
  // A usage message is the client's own: the code adds nothing.
  if (error.code === "USAGE") return sanitize(error.message);
  return sanitize(`${error.message} (${error.code})`);
}
