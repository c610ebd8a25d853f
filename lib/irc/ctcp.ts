/**
 * CTCP, the `\x01COMMAND params\x01` convention inside PRIVMSG and NOTICE: ACTION (`/me`) is
 * what the hub calls an action; the rest is for clients, never for the hub's users.
 * @module
 */

const DELIMITER = "\x01";

/** A CTCP message found in a text. */
export interface Ctcp {
  /** Upper-cased: `ACTION`, `VERSION`, `PING`... */
  command: string;
  /** What follows the command and one space, possibly empty. */
  params: string;
}

/**
 * The CTCP message a text holds, or `null` for plain text. The closing `\x01` may be missing,
 * as some clients send it; a text of `\x01` alone is an empty command.
 *
 * @example
 * ```ts
 * import { parseCtcp } from "./ctcp.ts";
 * parseCtcp("\x01ACTION waves\x01"); // { command: "ACTION", params: "waves" }
 * parseCtcp("hello"); // null
 * ```
 */
export function parseCtcp(text: string): Ctcp | null {
  if (!text.startsWith(DELIMITER)) return null;
  const end = text.indexOf(DELIMITER, 1);
  const body = text.slice(1, end < 0 ? text.length : end);
  const space = body.indexOf(" ");
  const command = (space < 0 ? body : body.slice(0, space)).toUpperCase();
  return { command, params: space < 0 ? "" : body.slice(space + 1) };
}

/** Wraps an action's text as CTCP ACTION, how IRC clients show `* ann waves`. */
export function formatCtcp(command: string, params: string): string {
  return params === ""
    ? `${DELIMITER}${command}${DELIMITER}`
    : `${DELIMITER}${command} ${params}${DELIMITER}`;
}

/** Bytes CTCP ACTION adds around a text: `\x01ACTION ` and `\x01`. */
export const ACTION_OVERHEAD_BYTES = 9;
