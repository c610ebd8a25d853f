/**
 * How the client shows what the hub says: one readable line per event.
 * @module
 */

import type { FileEntry, RoomEntry, ServerMessage, UserEntry } from "../chat/events.ts";
import { isHiddenInText } from "../text/hidden_chars.ts";
import { formatBytes } from "../tui/progress.ts";
import { formatClock, paint, sanitize, visibleWidth } from "../tui/style.ts";

/** Display options: colours on or off, and whether text may span lines. */
export interface FormatOptions {
  color: boolean;
  /**
   * Keep every event on one line, newlines shown as `\n` (default false). Otherwise a message
   * may hold line breaks, and the terminal shows the rows after the first indented and marked.
   */
  oneLine?: boolean;
  /** Make the line stand out (a private message, or one naming the user). Default false. */
  highlight?: boolean;
  /** Put the room of a room event after its time (`listen` does). Default false. */
  showRoom?: boolean;
}

/** Marks a join. */
export const JOIN_MARK = "-->";
/** Marks a leave. */
export const LEAVE_MARK = "<--";
/** Marks a private message the user sent, before its target. */
export const SENT_PRIVATE_MARK = "→";

/**
 * Formats an event from the hub for display, or `null` if it shows nothing. Text from others
 * goes through {@link sanitize}: escape codes show as caret notation, bidi controls and
 * invisible characters as `<U+XXXX>` (in reverse video with colour), so no line can reorder or
 * hide what follows it.
 */
export function formatEvent(message: ServerMessage, options: FormatOptions): string | null {
  const c = options.color;
  // Only message text may span lines; a name or reason with a newline could forge a line.
  const clean = (text: string) => singleLine(text, c);
  const body = (text: string) => options.oneLine ? clean(text) : sanitize(text, { color: c });
  // Room names keep the room rules (checked on arrival): nothing in one needs escaping.
  const where = options.showRoom && "room" in message && message.room !== undefined
    ? `${message.room} `
    : "";
  switch (message.type) {
    case "message": {
      const stamp = paint(`[${formatClock(message.ts)}]`, "gray", c);
      const room = where === "" ? "" : paint(where, "gray", c);
      const from = clean(message.from);
      const text = options.highlight ? paint(body(message.text), "bold", c) : body(message.text);
      const label = message.to === undefined
        ? (message.action === true ? from : `<${from}>`)
        : `*${from}*`;
      const style = options.highlight ? "yellow" : message.to === undefined ? "cyan" : "magenta";
      const action = message.action === true ? "* " : "";
      return `${stamp} ${room}${action}${paint(label, style, c)} ${text}`;
    }
    case "join":
      return paint(
        `[${formatClock(message.ts)}] ${where}${JOIN_MARK} ${clean(message.name)} joined`,
        "green",
        c,
      );
    case "leave": {
      const said = message.text === undefined ? "" : `: ${clean(message.text)}`;
      return paint(
        `[${formatClock(message.ts)}] ${where}${LEAVE_MARK} ${clean(message.name)} left (${
          clean(message.reason)
        }${said})`,
        "yellow",
        c,
      );
    }
    case "nick":
      return paint(
        `[${formatClock(message.ts)}] ${clean(message.old)} is now known as ${clean(message.name)}`,
        "green",
        c,
      );
    case "away":
      return paint(`[${formatClock(message.ts)}] ${awaySentence(message, c)}`, "gray", c);
    case "topic":
      return paint(
        `[${formatClock(message.ts ?? 0)}] ${where}${topicSentence(message, c)}`,
        "cyan",
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

/** What the user sent, as the hub accepted it. */
export interface SentMessage {
  /** The target of a private message, named as the hub knows it. */
  to?: string;
  text: string;
  ts: number;
  /** Sent with `/me`. */
  action?: boolean;
  /** The room a broadcast was said in. */
  room?: string;
}

/** Formats a message the user sent, as they see it echoed. */
export function formatOwn(sent: SentMessage, me: string, options: FormatOptions): string {
  const c = options.color;
  const stamp = paint(`[${formatClock(sent.ts)}]`, "gray", c);
  const name = singleLine(me, c);
  const who = sent.to === undefined
    ? (sent.action ? `* ${name}` : `<${name}>`)
    : `${SENT_PRIVATE_MARK} ${sent.action ? "* " : ""}*${singleLine(sent.to, c)}*`;
  const text = options.oneLine ? singleLine(sent.text, c) : sanitize(sent.text, { color: c });
  return `${stamp} ${paint(who, "blue", c)} ${text}`;
}

/** Formats the user list, one name per line with the time each arrived. */
export function formatUsers(users: UserEntry[], options: FormatOptions): string[] {
  if (users.length === 0) return ["No users online"];
  return users.map((u) => {
    const since = paint(`since ${formatClock(u.since)}`, "gray", options.color);
    return `${singleLine(u.name, options.color)}  ${since}`;
  });
}

/** Formats the room list, one room per line: its name, member count and topic. */
export function formatRooms(rooms: RoomEntry[], options: FormatOptions): string[] {
  if (rooms.length === 0) return ["No rooms"];
  const width = Math.max(...rooms.map((r) => r.name.length));
  return rooms.map((r) => {
    const count = paint(`${r.members} member${r.members === 1 ? "" : "s"}`, "gray", options.color);
    const topic = r.topic === "" ? "" : `  ${singleLine(r.topic, options.color)}`;
    return `${r.name.padEnd(width)}  ${count}${topic}`;
  });
}

/** Formats who is in a room, as one line. */
export function formatNames(room: string, names: string[], options: FormatOptions): string[] {
  const listed = names.map((name) => singleLine(name, options.color)).join(", ");
  return [`${room} (${names.length}): ${listed}`];
}

/** Formats a room's topic as read or set. */
export function formatTopic(
  topic: ServerMessage & { type: "topic" },
  options: FormatOptions,
): string {
  if (topic.topic === "") return `${topic.room} has no topic`;
  const set = topic.by === undefined
    ? ""
    : paint(` (set by ${topic.by} at ${formatClock(topic.ts ?? 0)})`, "gray", options.color);
  return `Topic of ${topic.room}: ${singleLine(topic.topic, options.color)}${set}`;
}

/** "ann is away: lunch", or "ann is back". */
function awaySentence(away: { name: string; text?: string }, color: boolean): string {
  const name = singleLine(away.name, color);
  return away.text === undefined
    ? `${name} is back`
    : `${name} is away: ${singleLine(away.text, color)}`;
}

/**
 * Formats a `whois` reply: who, since when, idle how long, in which rooms, away or not.
 *
 * @example
 * ```ts
 * import { formatWhois } from "./format.ts";
 * const whois = { name: "ann", since: 0, idleMs: 65000, rooms: ["#lobby"] };
 * formatWhois({ type: "whois", ...whois }, { color: false })[2]; // "  idle   1m 5s"
 * ```
 */
export function formatWhois(
  whois: ServerMessage & { type: "whois" },
  options: FormatOptions,
): string[] {
  const c = options.color;
  const rooms = whois.rooms.length === 0 ? "none" : whois.rooms.join(" ");
  return [
    paint(singleLine(whois.name, c), "bold", c),
    `  since  ${formatDateTime(whois.since)}`,
    `  idle   ${formatDuration(whois.idleMs)}`,
    `  rooms  ${rooms}`,
    ...(whois.away === undefined ? [] : [`  away   ${singleLine(whois.away, c)}`]),
  ];
}

/** A duration in ms as people read it: `45s`, `1m 5s`, `2h 3m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** A wall-clock time as a local date and time, `2026-12-02 23:51:07`. */
function formatDateTime(ts: number): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return "unknown";
  const day = [date.getFullYear(), date.getMonth() + 1, date.getDate()]
    .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, "0")).join("-");
  return `${day} ${formatClock(ts)}`;
}

