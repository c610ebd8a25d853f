/**
 * The state an IRC session's command and event handlers share. Private to lib/irc: only
 * `IrcSession` and its `_` helpers use it.
 * @module
 */

import { type Cap, CapNegotiation } from "./capabilities.ts";
import type { DeliveryCache } from "./delivery_cache.ts";
import { formatIrcLine } from "./format_irc_line.ts";
import type { HubRequestBody } from "./hub_port.ts";
import type { IrcMessage } from "./irc_message.ts";
import { MAX_IRC_ERRORS_IN_ROW, MAX_IRC_LINE_BYTES, MAX_PENDING_REQUESTS } from "./limits.ts";
import { numericReply } from "./numeric_reply.ts";
import type { NumericName } from "./numerics.ts";
import { Registration } from "./registration.ts";
import { SaslExchange } from "./sasl_plain.ts";
import { ircKey } from "./room_name.ts";
import type { ServerInfo } from "./server_info.ts";
import type { SessionOutput } from "./session_output.ts";
import { splitUtf8 } from "./split_utf8.ts";
import { utf8Length } from "./utf8_length.ts";

/** What a request was for, kept until its reply. */
export interface Pending {
  /** The IRC command that made it (`PRIVMSG`, `JOIN`...), or `LOGIN`. */
  command: string;
  /** The room or nick it names, as the client wrote it. */
  target: string;
  text?: string;
  action?: boolean;
  /** Made by the gateway itself (the names and topic after a JOIN): no `331`, no error shown. */
  automatic?: boolean;
  /** A LOGIN that gave PASS as the account's password: `NOT_REGISTERED` retries as a guest. */
  withPassword?: boolean;
}

/**
 * A room the user is in. Who else is stays with the hub: a copy per session made every IRC
 * connection hold the whole room, n² names for n users in one room. The hub tells a member
 * only of those it shares a room with, so the session needs no list to filter by.
 */
export interface RoomView {
  name: string;
}

/** Counters a driver may log. */
export interface SessionStats {
  /** Lines the gateway could not write (a bug: every text is made safe first). */
  unwritable: number;
  /** CTCP requests other than ACTION, not relayed. */
  ctcpDropped: number;
  /** Commands refused because `MAX_PENDING_REQUESTS` requests awaited a reply. */
  overloaded: number;
}

const NO_TAGS = new Map<string, string>();

/** Shared session state, with the helpers every handler needs. */
export class SessionState {
  readonly info: ServerInfo;
  readonly caps = new CapNegotiation();
  readonly registration: Registration;
  readonly rooms = new Map<string, RoomView>();
  readonly pending = new Map<number, Pending>();
  readonly output: SessionOutput[] = [];
  readonly stats: SessionStats = { unwritable: 0, ctcpDropped: 0, overloaded: 0 };
  nextId = 1;
  errorsInRow = 0;
  invisible = false;
  /** Whether the hub marked the user away (its answer to AWAY). */
  away = false;
  closed = false;
  /**
   * Key of the user whose QUIT was the last line of the events so far, `null` if the last
   * event was another. The hub tells of a user gone once per room shared, one event after the
   * other: the first is shown, those right after it are the same QUIT.
   */
  lastQuit: string | null = null;
  /** What PASS gave (the server's password, or the nick's account's), `null` for none. */
  pass: string | null = null;
  /** The account SASL proved, `null` before; the login then takes its name. */
  account: string | null = null;
  readonly sasl = new SaslExchange();

  /** Lines shared with the other sessions of the listener, `null` for none. */
  readonly cache: DeliveryCache | null;

  constructor(info: ServerInfo, registration: Registration, cache: DeliveryCache | null) {
    this.info = info;
    this.registration = registration;
    this.cache = cache;
  }

  /** The client's nick, `*` before it has one. */
  get nick(): string {
    return this.registration.currentNick ?? "*";
  }

  get registered(): boolean {
    return this.registration.phase === "registered";
  }

  /** Whether the client enabled `cap`. */
  has(cap: Cap): boolean {
    return this.caps.has(cap);
  }

  /** The source of a user's lines: `nick!nick@server`. */
  source(nick: string): string {
    return `${nick}!${nick}@${this.info.name}`;
  }

  /**
   * Queues a message as a line. A last parameter too long for 512 bytes is cut at a character
   * boundary (a topic in a 332, say); a message that still cannot be written is counted.
   */
  send(message: IrcMessage): void {
    if (this.closed) return;
    const line = this.format(message);
    if (line !== null) this.output.push({ kind: "line", line });
  }

  /** Queues lines made before (by {@linkcode format}), shared with other sessions. */
  sendLines(lines: readonly string[]): void {
    if (this.closed) return;
    for (const line of lines) this.output.push({ kind: "line", line });
  }

  /** A message as a line ending in CR LF (see {@linkcode send}), or `null`, counted. */
  format(message: IrcMessage): string | null {
    let formatted = formatIrcLine(message);
    if (!formatted.ok && formatted.error.code === "LINE_TOO_LONG") {
      formatted = formatIrcLine(shortened(message));
    }
    if (!formatted.ok) {
      this.stats.unwritable++;
      return null;
    }
    return formatted.line + "\r\n";
  }

