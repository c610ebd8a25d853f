/**
 * Colours, visible widths and clock formatting for the terminal UI.
 *
 * Everything here is pure: colour is decided once by {@link colorEnabled} and passed down as a
 * flag, so the same code prints plain text when `NO_COLOR` is set or stdout is not a terminal.
 *
 * @module
 */

import { styleText } from "node:util";
import { codePointLabel, isHiddenInText } from "../text/hidden_chars.ts";
import { graphemes } from "../text/graphemes.ts";
import { graphemeWidth, textWidth } from "./grapheme_width.ts";

/** The styles {@link paint} knows. */
export type Style =
  | "dim"
  | "bold"
  | "red"
  | "green"
  | "yellow"
  | "blue"
  | "magenta"
  | "cyan"
  | "gray"
  | "inverse";

/** Where {@link colorEnabled} reads `NO_COLOR` from; `Deno.env` fits. */
export interface EnvReader {
  /** Returns the variable's value, or `undefined` when it is not set. */
  get(name: string): string | undefined;
}

/** Text {@link sanitize} returns as it is: printable ASCII and newlines. */
const PLAIN_ASCII = /^[\x20-\x7e\n]*$/;
const ESC = 0x1b;
const BEL = 0x07;

/**
 * Decides whether output may carry colour: never when `NO_COLOR` holds a non-empty value or the
 * output is not a terminal. A variable the program may not read counts as unset.
 *
 * @example
 * ```ts
 * const color = colorEnabled(Deno.env, Deno.stdout.isTerminal());
 * ```
 */
export function colorEnabled(env: EnvReader, isTerminal: boolean): boolean {
  if (!isTerminal) return false;
  let noColor: string | undefined;
  try {
    noColor = env.get("NO_COLOR");
  } catch {
    noColor = undefined;
  }
  return noColor === undefined || noColor === "";
}

/**
 * Wraps `text` in the escape codes of `style` when `enabled`, and returns it untouched otherwise.
 *
 * @example
 * ```ts
 * paint("alice", "cyan", false); // "alice"
 * ```
 */
export function paint(text: string, style: Style, enabled: boolean): string {
  if (!enabled) return text;
  // The decision was already made by colorEnabled; styleText must not second-guess it.
  return styleText(style, text, { validateStream: false });
}

/**
 * Counts the terminal columns `s` occupies, by grapheme cluster (see {@link graphemeWidth}):
 * escape sequences take none, emoji and East Asian wide characters two, a letter with its
 * combining marks one.
 *
 * @example
 * ```ts
 * visibleWidth("\x1b[31mhi\x1b[39m"); // 2
 * ```
 */
export function visibleWidth(s: string): number {
  let width = 0;
  for (const token of tokenize(s)) {
    if (!token.escape) width += textWidth(token.text);
  }
  return width;
}

/** Removes every ANSI escape sequence from `s`. */
export function stripAnsi(s: string): string {
  let out = "";
  for (const token of tokenize(s)) {
    if (!token.escape) out += token.text;
  }
  return out;
}

/**
 * Cuts `s` to at most `width` visible columns, never inside a grapheme cluster, keeping its
 * escape sequences; when something was cut from a string that carries escape codes, a reset is
 * appended so no colour leaks.
 */
export function truncateToWidth(s: string, width: number): string {
  if (width < 0 || !Number.isFinite(width)) {
    throw new RangeError(`Cannot truncate: width must be a non-negative number, got ${width}`);
  }
  let out = "";
  let used = 0;
  let cut = false;
  let styled = false;
  for (const token of tokenize(s)) {
    if (token.escape) {
      styled = true;
      if (!cut) out += token.text;
      continue;
    }
    for (const cluster of cut ? [] : graphemes(token.text)) {
      const w = graphemeWidth(cluster);
      if (used + w > width) {
        cut = true;
        break;
      }
      out += cluster;
      used += w;
    }
  }
  return cut && styled ? out + "\x1b[0m" : out;
}

