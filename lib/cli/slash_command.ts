/**
 * What a typed or piped line asks for: plain text to everyone, or a `/command`.
 * @module
 */

import { checkRoomName } from "../chat/room_rules.ts";

/** A parsed input line. `room` absent: the current room (see `RunContext.room`). */
export type Input =
  | { kind: "say"; text: string; action?: boolean; room?: string }
  | { kind: "msg"; to: string; text: string }
  | { kind: "users" }
  | { kind: "files" }
  | { kind: "get"; name: string; overwrite?: boolean }
  | { kind: "put"; path: string }
  | { kind: "pause" | "resume" | "cancel"; transfer: number }
  | { kind: "join" | "switch"; room: string }
  | { kind: "part"; room?: string }
  | { kind: "topic"; text?: string }
  | { kind: "rooms" | "names" }
  | { kind: "nick" | "whois"; name: string }
  | { kind: "away"; text?: string }
  | { kind: "register" | "password" }
  | { kind: "clear" }
  | { kind: "help" }
  | { kind: "quit"; text?: string }
  | { kind: "empty" }
  | { kind: "invalid"; message: string };

/** One command as `/help` lists it. */
export interface CommandHelp {
  /** The command, with its slash. */
  name: string;
  /** Its arguments, e.g. `NAME TEXT`; empty when it takes none. */
  args: string;
  /** What it does. */
  does: string;
}

/** The commands `/help` lists and Tab completes, in that order. */
export const COMMANDS: readonly CommandHelp[] = [
  { name: "/msg", args: "NAME TEXT", does: "send TEXT to NAME only" },
  { name: "/me", args: "ACTION", does: "tell the room what you do: * alice waves" },
  { name: "/users", args: "", does: "list who is online (also /who)" },
  { name: "/join", args: "ROOM", does: "join ROOM (#dev, or dev) and talk there" },
  { name: "/part", args: "[ROOM]", does: "leave ROOM, or the current room" },
  { name: "/switch", args: "ROOM", does: "talk in ROOM, one you are in (Alt-1…9, Ctrl-N/P)" },
  { name: "/rooms", args: "", does: "list the rooms, their members and topics" },
  { name: "/topic", args: "[TEXT]", does: "show the current room's topic, or set it" },
  { name: "/names", args: "", does: "list who is in the current room" },
  { name: "/nick", args: "NAME", does: "change your name; everyone in your rooms is told" },
  { name: "/away", args: "[TEXT]", does: "mark yourself away with TEXT, or back without" },
  { name: "/whois", args: "NAME", does: "show since when NAME is here, idle time, rooms, away" },
  { name: "/register", args: "", does: "register your name with a password (asked for)" },
  { name: "/password", args: "", does: "change your account's password (asked for)" },
  { name: "/files", args: "", does: "list the files the server shares" },
  { name: "/get", args: "[-f] FILE", does: "download FILE (-f: replace a file of that name)" },
  { name: "/put", args: "PATH", does: "share the file at PATH" },
  { name: "/pause", args: "ID", does: "pause transfer ID" },
  { name: "/resume", args: "ID", does: "resume transfer ID" },
  { name: "/cancel", args: "ID", does: "cancel transfer ID" },
  { name: "/clear", args: "", does: "clear the screen (also Ctrl-L)" },
  { name: "/help", args: "", does: "show this list" },
  { name: "/quit", args: "[MESSAGE]", does: "leave, showing MESSAGE (also Ctrl-D, Ctrl-C twice)" },
];

/** Names that mean the same as a listed command. */
const ALIASES: Readonly<Record<string, string>> = { "/who": "/users", "/exit": "/quit" };

/**
 * Parses one line of input; never throws, whatever the line. `//text` sends `/text`
 * literally; a line that is only `/`, or an unknown command, is `invalid` with a message.
 * Line breaks (from a paste) stay in the text, but for those at its end.
 *
 * @example
 * ```ts
 * import { parseInput } from "./slash_command.ts";
 * parseInput("/msg bob hi there"); // { kind: "msg", to: "bob", text: "hi there" }
 * parseInput("hello"); // { kind: "say", text: "hello" }
 * ```
 */
export function parseInput(typed: string): Input {
  // A paste often ends with a line break, which would only add an empty row.
  const line = typed.replace(/\n+$/, "");
  if (line.trim() === "") return { kind: "empty" };
  if (!line.startsWith("/")) return { kind: "say", text: line };
  if (line.startsWith("//")) return { kind: "say", text: line.slice(1) };
  const verb = /^\/\S*/.exec(line)?.[0] ?? "/";
  const rest = line.slice(verb.length).replace(/^\s+/, "");
  if (verb === "/") {
    return invalid("Type a command after '/' (/help lists them), or // to send '/'");
  }
  const name = verb.toLowerCase();
  return parseCommand(ALIASES[name] ?? name, rest) ??
    invalid(`Unknown command '${verb.slice(0, 32)}'; /help lists them`);
}

