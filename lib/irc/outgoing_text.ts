/**
 * Turning a chat message's text into the texts of PRIVMSG lines: one line per line of the
 * message, each cut to fit IRC's 512 bytes with the source the server writes before it, and
 * nothing in it that an IRC client would take for a line break or a CTCP request.
 * @module
 */

import { ACTION_OVERHEAD_BYTES, formatCtcp } from "./ctcp.ts";
import { MAX_IRC_LINE_BYTES } from "./limits.ts";
import { splitUtf8 } from "./split_utf8.ts";
import { utf8Length } from "./utf8_length.ts";

/** The least text a line carries, whatever its source and target take. */
const MIN_TEXT_BYTES = 16;
/** Characters no IRC text may carry: NUL, and `\x01`, which would start a CTCP request. */
// deno-lint-ignore no-control-regex
const UNSAFE = /[\0\x01]/g;

/** Who sends what to whom, as the line will carry it. */
export interface OutgoingText {
  /** `nick!user@host`, written as `:source`. */
  source: string;
  /** `PRIVMSG` or `NOTICE`. */
  command: string;
  /** The room or nick the line goes to. */
  target: string;
  text: string;
  /** Sent as CTCP ACTION (`* ann waves`). */
  action?: boolean;
}

/**
 * The trailing parameters of the lines that carry a text: a line break (CR LF, LF or CR)
 * starts a new line and empty lines are dropped (a text of breaks alone is one space); NUL and
 * `\x01` become U+FFFD; each piece fits `MAX_IRC_LINE_BYTES` with the rest of its line.
 *
 * @example
 * ```ts
 * import { outgoingTexts } from "./outgoing_text.ts";
 * outgoingTexts({ source: "ann!ann@chat", command: "PRIVMSG", target: "#lobby", text: "a\nb" });
 * // ["a", "b"]
 * ```
 */
export function outgoingTexts(message: OutgoingText): string[] {
  const overhead = utf8Length(`:${message.source} ${message.command} ${message.target} :`) + 2 +
    (message.action === true ? ACTION_OVERHEAD_BYTES : 0);
  const budget = Math.max(MIN_TEXT_BYTES, MAX_IRC_LINE_BYTES - overhead);
  const lines = message.text.replace(UNSAFE, "\uFFFD").split(/\r\n|\r|\n/).filter((l) => l !== "");
  const pieces = (lines.length === 0 ? [" "] : lines).flatMap((line) => splitUtf8(line, budget));
  return message.action === true ? pieces.map((piece) => formatCtcp("ACTION", piece)) : pieces;
}
