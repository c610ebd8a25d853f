/**
 * Colours, visible widths and clock formatting for the terminal UI.
 *
 * Everything here is pure: colour is decided once by {@link colorEnabled} and passed down as a
 * flag, so the same code prints plain text when `NO_COLOR` is set or stdout is not a terminal.
 *
 * @module
 */

import { styleText } from "node:util";

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
  | "gray";

/** Where {@link colorEnabled} reads `NO_COLOR` from; `Deno.env` fits. */
export interface EnvReader {
  /** Returns the variable's value, or `undefined` when it is not set. */
  get(name: string): string | undefined;
}

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
 * Counts the terminal columns `s` occupies: escape sequences take none, East Asian wide
 * characters and most emoji take two, combining marks take none.
 *
 * @example
 * ```ts
 * visibleWidth("\x1b[31mhi\x1b[39m"); // 2
 * ```
 */
export function visibleWidth(s: string): number {
  let width = 0;
  for (const token of tokenize(s)) {
    if (!token.escape) width += charWidth(token.text.codePointAt(0) ?? 0);
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
 * Cuts `s` to at most `width` visible columns, keeping its escape sequences; when something was
 * cut from a string that carries escape codes, a reset is appended so no colour leaks.
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
    const w = charWidth(token.text.codePointAt(0) ?? 0);
    if (cut || used + w > width) {
      cut = true;
      continue;
    }
    out += token.text;
    used += w;
  }
  return cut && styled ? out + "\x1b[0m" : out;
}

/**
 * Makes untrusted text safe to print: control characters other than `\n` (escape, carriage
 * return, backspace...) become visible caret notation such as `^[`, and a tab becomes a space,
 * so text from the network can never move the cursor or recolour the screen.
 *
 * @example
 * ```ts
 * sanitize("hi\x1b[2J"); // "hi^[[2J"
 * ```
 */
export function sanitize(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === "\n") out += ch;
    else if (ch === "\t") out += " ";
    else if (cp < 0x20) out += "^" + String.fromCharCode(cp + 0x40);
    else if (cp === 0x7f) out += "^?";
    else if (cp >= 0x80 && cp < 0xa0) out += "\uFFFD";
    else out += ch;
  }
  return out;
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

/**
 * Returns the columns one code point takes in a terminal: 0 for control characters and
 * combining marks, 2 for wide (CJK, fullwidth, most emoji), 1 otherwise. An approximation of
 * Unicode's East Asian Width that errs towards the common cases.
 */
export function charWidth(codePoint: number): number {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if (inRanges(codePoint, ZERO_WIDTH)) return 0;
  if (inRanges(codePoint, WIDE)) return 2;
  return 1;
}

/** One piece of a string: an escape sequence, or one code point of text. */
interface Token {
  escape: boolean;
  text: string;
}

/** Splits `s` into escape sequences (CSI, OSC, two-byte) and single code points. */
function* tokenize(s: string): Generator<Token> {
  let i = 0;
  while (i < s.length) {
    if (s.charCodeAt(i) === ESC) {
      const end = escapeEnd(s, i);
      yield { escape: true, text: s.slice(i, end) };
      i = end;
      continue;
    }
    const cp = s.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    yield { escape: false, text: ch };
    i += ch.length;
  }
}

/** Returns the index just past the escape sequence starting at `start` (an ESC). */
function escapeEnd(s: string, start: number): number {
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

type Range = readonly [number, number];

const ZERO_WIDTH: readonly Range[] = [
  [0x0300, 0x036f], // combining diacritical marks
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x200b, 0x200f], // zero-width space, joiners, direction marks
  [0x20d0, 0x20ff], // combining marks for symbols
  [0xfe00, 0xfe0f], // variation selectors
  [0xfe20, 0xfe2f],
  [0xe0100, 0xe01ef],
];

const WIDE: readonly Range[] = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f5],
  [0x26fa, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x2753, 0x2757],
  [0x2795, 0x2797],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b55],
  [0x2e80, 0x303e], // CJK radicals, punctuation
  [0x3041, 0x33ff], // kana, CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f680, 0x1f6ff], // transport and map symbols
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff], // supplemental symbols and pictographs
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd], // CJK extensions B and beyond
];

/** Binary search over sorted, non-overlapping inclusive ranges. */
function inRanges(codePoint: number, ranges: readonly Range[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = ranges[mid];
    if (range === undefined) return false;
    if (codePoint < range[0]) hi = mid - 1;
    else if (codePoint > range[1]) lo = mid + 1;
    else return true;
  }
  return false;
}