  /** Queues a numeric reply to the client. */
  reply(name: NumericName, params: readonly string[]): void {
    this.send(numericReply(this.info.name, this.nick, name, params));
  }

  /** Queues a message from the server itself (`:server COMMAND ...`). */
  fromServer(command: string, params: string[]): void {
    this.send({ tags: NO_TAGS, source: this.info.name, command, params, ...texty(command) });
  }

  /** Queues a message from a user (`:nick!nick@server COMMAND ...`). */
  fromUser(nick: string, command: string, params: string[], tags = NO_TAGS): void {
    if (this.closed) return;
    const line = this.formatFromUser(nick, command, params, tags);
    if (line !== null) this.output.push({ kind: "line", line });
  }

  /** A message from a user as a line (see {@linkcode format}), or `null`, counted. */
  formatFromUser(nick: string, command: string, params: string[], tags = NO_TAGS): string | null {
    return this.format({ tags, source: this.source(nick), command, params, ...texty(command) });
  }

  /**
   * Queues the lines `make` makes for `event`, which read the same for every session whose
   * lines differ by nothing but `key`: with a cache, made once per event, not per member.
   */
  sendShared(event: object, key: string, make: () => string[]): void {
    this.sendLines(this.cache === null ? make() : this.cache.lines(event, key, make));
  }

  /** Tags for a line about something that happened at `ts`, as the client negotiated. */
  tagsAt(ts: number, id?: string): Map<string, string> {
    const tags = new Map<string, string>();
    if (this.has("server-time") && Number.isFinite(ts) && Math.abs(ts) <= MAX_DATE_MS) {
      tags.set("time", new Date(ts).toISOString());
    }
    if (id !== undefined && this.has("message-tags")) tags.set("msgid", id);
    return tags;
  }

  /** Queues a request to the hub, or refuses when too many await their reply. */
  request(body: HubRequestBody, pending: Pending | null): boolean {
    if (pending !== null && this.pending.size >= MAX_PENDING_REQUESTS) {
      this.stats.overloaded++;
      this.fromServer("NOTICE", [this.nick, "Too many commands awaiting the hub: try again"]);
      return false;
    }
    const id = this.nextId++;
    if (pending !== null) this.pending.set(id, pending);
    this.output.push({ kind: "request", request: { ...body, id } });
    return true;
  }

  /** A line was bad or refused as such: close after `MAX_IRC_ERRORS_IN_ROW` in a row. */
  bad(): void {
    this.errorsInRow++;
    if (this.errorsInRow >= MAX_IRC_ERRORS_IN_ROW) this.close("Too many errors");
  }

  /** Writes `ERROR :reason` and asks the driver to close, once. */
  close(reason: string): void {
    if (this.closed) return;
    this.fromServer("ERROR", [`Closing link: ${safeText(reason)}`]);
    this.closed = true;
    this.output.push({ kind: "close", reason });
  }

  /** The room the user is in under `name` (any case), if any. */
  room(name: string): RoomView | undefined {
    return this.rooms.get(ircKey(name));
  }
}

/** Commands whose last parameter is a text, written as a trailing one however short. */
const TEXT_COMMANDS = new Set([
  "PRIVMSG",
  "NOTICE",
  "TOPIC",
  "QUIT",
  "AWAY",
  "CAP",
  "ERROR",
  "PONG",
]);

function texty(command: string): { trailing?: true } {
  return TEXT_COMMANDS.has(command) ? { trailing: true } : {};
}

/** Largest time `Date` can show, in ms from the epoch. */
const MAX_DATE_MS = 8.64e15;

/** Text from the hub made fit for a parameter: no NUL, CR or LF, and not empty. */
export function safeText(text: string): string {
  const clean = text.replace(/[\0\r\n]+/g, " ");
  return clean === "" ? " " : clean;
}

/** `name` if it can stand as a middle parameter in a reply, else `*`. */
export function echoParam(name: string): string {
  return /^[^\0\r\n :][^\0\r\n ]{0,63}$/.test(name) ? name : "*";
}

/** The message with its last parameter cut to what fits in a line. */
function shortened(message: IrcMessage): IrcMessage {
  const last = message.params.at(-1);
  if (last === undefined) return message;
  const rest = { ...message, params: message.params.slice(0, -1) };
  // The rest of the line, then " :" and the cut parameter, then CR LF.
  const budget = MAX_IRC_LINE_BYTES - utf8Length(lineOf(rest)) - 2 - 2;
  if (budget < 4) return message;
  const cut = splitUtf8(last, budget)[0] ?? " ";
  return { ...rest, params: [...rest.params, cut] };
}

function lineOf(message: IrcMessage): string {
  const formatted = formatIrcLine({ ...message, tags: NO_TAGS });
  return formatted.ok ? formatted.line : "";
}
