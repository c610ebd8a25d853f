/**
 * Writing an IRC message as a line, refusing anything that would not read back as the same
 * message: no CR, LF or NUL ever reaches the wire, and no line passes the limits.
 * @module
 */

import { type IrcLineError, ircLineError } from "./irc_error.ts";
import type { IrcMessage } from "./irc_message.ts";
import { MAX_IRC_LINE_BYTES, MAX_PARAMS, MAX_TAG_BYTES } from "./limits.ts";
import { formatTags, isTagKey } from "./tags.ts";
import { utf8Length } from "./utf8_length.ts";

/** A message written as a line (without CR LF), or why it cannot be. */
export type FormattedIrcLine = { ok: true; line: string } | { ok: false; error: IrcLineError };

const COMMAND = /^(?:[A-Z]+|[0-9]{3})$/;
const FORBIDDEN = /[\0\r\n]/;
const MIDDLE = /^[^\0\r\n :][^\0\r\n ]*$/;

/**
 * Formats a message as one line, without its CR LF (which `MAX_IRC_LINE_BYTES` counts). The
 * last parameter is written as a trailing one (`:` first) when it must be: empty, holding a
 * space or starting with `:`. Tag values are escaped.
 *
 * @example
 * ```ts
 * import { formatIrcLine } from "./format_irc_line.ts";
 * formatIrcLine({ tags: new Map(), source: "hub", command: "NOTICE", params: ["*", "hi all"] });
 * // { ok: true, line: ":hub NOTICE * :hi all" }
 * ```
 */
export function formatIrcLine(message: IrcMessage): FormattedIrcLine {
  const body = formatBody(message);
  if (typeof body !== "string") return { ok: false, error: body };
  if (utf8Length(body) + 2 > MAX_IRC_LINE_BYTES) {
    return fail("LINE_TOO_LONG", `Cannot write line: over ${MAX_IRC_LINE_BYTES} bytes`);
  }
  if (message.tags.size === 0) return { ok: true, line: body };
  for (const key of message.tags.keys()) {
    if (!isTagKey(key)) return fail("BAD_TAG", "Cannot write tags: bad key");
  }
  const section = `@${formatTags(message.tags)} `;
  if (utf8Length(section) > MAX_TAG_BYTES) {
    return fail("TAGS_TOO_LONG", `Cannot write tags: over ${MAX_TAG_BYTES} bytes`);
  }
  return { ok: true, line: section + body };
}

function formatBody(message: IrcMessage): string | IrcLineError {
  if (!COMMAND.test(message.command)) {
    return ircLineError("BAD_COMMAND", "Cannot write command: not upper-case letters or 3 digits");
  }
  const { params } = message;
  if (params.length > MAX_PARAMS) {
    return ircLineError("BAD_PARAM", `Cannot write message: over ${MAX_PARAMS} parameters`);
  }
  let body = message.source === undefined
    ? message.command
    : `:${message.source} ${message.command}`;
  if (message.source !== undefined && !MIDDLE.test(message.source)) {
    return ircLineError("BAD_SOURCE", "Cannot write source: empty or holding a space");
  }
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    if (FORBIDDEN.test(param)) {
      return ircLineError("FORBIDDEN_CHARACTER", "Cannot write parameter: it holds NUL, CR or LF");
    }
    const last = i === params.length - 1;
    if (MIDDLE.test(param) && !(last && message.trailing === true)) body += ` ${param}`;
    else if (last) body += ` :${param}`;
    else return ircLineError("BAD_PARAM", "Cannot write parameter: only the last may hold a space");
  }
  return body;
}

function fail(code: IrcLineError["code"], message: string): FormattedIrcLine {
  return { ok: false, error: ircLineError(code, message) };
}
