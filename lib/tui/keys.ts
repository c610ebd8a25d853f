/**
 * Decoding of raw-mode terminal input into keys, sans-IO: bytes in, keys out.
 *
 * @module
 */

/** A key press (or a run of typed or pasted text) decoded from terminal input. */
export type Key =
  | { kind: "text"; text: string }
  /** Text the terminal marked as pasted (bracketed paste): it may hold line breaks and tabs. */
  | { kind: "paste"; text: string }
  | { kind: "enter" }
  | { kind: "backspace" }
  | { kind: "delete" }
  | { kind: "tab" }
  | { kind: "escape" }
  | { kind: "up" }
  | { kind: "down" }
  | { kind: "left" }
  | { kind: "right" }
  | { kind: "home" }
  | { kind: "end" }
  | { kind: "word-left" }
  | { kind: "word-right" }
  | { kind: "word-backspace" }
  | { kind: "word-delete" }
  | { kind: "ctrl"; letter: string }
  /** Alt (or Esc) with a digit, 1 to 9: the interactive client's room switch. */
  | { kind: "alt-digit"; digit: number };

/**
 * The longest escape sequence kept while waiting for its end; anything longer is garbage and
 * is dropped, so a stream of junk cannot grow the decoder's memory.
 */
export const MAX_SEQUENCE_CHARS = 32;

/** Turns bracketed paste on: the terminal then wraps pasted text in the two markers below. */
export const BRACKETED_PASTE_ON = "\x1b[?2004h";
/** Turns bracketed paste off again. */
export const BRACKETED_PASTE_OFF = "\x1b[?2004l";
const PASTE_END = "\x1b[201~";

const ESC = 0x1b;
const DEL = 0x7f;
const BACKSPACE = 0x08;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Turns raw-mode stdin bytes into {@link Key}s. UTF-8 characters and escape sequences split
 * across reads are reassembled; consecutive printable characters come out as one `text` key;
 * unknown sequences are dropped, never thrown on.
 *
 * A lone ESC at the end of a chunk may be the start of a sequence, so it is kept pending: the
 * driver calls {@link KeyDecoder.flush} after a short pause to emit it as an Escape key.
 *
 * Between the bracketed-paste markers (`ESC [200~` and `ESC [201~`) everything is text: it
 * comes out as `paste` keys, line breaks and tabs kept, other controls dropped, as much as each
 * chunk holds (a long paste may come out as several keys, which insert the same as one).
 *
 * @example
 * ```ts
 * const decoder = new KeyDecoder();
 * decoder.push(new TextEncoder().encode("hi\x1b[A")); // [{kind:"text",text:"hi"},{kind:"up"}]
 * ```
 */
export class KeyDecoder {
  #utf8 = new TextDecoder();
  #pending = "";
  #afterCR = false;
  /** Inside a bracketed paste, until its end marker. */
  #pasting = false;

  /** Decodes the next chunk of input, returning the keys it completes. */
  push(bytes: Uint8Array): Key[] {
    const text = this.#pending + this.#utf8.decode(bytes, { stream: true });
    this.#pending = "";
    return this.#parse(text);
  }

  /**
   * Whether an incomplete escape sequence is waiting for more input or a {@link flush}. Inside
   * a paste, a partial end marker waits for the rest of the paste, never for a timeout.
   */
  get pending(): boolean {
    return this.#pending !== "" && !this.#pasting;
  }

  /** Gives up waiting: a pending lone ESC becomes an Escape key, a partial sequence is dropped. */
  flush(): Key[] {
    if (this.#pasting) return [];
    const pending = this.#pending;
    this.#pending = "";
    this.#afterCR = false;
    return pending === "\x1b" ? [{ kind: "escape" }] : [];
  }

  #parse(s: string): Key[] {
    const keys: Key[] = [];
    let i = 0;
    while (i < s.length) i = this.#pasting ? this.#paste(s, i, keys) : this.#keys(s, i, keys);
    return keys;
  }

  /** Reads pasted text from `i` up to the end marker or the end of `s`; returns where it stopped. */
  #paste(s: string, i: number, keys: Key[]): number {
    const end = s.indexOf(PASTE_END, i);
    let stop = end === -1 ? s.length : end;
    if (end === -1) {
      // Keep a possible start of the end marker for the next chunk.
      const tail = partialSuffix(s.slice(Math.max(i, s.length - PASTE_END.length)), PASTE_END);
      stop -= tail.length;
      this.#pending = s.slice(stop);
    }
    const text = s.slice(i, stop).replace(PASTE_DROPPED, "");
    if (text !== "") keys.push({ kind: "paste", text });
    if (end === -1) return s.length;
    this.#pasting = false;
    return end + PASTE_END.length;
  }

  /** Reads keys from `i` to the end of `s`, or to just past a paste's start marker. */
  #keys(s: string, i: number, keys: Key[]): number {
    let run = "";
    const emit = (key: Key) => {
      if (run !== "") keys.push({ kind: "text", text: run });
      run = "";
      keys.push(key);
    };
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === ESC) {
        const parsed = parseEscape(s, i);
        if (parsed === null) {
          if (s.length - i <= MAX_SEQUENCE_CHARS) this.#pending = s.slice(i);
          i = s.length;
          break;
        }
        this.#afterCR = false;
        i = parsed.end;
        if (parsed.paste) {
          this.#pasting = true;
          break;
        }
        if (parsed.key !== undefined) emit(parsed.key);
        continue;
      }
      const skipLF = c === LF && this.#afterCR;
      this.#afterCR = c === CR;
      const key = skipLF ? undefined : controlKey(c);
      if (key !== undefined) emit(key);
      else if (isPrintable(c)) run += s[i];
      i++;
    }
    if (run !== "") keys.push({ kind: "text", text: run });
    return i;
  }
}

