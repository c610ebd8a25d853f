/**
 * One IRC client's session with the hub: a sans-IO translator fed IRC bytes or lines and hub
 * events, producing IRC lines and hub requests, with the registration deadline fed `now`.
 * @module
 */

import { LineDecoder } from "../chat/line_decoder.ts";
import type { DeliveryCache } from "./delivery_cache.ts";
import type { HubEvent } from "./hub_port.ts";
import { type IrcMessage, parseIrcLine } from "./irc_message.ts";
import { RateLimiter } from "../chat/rate_limiter.ts";
import {
  LOCAL_RATE_BURST,
  LOCAL_RATE_PER_SECOND,
  MAX_HELD_LINES,
  MAX_IRC_LINE_BYTES,
  MAX_TAG_BYTES,
  REGISTRATION_TIMEOUT_MS,
} from "./limits.ts";
import { Registration } from "./registration.ts";
import { DEFAULT_SERVER_INFO, type ServerInfo } from "./server_info.ts";
import type { SessionOutput } from "./session_output.ts";
import { handleHubEvent } from "./_hub_events.ts";
import { chathistory } from "./_history_command.ts";
import { handleReply } from "./_hub_replies.ts";
import { away, motd, whois } from "./_user_commands.ts";
import { notice, privmsg } from "./_message_commands.ts";
import {
  cap,
  type CommandHandler,
  nick,
  pass,
  ping,
  pong,
  quit,
  user,
} from "./_registration_commands.ts";
import { join, list, mode, names, part, topic } from "./_room_commands.ts";
import { who } from "./_who_command.ts";
import { SessionState, type SessionStats } from "./_session_state.ts";
import { authenticate } from "./_sasl_command.ts";

/** Settings of a session; every field has a default. */
export interface IrcSessionOptions {
  /** What clients are told of the server (default {@linkcode DEFAULT_SERVER_INFO}). */
  server?: Partial<ServerInfo>;
  /** Time to register, in ms (default `REGISTRATION_TIMEOUT_MS`). */
  registrationTimeoutMs?: number;
  /**
   * Lines shared by the sessions of one listener, so that a message to a room is formatted
   * once, not once per member (default: none, each session formats its own).
   */
  deliveryCache?: DeliveryCache;
}

/** Commands served before registration; any other gets 451. */
const BEFORE_REGISTRATION: Record<string, CommandHandler> = {
  CAP: cap,
  NICK: nick,
  USER: user,
  PASS: pass,
  AUTHENTICATE: authenticate,
  PING: ping,
  PONG: pong,
  QUIT: quit,
};

/**
 * Commands served at once while the hub has the login; the others wait for its answer, so
 * that a NICK cannot change the name being logged in with and a pipelined JOIN is not 451.
 */
const NEVER_HELD = new Set(["CAP", "PING", "PONG", "QUIT"]);

/** Commands answered without the hub, which spend the session's local budget. */
const LOCAL_COMMANDS = new Set(["CAP", "PING", "WHO", "MODE", "MOTD"]);

const COMMANDS: Record<string, CommandHandler> = {
  ...BEFORE_REGISTRATION,
  PRIVMSG: privmsg,
  NOTICE: notice,
  JOIN: join,
  PART: part,
  NAMES: names,
  TOPIC: topic,
  LIST: list,
  WHO: who,
  MODE: mode,
  WHOIS: whois,
  AWAY: away,
  MOTD: motd,
  CHATHISTORY: chathistory,
};

/**
 * The translator between one IRC connection and the hub. Feed it what the client sent
 * (`receive` or `handleLine`), what the hub said (`handleEvent`) and timeouts
 * (`handleTimeout` at `pollTimeout`); after each call drain `poll` until it returns `null`.
 *
 * @example
 * ```ts
 * import { IrcSession } from "./irc_session.ts";
 * const session = new IrcSession(0);
 * session.handleLine(0, "NICK ann");
 * session.handleLine(0, "USER ann 0 * :Ann");
 * session.poll(); // { kind: "request", request: { type: "login", name: "ann", id: 1 } }
 * session.handleEvent(5, { type: "welcome", re: 1, name: "ann", ts: 5 });
 * session.poll(); // { kind: "line", line: ":deno-chat 001 ann :Welcome ...\r\n" }
 * ```
 */
export class IrcSession {
  readonly #state: SessionState;
  readonly #decoder = new LineDecoder(MAX_TAG_BYTES + MAX_IRC_LINE_BYTES);
  /** The budget of the commands answered without the hub (`LOCAL_COMMANDS`). */
  readonly #local: RateLimiter;
  /** Commands that came while the hub had the login, handled once it answered. */
  #held: IrcMessage[] = [];
  #next = 0;