/** "ann set the topic: …", or "ann cleared the topic". */
function topicSentence(topic: ServerMessage & { type: "topic" }, color: boolean): string {
  const by = singleLine(topic.by ?? "someone", color);
  if (topic.topic === "") return `${by} cleared the topic`;
  return `${by} set the topic: ${singleLine(topic.topic, color)}`;
}

/** Formats the file list, one file per line with its size. */
export function formatFiles(files: FileEntry[], options: FormatOptions): string[] {
  if (files.length === 0) return ["No files shared"];
  const names = files.map((f) => singleLine(f.name, options.color));
  const widths = names.map(visibleWidth);
  const width = Math.max(...widths);
  return files.map((f, i) => {
    const pad = " ".repeat(width - widths[i]!);
    return `${names[i]}${pad}  ${paint(formatBytes(f.size), "gray", options.color)}`;
  });
}

/**
 * Formats a value as one line of JSON that is safe to print: on top of what `JSON.stringify`
 * escapes, bidi controls and invisible characters are written as `\uXXXX`, which parses back to
 * the same string but cannot reorder or hide the rest of the line in a terminal.
 *
 * @example
 * ```ts
 * import { formatJson } from "./format.ts";
 * formatJson({ text: "a\u202eb" }); // '{"text":"a\\u202eb"}'
 * ```
 */
export function formatJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (PLAIN_ASCII.test(json)) return json;
  const points = Array.from(json, (ch) => ch.codePointAt(0)!);
  let out = "";
  for (let i = 0; i < points.length; i++) {
    const ch = String.fromCodePoint(points[i]!);
    // Such characters only occur inside JSON strings, where an escape means the same.
    out += isHiddenInText(points[i]!, points[i - 1], points[i + 1]) ? unicodeEscape(ch) : ch;
  }
  return out;
}

const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** {@link sanitize}, with newlines shown as `\n`: for names, reasons and one-line output. */
function singleLine(text: string, color: boolean): string {
  return sanitize(text, { color }).replaceAll("\n", "\\n");
}

function unicodeEscape(ch: string): string {
  let out = "";
  for (let i = 0; i < ch.length; i++) out += "\\u" + ch.charCodeAt(i).toString(16).padStart(4, "0");
  return out;
}
