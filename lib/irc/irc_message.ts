/**
 * An IRC message (RFC 1459/2812 with IRCv3 tags) and its parser, which never throws.
 * @module
 */

import { type IrcLineError, ircLineError } from "./irc_error.ts";
import { MAX_IRC_LINE_BYTES, MAX_PARAMS, MAX_TAG_BYTES } from "./limits.ts";
import { type IrcTags, parseTags } from "./tags.ts";
import { utf8Length } from "./utf8_length.ts";

/** One IRC message: tags, an optional source (prefix), a command and its parameters. */
export interface IrcMessage {
  tags: IrcTags;
  /** `nick!user@host` or a server name, without its `:`. */
  source?: string;
  /** Upper-case letters, or three digits for a numeric reply. */
  command: string;
  /** Middle parameters, then the trailing one (if any) without its `:`. */
  params: string[];
  /**
   * The last parameter is (or is to be written as) a trailing one, `:` first, even where it
   * need not be: how servers write texts, so that clients read a one-word text the same way.
   */
  trailing?: boolean;
}

/** A line read as a message, or why it is not one. */
export type ParsedIrcLine = { ok: true; message: IrcMessage } | { ok: false; error: IrcLineError };

const COMMAND = /^(?:[A-Za-z]+|[0-9]{3})$/;
const FORBIDDEN = /[\0\r\n]/;
const NO_TAGS: IrcTags = new Map();

/**
 * Parses one line, its CR LF already taken off. The tags may take `MAX_TAG_BYTES` and the rest
 * `MAX_IRC_LINE_BYTES` less the CR LF; the command comes back in upper case. Spaces between
 * parts may be repeated, and a 15th parameter takes the rest of the line, as RFC 2812 says.
 *
 * @example
 * ```ts
 * import { parseIrcLine } from "./irc_message.ts";
 * parseIrcLine("@time=x :ann!a@h privmsg #lobby :hi there");
 * // { ok: true, message: { tags: Map {"time" => "x"}, source: "ann!a@h", command: "PRIVMSG",
 * //   params: ["#lobby", "hi there"] } }
 * ```
 */
export function parseIrcLine(line: string): ParsedIrcLine {
  if (FORBIDDEN.test(line)) {
    return fail(ircLineError("FORBIDDEN_CHARACTER", "Cannot parse line: it holds NUL, CR or LF"));
  }
  let rest = line;
  let tags = NO_TAGS;
  if (rest.startsWith("@")) {
    const space = rest.indexOf(" ");
    const section = space < 0 ? rest : rest.slice(0, space + 1);
    if (utf8Length(section) > MAX_TAG_BYTES) {
      return fail(ircLineError("TAGS_TOO_LONG", `Cannot parse tags: over ${MAX_TAG_BYTES} bytes`));
    }
    const parsed = parseTags(section.slice(1).trimEnd());
    if (parsed === null) return fail(ircLineError("BAD_TAG", "Cannot parse tags: bad key"));
    tags = parsed;
    rest = space < 0 ? "" : rest.slice(space + 1);
  }
  rest = rest.replace(/^ +/, "");
  if (utf8Length(rest) + 2 > MAX_IRC_LINE_BYTES) {
    return fail(
      ircLineError("LINE_TOO_LONG", `Cannot parse line: over ${MAX_IRC_LINE_BYTES} bytes`),
    );
  }
  return parseBody(rest, tags);
}

/** Parses what follows the tags: source, command, parameters. */
function parseBody(body: string, tags: IrcTags): ParsedIrcLine {
  let rest = body;
  let source: string | undefined;
  if (rest.startsWith(":")) {
    const space = rest.indexOf(" ");
    source = space < 0 ? rest.slice(1) : rest.slice(1, space);
    if (source === "") return fail(ircLineError("BAD_SOURCE", "Cannot parse source: empty"));
    rest = space < 0 ? "" : rest.slice(space + 1).replace(/^ +/, "");
  }
  if (rest.trim() === "") return fail(ircLineError("EMPTY_LINE", "Cannot parse line: no command"));
  const space = rest.indexOf(" ");
  const command = space < 0 ? rest : rest.slice(0, space);
  if (!COMMAND.test(command)) {
    return fail(ircLineError("BAD_COMMAND", "Cannot parse command: not letters or 3 digits"));
  }
  const params = space < 0 ? [] : parseParams(rest.slice(space + 1));
  const message: IrcMessage = { tags, command: command.toUpperCase(), params };
  if (source !== undefined) message.source = source;
  if (/ :/.test(rest)) message.trailing = true;
  return { ok: true, message };
}

function parseParams(text: string): string[] {
  const params: string[] = [];
  let rest = text;
  for (;;) {
    rest = rest.replace(/^ +/, "");
    if (rest === "") return params;
    if (rest.startsWith(":") || params.length === MAX_PARAMS - 1) {
      params.push(rest.startsWith(":") ? rest.slice(1) : rest);
      return params;
    }
    const space = rest.indexOf(" ");
    params.push(space < 0 ? rest : rest.slice(0, space));
    if (space < 0) return params;
    rest = rest.slice(space + 1);
  }
}

function fail(error: IrcLineError): ParsedIrcLine {
  return { ok: false, error };
}