/** Controls a paste loses: all but tab, line feed and carriage return. */
// deno-lint-ignore no-control-regex
const PASTE_DROPPED = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;

/** The longest suffix of `s` that is a proper prefix of `marker`. */
function partialSuffix(s: string, marker: string): string {
  for (let n = Math.min(s.length, marker.length - 1); n > 0; n--) {
    if (marker.startsWith(s.slice(s.length - n))) return s.slice(s.length - n);
  }
  return "";
}

/** Maps a single control character to its key, or `undefined` when it is text or ignored. */
function controlKey(c: number): Key | undefined {
  if (c === CR || c === LF) return { kind: "enter" };
  if (c === DEL || c === BACKSPACE) return { kind: "backspace" };
  if (c === TAB) return { kind: "tab" };
  if (c >= 0x01 && c <= 0x1a) return { kind: "ctrl", letter: String.fromCharCode(c + 0x60) };
  return undefined;
}

/** Printable: not a C0 or C1 control character (surrogate halves pass, they form pairs). */
function isPrintable(c: number): boolean {
  return c >= 0x20 && c !== DEL && !(c >= 0x80 && c < 0xa0);
}

interface Parsed {
  /** The key the sequence stands for; absent for sequences that are ignored. */
  key?: Key;
  /** The sequence starts a bracketed paste. */
  paste?: boolean;
  /** Index just past the sequence. */
  end: number;
}

/** Parses the escape sequence at `i`; `null` means it is incomplete. */
function parseEscape(s: string, i: number): Parsed | null {
  const next = s[i + 1];
  if (next === undefined) return null;
  if (next === "[") return parseCsi(s, i + 2);
  if (next === "O") {
    const final = s[i + 2];
    if (final === undefined) return null;
    return withKey(SS3_KEYS[final], i + 3);
  }
  if (next === "\x1b") return { key: { kind: "escape" }, end: i + 1 };
  return withKey(ALT_KEYS[next], i + 2);
}

/** Parses a CSI sequence whose parameters start at `j` (just past `ESC [`). */
function parseCsi(s: string, j: number): Parsed | null {
  if (s[j] === "[") {
    // Linux console function keys: ESC [ [ A..E. Recognised only to be skipped whole.
    return j + 1 < s.length ? { end: j + 2 } : null;
  }
  const start = j;
  while (j < s.length && inRange(s.charCodeAt(j), 0x30, 0x3f)) j++;
  const params = s.slice(start, j);
  while (j < s.length && inRange(s.charCodeAt(j), 0x20, 0x2f)) j++;
  if (j >= s.length) return null;
  const final = s.charCodeAt(j);
  // A byte that cannot end a sequence means it was cut short: drop what came before it.
  if (!inRange(final, 0x40, 0x7e)) return { end: j };
  if (params === "200" && s[j] === "~") return { paste: true, end: j + 1 };
  return withKey(csiKey(params, s[j] ?? ""), j + 1);
}

/** Maps CSI parameters and final byte to a key. */
function csiKey(params: string, final: string): Key | undefined {
  const [first = "", modifier = ""] = params.split(";");
  if (final === "~") return TILDE_KEYS[first];
  const key = CSI_KEYS[final];
  // Ctrl (5) or Alt (3) with Left/Right moves by word, as in most shells.
  const wordMove = modifier === "5" || modifier === "3";
  if (wordMove && key?.kind === "left") return { kind: "word-left" };
  if (wordMove && key?.kind === "right") return { kind: "word-right" };
  return key;
}

function withKey(key: Key | undefined, end: number): Parsed {
  return key === undefined ? { end } : { key, end };
}

function inRange(c: number, lo: number, hi: number): boolean {
  return c >= lo && c <= hi;
}

type KeyTable = Readonly<Record<string, Key>>;

const CSI_KEYS: KeyTable = {
  A: { kind: "up" },
  B: { kind: "down" },
  C: { kind: "right" },
  D: { kind: "left" },
  H: { kind: "home" },
  F: { kind: "end" },
};

const SS3_KEYS: KeyTable = CSI_KEYS;

const TILDE_KEYS: KeyTable = {
  "1": { kind: "home" },
  "7": { kind: "home" },
  "4": { kind: "end" },
  "8": { kind: "end" },
  "3": { kind: "delete" },
};

const ALT_KEYS: KeyTable = {
  b: { kind: "word-left" },
  f: { kind: "word-right" },
  d: { kind: "word-delete" },
  "\x7f": { kind: "word-backspace" },
  "\b": { kind: "word-backspace" },
  ...Object.fromEntries(
    Array.from({ length: 9 }, (_, i) => [`${i + 1}`, { kind: "alt-digit", digit: i + 1 }]),
  ),
};
