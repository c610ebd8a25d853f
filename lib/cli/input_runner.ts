/**
 * Carries out one line of user input against the hub, printing what comes back.
 * Shared by the interactive and the piped client.
 * @module
 */

import type { OutgoingRequest } from "../chat/client_session.ts";
import type { ServerMessage } from "../chat/events.ts";
import { MAX_TEXT_CHARS } from "../chat/limits.ts";
import { splitText } from "../text/split_text.ts";
import type { ChatClient } from "../net/chat_client.ts";
import { ChatError } from "../net/chat_error.ts";
import { exitCodeFor } from "./exit_codes.ts";
import { formatFiles, formatJson, formatUsers, type SentMessage } from "./format.ts";
import { helpLines, type Input } from "./slash_command.ts";
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
  /** Print lists as JSON lines instead of text. */
  json?: boolean;
  transfers?: TransferCommands;
  /** Shows the user what they sent, once the hub accepted it (interactive only). */
  echo?: (sent: SentMessage) => void;
  /** Called with each `users` and `files` reply (completion keeps them). */
  onList?: (reply: ServerMessage) => void;
  /** Clears the screen (`/clear`); without it the command does nothing. */
  clear?: () => void;
}

/** Result of one input: `quit` to stop, else the exit code it earned (0 when it worked). */
export type RunResult = "quit" | number;

/** Runs one parsed input; failures are printed, never thrown. */
export async function runInput(input: Input, context: RunContext): Promise<RunResult> {
  const { printer } = context;
  try {
    switch (input.kind) {
      case "empty":
        return 0;
      case "invalid":
        printer.error(input.message);
        return 2;
      case "help":
        printer.print(...helpLines());
        return 0;
      case "clear":
        context.clear?.();
        return 0;
      case "quit":
        return "quit";
      case "say":
      case "msg":
        return await send(input, context);
      case "users":
      case "files":
        return await list(input.kind, context);
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
        return 0;
    }
  } catch (error) {
    if (!(error instanceof ChatError)) throw error;
    printer.error(sanitize(`${error.message} (${error.code})`));
    return exitCodeFor(error.code);
  }
}

/**
 * Sends text, cut into as many messages as the hub's limit needs (at grapheme boundaries,
 * preferably between words), one after the other; each is echoed once the hub accepted it.
 */
async function send(input: Input & { kind: "say" | "msg" }, context: RunContext): Promise<number> {
  const action = input.kind === "say" && input.action === true ? { action: true as const } : {};
  for (const text of splitText(input.text, MAX_TEXT_CHARS)) {
    const request: OutgoingRequest = input.kind === "say"
      ? { type: "say", text, ...action }
      : { type: "msg", to: input.to, text };
    const reply = await requestPatiently(context.client, request);
    const ts = reply.type === "ok" && Number.isFinite(reply.ts) ? reply.ts : Date.now();
    if (input.kind === "say") context.echo?.({ text, ts, ...action });
    else context.echo?.({ to: sentTo(reply, input.to), text, ts });
  }
  return 0;
}

/** The target's name as the hub knows it (case included), from its reply when it says. */
function sentTo(reply: ServerMessage, asked: string): string {
  return reply.type === "ok" && typeof reply.to === "string" ? reply.to : asked;
}

async function list(kind: "users" | "files", context: RunContext): Promise<number> {
  const reply = await requestPatiently(context.client, { type: kind });
  context.onList?.(reply);
  const options = { color: context.color };
  if (context.json) {
    const items = reply.type === "users" ? reply.users : reply.type === "files" ? reply.files : [];
    context.printer.print(...items.map((item) => formatJson(item)));
    return 0;
  }
  if (reply.type === "users") context.printer.print(...formatUsers(reply.users, options));
  if (reply.type === "files") context.printer.print(...formatFiles(reply.files, options));
  return 0;
}

async function transfer(
  input: Input & { kind: "get" | "put" },
  context: RunContext,
): Promise<number> {
  if (context.transfers === undefined) {
    throw new ChatError("TRANSFER_REFUSED", "File transfers are not available in this client");
  }
  if (input.kind === "get") {
    await context.transfers.get(input.name, input.overwrite ? { overwrite: true } : {});
  } else await context.transfers.put(input.path);
  return 0;
}

/**
 * Sends a request; when the hub answers `RATE_LIMITED`, waits as long as it says and sends
 * again, so nothing is dropped by the limit. Other errors reject with `ChatError`.
 */
export async function requestPatiently(
  client: ChatClient,
  request: OutgoingRequest,
): Promise<ServerMessage> {
  for (;;) {
    try {
      return await client.request(request);
    } catch (error) {
      if (!(error instanceof ChatError) || error.code !== "RATE_LIMITED") throw error;
      await new Promise((wake) => setTimeout(wake, Math.max(1, error.retryMs ?? 100)));
    }
  }
}