  constructor(now: number, options: IrcSessionOptions = {}) {
    const info = { ...DEFAULT_SERVER_INFO, ...options.server };
    const timeout = options.registrationTimeoutMs ?? REGISTRATION_TIMEOUT_MS;
    this.#local = new RateLimiter(
      { perSecond: LOCAL_RATE_PER_SECOND, burst: LOCAL_RATE_BURST },
      now,
    );
    const cache = options.deliveryCache ?? null;
    this.#state = new SessionState(info, new Registration(now, timeout), cache);
  }

  /** The nick, `*` before registration has given one. */
  get nick(): string {
    return this.#state.nick;
  }

  /** Whether the hub welcomed the user. */
  get registered(): boolean {
    return this.#state.registered;
  }

  /** Whether the session asked to close (a `close` output was queued). */
  get closed(): boolean {
    return this.#state.closed;
  }

  /** Counters of what was dropped, for the driver's logs. */
  get stats(): Readonly<SessionStats> {
    return this.#state.stats;
  }

  /** The next output, in order, or `null` when there is none. */
  poll(): SessionOutput | null {
    const output = this.#state.output;
    if (this.#next >= output.length) {
      output.length = 0;
      this.#next = 0;
      return null;
    }
    return output[this.#next++]!;
  }

  /** When `handleTimeout` must next be called (the registration deadline), or `null`. */
  pollTimeout(): number | null {
    return this.#state.closed ? null : this.#state.registration.deadline;
  }

  /** Closes a connection that did not register by its deadline. */
  handleTimeout(now: number): void {
    const deadline = this.pollTimeout();
    if (deadline !== null && now >= deadline) this.#state.close("Registration timed out");
  }

  /** Feeds bytes read from the IRC client (any split; lines end in LF or CR LF). */
  receive(now: number, bytes: Uint8Array): void {
    for (const result of this.#decoder.push(bytes)) {
      if (this.#state.closed) return;
      if (result.ok) this.handleLine(now, result.line);
      else if (result.error.code === "LINE_TOO_LONG") this.#tooLong();
      else {
        this.#state.fromServer("NOTICE", [this.#state.nick, "Line dropped: not UTF-8 (UTF8ONLY)"]);
        this.#state.bad();
      }
    }
  }

  /** Feeds one line from the IRC client, without its line ending. */
  handleLine(now: number, line: string): void {
    const state = this.#state;
    if (state.closed) return;
    const parsed = parseIrcLine(line);
    if (!parsed.ok) {
      if (parsed.error.code === "EMPTY_LINE") return;
      if (parsed.error.code === "LINE_TOO_LONG" || parsed.error.code === "TAGS_TOO_LONG") {
        return this.#tooLong();
      }
      state.reply("ERR_UNKNOWNCOMMAND", ["*", parsed.error.message]);
      return state.bad();
    }
    this.#dispatch(now, parsed.message);
  }

  /** Feeds what the hub sent this session: a reply to one of its requests, or an event. */
  handleEvent(now: number, event: HubEvent): void {
    const state = this.#state;
    if (state.closed) return;
    const re = "re" in event ? event.re : undefined;
    const pending = re === undefined ? undefined : state.pending.get(re);
    if (pending !== undefined) {
      state.pending.delete(re!);
      state.lastQuit = null;
      handleReply(state, pending, event);
    } else {
      handleHubEvent(state, event);
    }
    if (this.#held.length > 0 && state.registration.phase !== "logging_in") this.#release(now);
  }

  /** The hub ended this user's session (dropped, timed out, shutting down). */
  hubClosed(_now: number, reason: string): void {
    this.#state.close(reason);
  }

  #dispatch(now: number, message: IrcMessage): void {
    const state = this.#state;
    const errorsBefore = state.errorsInRow;
    const table = state.registered ? COMMANDS : BEFORE_REGISTRATION;
    const handler = Object.hasOwn(table, message.command) ? table[message.command] : undefined;
    if (!state.registered && isEmptyJoin(message)) return;
    if (state.registration.phase === "logging_in" && !NEVER_HELD.has(message.command)) {
      if (this.#held.length < MAX_HELD_LINES) return void this.#held.push(message);
    }
    if (handler !== undefined && LOCAL_COMMANDS.has(message.command) && this.#local.take(now) > 0) {
      state.reply("RPL_TRYAGAIN", [message.command, "Please wait a while and try again"]);
      state.bad();
    } else if (handler !== undefined) {
      handler(state, message);
    } else if (!state.registered && Object.hasOwn(COMMANDS, message.command)) {
      state.reply("ERR_NOTREGISTERED", ["You have not registered"]);
      state.bad();
    } else {
      state.reply("ERR_UNKNOWNCOMMAND", [message.command.slice(0, 32), "Unknown command"]);
      state.bad();
    }
    // A command that did not count as an error ends the run of errors.
    if (state.errorsInRow === errorsBefore) state.errorsInRow = 0;
  }

  /** Handles the held commands: as a user's once welcomed, else with 451. */
  #release(now: number): void {
    const held = this.#held;
    this.#held = [];
    for (const message of held) {
      if (this.#state.closed) return;
      this.#dispatch(now, message);
    }
  }

  #tooLong(): void {
    this.#state.reply("ERR_INPUTTOOLONG", ["Input line was too long"]);
    this.#state.bad();
  }
}

/**
 * `JOIN :` (no room), which irssi sends before registering: nothing to do, and not a bad line
 * (it would count towards the errors that close a connection).
 */
function isEmptyJoin(message: IrcMessage): boolean {
  return message.command === "JOIN" && (message.params[0] ?? "") === "";
}