/** Options of {@link sanitize}. */
export interface SanitizeOptions {
  /** Show what was escaped in reverse video, so it stands out from text that was typed. */
  color?: boolean;
}

/**
 * Makes untrusted text safe to print: control characters other than `\n` (escape, carriage
 * return, backspace...) become visible caret notation such as `^[`, and a tab becomes a space,
 * so text from the network can never move the cursor or recolour the screen. Characters that
 * reorder or hide text (bidi controls, zero-width spaces and joiners, the soft hyphen...) show
 * as their code point, `<U+202E>`, so a line reads as it was sent; a joiner between emoji and a
 * presentation selector after one stay, as emoji need them.
 *
 * @example
 * ```ts
 * sanitize("hi\x1b[2J"); // "hi^[[2J"
 * sanitize("evil\u202etxt.exe"); // "evil<U+202E>txt.exe"
 * ```
 */
export function sanitize(text: string, options: SanitizeOptions = {}): string {
  if (PLAIN_ASCII.test(text)) return text;
  const color = options.color ?? false;
  const points = Array.from(text, (ch) => ch.codePointAt(0)!);
  let out = "";
  for (let i = 0; i < points.length; i++) {
    const escaped = escapedForm(points, i);
    if (escaped === null) out += String.fromCodePoint(points[i]!);
    else out += escaped === " " ? escaped : paint(escaped, "inverse", color);
  }
  return out;
}

/**
 * How {@link sanitize} shows code point `i` of `points` (the text's code points, so neighbours
 * can be seen), or `null` when it shows as itself. Newlines are left to the caller.
 */
export function escapedForm(points: readonly number[], i: number): string | null {
  const cp = points[i]!;
  if (cp === 0x0a) return null;
  if (cp === 0x09) return " ";
  if (cp < 0x20) return "^" + String.fromCharCode(cp + 0x40);
  if (cp === 0x7f) return "^?";
  if (cp >= 0x80 && cp < 0xa0) return "\uFFFD";
  if (cp < 0xa0) return null;
  return isHiddenInText(cp, points[i - 1], points[i + 1]) ? `<${codePointLabel(cp)}>` : null;
}

/**
 * Formats a time in milliseconds since the epoch as the local wall clock, "HH:MM:SS".
 *
 * @example
 * ```ts
 * formatClock(new Date(2025, 0, 1, 9, 5, 3).getTime()); // "09:05:03"
 * ```
 */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) {
    throw new RangeError(`Cannot format clock: time must be a finite number, got ${ms}`);
  }
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
}

/** One piece of a string: an escape sequence, or a run of text without any. */
interface Token {
  escape: boolean;
  text: string;
}

/** Splits `s` into escape sequences (CSI, OSC, two-byte) and the runs of text between them. */
function* tokenize(s: string): Generator<Token> {
  let i = 0;
  while (i < s.length) {
    const next = s.indexOf("\x1b", i);
    if (next === -1) {
      yield { escape: false, text: s.slice(i) };
      return;
    }
    if (next > i) yield { escape: false, text: s.slice(i, next) };
    const end = escapeEnd(s, next);
    yield { escape: true, text: s.slice(next, end) };
    i = end;
  }
}

/** Returns the index just past the escape sequence (CSI, OSC, two-byte) starting at `start`. */
export function escapeEnd(s: string, start: number): number {
  const kind = s[start + 1];
  if (kind === undefined) return start + 1;
  if (kind === "[") {
    let i = start + 2;
    while (i < s.length) {
      const c = s.charCodeAt(i++);
      if (c >= 0x40 && c <= 0x7e) return i;
    }
    return i;
  }
  if (kind === "]") {
    let i = start + 2;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === BEL) return i + 1;
      if (c === ESC && s[i + 1] === "\\") return i + 2;
      i++;
    }
    return i;
  }
  return start + 2;
}
