/**
 * How the client shows what the hub says: one readable line per event.
 * @module
 */

import type { FileEntry, ServerMessage, UserEntry } from "../chat/events.ts";
import { formatBytes } from "../tui/progress.ts";
import { formatClock, paint, sanitize } from "../tui/style.ts";

/** Display options: colours on or off, and whether text may span lines. */
export interface FormatOptions {
  color: boolean;
  /** Keep every event on one line, newlines shown as `\n` (default false). */
  oneLine?: boolean;
}

/** Formats an event from the hub for display, or `null` if it shows nothing. */
export function formatEvent(message: ServerMessage, options: FormatOptions): string | null {
  const c = options.color;
  const clean = (text: string) =>
    options.oneLine ? sanitize(text).replaceAll("\n", "\\n") : sanitize(text);
  switch (message.type) {
    case "message": {
      const stamp = paint(`[${formatClock(message.ts)}]`, "gray", c);
      const from = clean(message.from);
      if (message.to === undefined) {
        return `${stamp} ${paint(`<${from}>`, "cyan", c)} ${clean(message.text)}`;
      }
      return `${stamp} ${paint(`*${from}*`, "magenta", c)} ${clean(message.text)}`;
    }
    case "join":
      return paint(`[${formatClock(message.ts)}] → ${clean(message.name)} joined`, "green", c);
    case "leave":
      return paint(
        `[${formatClock(message.ts)}] ← ${clean(message.name)} left (${clean(message.reason)})`,
        "yellow",
        c,
      );
    case "file_added": {
      const what = `${clean(message.from)} shared ${clean(message.name)} (${
        formatBytes(message.size)
      })`;
      return paint(`[${formatClock(message.ts)}] + ${what}`, "green", c);
    }
    case "shutdown":
      return paint(`! Server: ${clean(message.reason)}`, "red", c);
    case "error":
      return paint(`! ${clean(message.message)} (${clean(message.code)})`, "red", c);
    default:
      return null;
  }
}

/** Formats a message the user sent, as they see it echoed. */
export function formatOwn(
  sent: { to?: string; text: string; ts: number },
  me: string,
  options: FormatOptions,
): string {
  const stamp = paint(`[${formatClock(sent.ts)}]`, "gray", options.color);
  const who = sent.to === undefined ? `<${sanitize(me)}>` : `→ *${sanitize(sent.to)}*`;
  return `${stamp} ${paint(who, "blue", options.color)} ${sanitize(sent.text)}`;
}

/** Formats the user list, one name per line with the time each arrived. */
export function formatUsers(users: UserEntry[], options: FormatOptions): string[] {
  if (users.length === 0) return ["No users online"];
  return users.map((u) =>
    `${sanitize(u.name)}  ${paint(`since ${formatClock(u.since)}`, "gray", options.color)}`
  );
}

/** Formats the file list, one file per line with its size. */
export function formatFiles(files: FileEntry[], options: FormatOptions): string[] {
  if (files.length === 0) return ["No files shared"];
  const width = Math.max(...files.map((f) => sanitize(f.name).length));
  return files.map((f) =>
    `${sanitize(f.name).padEnd(width)}  ${paint(formatBytes(f.size), "gray", options.color)}`
  );
}
