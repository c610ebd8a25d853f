/**
 * What a typed or piped line asks for: plain text to everyone, or a `/command`.
 * @module
 */

/** A parsed input line. */
export type Input =
  | { kind: "say"; text: string }
  | { kind: "msg"; to: string; text: string }
  | { kind: "users" }
  | { kind: "files" }
  | { kind: "get"; name: string }
  | { kind: "put"; path: string }
  | { kind: "pause" | "resume" | "cancel"; transfer: number }
  | { kind: "help" }
  | { kind: "quit" }
  | { kind: "empty" }
  | { kind: "invalid"; message: string };

/** Command names with their argument synopsis, for help and completion. */
export const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ["/msg", "NAME TEXT   send TEXT to NAME only"],
  ["/users", "           list who is online"],
  ["/files", "           list the files the server shares"],
  ["/get", "FILE        download FILE"],
  ["/put", "PATH        share the file at PATH"],
  ["/pause", "ID          pause transfer ID"],
  ["/resume", "ID          resume transfer ID"],
  ["/cancel", "ID          cancel transfer ID"],
  ["/help", "            show this list"],
  ["/quit", "            leave"],
];

/**
 * Parses one line of input. `//text` sends `/text` literally.
 *
 * @example
 * ```ts
 * import { parseInput } from "./slash_command.ts";
 * parseInput("/msg bob hi there"); // { kind: "msg", to: "bob", text: "hi there" }
 * parseInput("hello"); // { kind: "say", text: "hello" }
 * ```
 */
export function parseInput(line: string): Input {
  if (line.trim() === "") return { kind: "empty" };
  if (!line.startsWith("/")) return { kind: "say", text: line };
  if (line.startsWith("//")) return { kind: "say", text: line.slice(1) };
  const match = /^(\/\S+)\s*(.*)$/s.exec(line)!;
  const [, verb = "", rest = ""] = match;
  switch (verb.toLowerCase()) {
    case "/msg": {
      const m = /^(\S+)\s+(.+)$/s.exec(rest);
      return m === null
        ? invalid("Usage: /msg NAME TEXT")
        : { kind: "msg", to: m[1]!, text: m[2]! };
    }
    case "/users":
    case "/who":
      return { kind: "users" };
    case "/files":
      return { kind: "files" };
    case "/get":
      return rest.trim() === "" ? invalid("Usage: /get FILE") : { kind: "get", name: rest.trim() };
    case "/put":
      return rest.trim() === "" ? invalid("Usage: /put PATH") : { kind: "put", path: rest.trim() };
    case "/pause":
    case "/resume":
    case "/cancel":
      return transferCommand(verb.slice(1).toLowerCase() as "pause", rest);
    case "/help":
      return { kind: "help" };
    case "/quit":
    case "/exit":
      return { kind: "quit" };
    default:
      return invalid(`Unknown command '${verb}'; /help lists them`);
  }
}

function transferCommand(kind: "pause" | "resume" | "cancel", rest: string): Input {
  const id = /^\s*#?(\d+)\s*$/.exec(rest);
  return id === null ? invalid(`Usage: /${kind} ID`) : { kind, transfer: Number(id[1]) };
}

function invalid(message: string): Input {
  return { kind: "invalid", message };
}
