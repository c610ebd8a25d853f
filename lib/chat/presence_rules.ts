/**
 * The rules of presence text: an away text and a goodbye are short text on one line.
 * @module
 */

import type { ProtocolError } from "./errors.ts";
import { MAX_AWAY_CHARS, MAX_QUIT_CHARS } from "./limits.ts";

/** C0 and C1 controls, line breaks included: presence text is one line. */
const CONTROL = /[\p{Cc}]/u;

/**
 * Why an away text is refused (`AWAY_INVALID`), or `null`: 1 to {@linkcode MAX_AWAY_CHARS}
 * UTF-16 code units, no control characters. (An `away` without text, or with `""`, is coming
 * back, which needs no check.)
 *
 * @example
 * ```ts
 * import { checkAway } from "./presence_rules.ts";
 * checkAway("lunch"); // null
 * checkAway("two\nlines")?.code; // "AWAY_INVALID"
 * ```
 */
export function checkAway(text: string): ProtocolError | null {
  if (text.length === 0 || text.length > MAX_AWAY_CHARS) {
    return { code: "AWAY_INVALID", message: `Away text must be 1 to ${MAX_AWAY_CHARS} characters` };
  }
  if (CONTROL.test(text)) {
    return {
      code: "AWAY_INVALID",
      message: "Away text must be one line without control characters",
    };
  }
  return null;
}

/**
 * The goodbye of a `quit` as others are shown it: the text when it keeps the rule (1 to
 * {@linkcode MAX_QUIT_CHARS} UTF-16 code units, no control characters), else none. A quit is
 * never refused: one whose text breaks the rule still ends the session, without the text.
 *
 * @example
 * ```ts
 * import { quitText } from "./presence_rules.ts";
 * quitText("see you"); // "see you"
 * quitText("a\u0007b"); // undefined
 * ```
 */
export function quitText(text: string | undefined): string | undefined {
  if (text === undefined || text.length === 0 || text.length > MAX_QUIT_CHARS) return undefined;
  return CONTROL.test(text) ? undefined : text;
}

/** Whether a goodbye from the hub keeps the rule of {@linkcode quitText} (the client's check). */
export function checkQuitText(text: string): string | null {
  return quitText(text) === undefined
    ? `not 1 to ${MAX_QUIT_CHARS} characters on one line without control characters`
    : null;
}
