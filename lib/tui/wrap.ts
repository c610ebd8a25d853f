/**
 * Wrapping printed lines to the terminal's width, by grapheme cluster and preferably between
 * words, with every row after the first indented: no row of a message can start at the left
 * edge, so no text can pass for a line of its own.
 *
 * @module
 */

import { graphemes } from "../text/graphemes.ts";
import { graphemeWidth } from "./grapheme_width.ts";
import { escapeEnd } from "./style.ts";

/** How rows after the first start. */
export interface WrapOptions {
  /** Columns available per row (at least 1). */
  width: number;
  /** Starts every row after the first (plain text, no escape codes). Default two spaces. */
  indent?: string;
  /**
   * Follows the indent on a row that a line break in the text started, so such a row reads as
   * part of the message above it. Rows that only wrap get as many spaces. Default `"↳ "`.
   */
  breakMark?: string;
}

/** Continuation rows are never narrower than this: a wider indent is cut down to fit. */
export const MIN_WRAP_COLUMNS = 10;

interface Token {
  text: string;
  /** Columns; 0 for escape sequences. */
  width: number;
  kind: "escape" | "cluster" | "break";
}

/**
 * Cuts `line` (which may hold colour codes and `\n`) into rows of at most `options.width`
 * columns. A row breaks after the last space that fits, or between two clusters when a word is
 * wider than a row; a `\n` always starts a new row. Colours go on across rows: a row that ends
 * styled gets a reset, and the next one replays the codes after its indent.
 *
 * @example
 * ```ts
 * import { wrapLine } from "./wrap.ts";
 * wrapLine("[12:00:00] <bob> one\ntwo", { width: 40, indent: "    " });
 * // ["[12:00:00] <bob> one", "    ↳ two"]
 * ```
 */
export function wrapLine(line: string, options: WrapOptions): string[] {
  const width = Math.floor(options.width);
  if (!Number.isFinite(width) || width < 1) {
    throw new RangeError(`Cannot wrap: width must be at least 1, got ${options.width}`);
  }
  const mark = options.breakMark ?? "↳ ";
  let indent = options.indent ?? "  ";
  const markWidth = widthOf(mark);
  if (width - widthOf(indent) - markWidth < Math.min(MIN_WRAP_COLUMNS, width)) indent = "";
  const room = Math.max(1, width - widthOf(indent) - markWidth);
  const rows = new Rows(indent, mark);
  let row: Token[] = [];
  let used = 0;
  let lastSpace = -1;
  for (const token of tokenize(line)) {
    if (token.kind === "break") {
      rows.push(row, "break");
      [row, used, lastSpace] = [[], 0, -1];
      continue;
    }
    const limit = rows.count === 0 ? width : room;
    if (token.kind === "cluster" && used > 0 && used + token.width > limit) {
      // Carry the last word over unless it would not fit the next row either.
      const word = lastSpace > 0 ? sumWidth(row.slice(lastSpace)) : Infinity;
      const carry = word + token.width <= room ? row.splice(lastSpace) : [];
      rows.push(row, "wrap");
      [row, used, lastSpace] = [carry, sumWidth(carry), -1];
    }
    row.push(token);
    used += token.width;
    if (token.text === " ") lastSpace = row.length;
  }
  rows.push(row, "end");
  return rows.done();
}

/** The rows made so far, and the colour codes a new row must replay. */
class Rows {
  #rows: string[] = [];
  #styles: string[] = [];
  /** How the next row starts: first, after a line break, or after a wrap. */
  #next: "first" | "break" | "wrap" = "first";

  constructor(readonly indent: string, readonly mark: string) {}

  get count(): number {
    return this.#rows.length;
  }

  push(tokens: readonly Token[], then: "break" | "wrap" | "end"): void {
    const lead = this.#next === "first"
      ? ""
      : this.indent + (this.#next === "break" ? this.mark : " ".repeat(widthOf(this.mark)));
    let text = lead + this.#styles.join("");
    for (const token of tokens) {
      text += token.text;
      if (token.kind === "escape" && token.text.endsWith("m")) this.#style(token.text);
    }
    if (then !== "end" && this.#styles.length > 0) text += "\x1b[0m";
    this.#rows.push(text);
    if (then !== "end") this.#next = then;
  }

  done(): string[] {
    return this.#rows;
  }

  #style(code: string): void {
    if (code === "\x1b[0m" || code === "\x1b[m") this.#styles = [];
    else this.#styles.push(code);
  }
}

function* tokenize(line: string): Generator<Token> {
  let i = 0;
  while (i < line.length) {
    if (line[i] === "\x1b") {
      const end = escapeEnd(line, i);
      yield { text: line.slice(i, end), width: 0, kind: "escape" };
      i = end;
    } else if (line[i] === "\n") {
      yield { text: "\n", width: 0, kind: "break" };
      i++;
    } else {
      const run = line.slice(i, nextSpecial(line, i));
      for (const cluster of graphemes(run)) {
        yield { text: cluster, width: graphemeWidth(cluster), kind: "cluster" };
      }
      i += run.length;
    }
  }
}

/** Where the next escape or line break is, or the end. */
function nextSpecial(line: string, from: number): number {
  const esc = line.indexOf("\x1b", from);
  const newline = line.indexOf("\n", from);
  return Math.min(esc === -1 ? line.length : esc, newline === -1 ? line.length : newline);
}

function sumWidth(tokens: readonly Token[]): number {
  return tokens.reduce((sum, t) => sum + t.width, 0);
}

function widthOf(text: string): number {
  return graphemes(text).reduce((sum, c) => sum + graphemeWidth(c), 0);
}