/** Parses a known command's arguments; `null` for an unknown command. */
function parseCommand(name: string, rest: string): Input | null {
  const arg = rest.trim();
  switch (name) {
    case "/msg": {
      const m = /^(\S+)\s+(.*\S.*)$/s.exec(rest);
      return m === null ? usage("/msg") : { kind: "msg", to: m[1]!, text: m[2]! };
    }
    case "/me":
      return arg === "" ? usage("/me") : { kind: "say", text: rest, action: true };
    case "/users":
    case "/files":
    case "/rooms":
    case "/names":
    case "/clear":
    case "/help":
      return {
        kind: name.slice(1) as "users" | "files" | "rooms" | "names" | "clear" | "help",
      };
    case "/quit":
      return arg === "" ? { kind: "quit" } : { kind: "quit", text: arg };
    case "/away":
      return arg === "" ? { kind: "away" } : { kind: "away", text: arg };
    case "/nick":
    case "/whois":
      // A name has no spaces: `/nick a b` is a mistake, not the name `a`.
      return /^\S+$/.test(arg)
        ? { kind: name.slice(1) as "nick" | "whois", name: arg }
        : usage(name);
    case "/register":
    case "/password":
      // A password typed on the line would be shown and kept in the history: never taken.
      return arg === "" ? { kind: name.slice(1) as "register" | "password" } : invalid(
        `Type ${name} alone: the password is asked for with nothing shown, never typed after it`,
      );
    case "/join":
    case "/switch":
      return roomCommand(name.slice(1) as "join" | "switch", arg);
    case "/part":
      return arg === "" ? { kind: "part" } : roomCommand("part", arg);
    case "/topic":
      return arg === "" ? { kind: "topic" } : { kind: "topic", text: arg };
    case "/get":
      return getCommand(arg);
    case "/put":
      return arg === "" ? usage("/put") : { kind: "put", path: arg };
    case "/pause":
    case "/resume":
    case "/cancel":
      return transferCommand(name.slice(1) as "pause" | "resume" | "cancel", rest);
  }
  return null;
}

/**
 * A room as typed: `#dev`, or `dev` for short (the `#` is easy to forget, and starts a comment
 * in a shell). Returns the room name, or why it is not one.
 *
 * @example
 * ```ts
 * import { roomArgument } from "./slash_command.ts";
 * roomArgument("dev"); // { ok: true, room: "#dev" }
 * ```
 */
export function roomArgument(
  typed: string,
): { ok: true; room: string } | { ok: false; message: string } {
  const room = typed.startsWith("#") ? typed : `#${typed}`;
  const refused = checkRoomName(room);
  return refused === null ? { ok: true, room } : { ok: false, message: refused.message };
}

function roomCommand(kind: "join" | "switch" | "part", arg: string): Input {
  if (arg === "") return usage(`/${kind}`);
  const parsed = roomArgument(arg);
  return parsed.ok ? { kind, room: parsed.room } : invalid(parsed.message);
}

function getCommand(arg: string): Input {
  const forced = /^-f(?:\s+|$)/.exec(arg);
  const name = forced === null ? arg : arg.slice(forced[0].length).trim();
  if (name === "") return usage("/get");
  return forced === null ? { kind: "get", name } : { kind: "get", name, overwrite: true };
}

function transferCommand(kind: "pause" | "resume" | "cancel", rest: string): Input {
  const id = /^\s*#?(\d{1,9})\s*$/.exec(rest);
  return id === null ? usage(`/${kind}`) : { kind, transfer: Number(id[1]) };
}

function usage(name: string): Input {
  const command = COMMANDS.find((c) => c.name === name);
  return invalid(`Usage: ${name}${command?.args ? ` ${command.args}` : ""}`);
}

function invalid(message: string): Input {
  return { kind: "invalid", message };
}

/**
 * The `/help` text: one line per command in aligned columns, and what plain text does.
 *
 * @example
 * ```ts
 * import { helpLines } from "./slash_command.ts";
 * helpLines()[0]; // "/msg NAME TEXT     send TEXT to NAME only"
 * ```
 */
export function helpLines(): string[] {
  const synopsis = COMMANDS.map((c) => c.args === "" ? c.name : `${c.name} ${c.args}`);
  const width = Math.max(...synopsis.map((s) => s.length)) + 2;
  return [
    ...COMMANDS.map((c, i) => `${synopsis[i]!.padEnd(width)}${c.does}`),
    `${"//TEXT".padEnd(width)}send TEXT starting with '/'`,
    "Anything else is sent to the current room; Tab completes commands, names, files and rooms.",
  ];
}
