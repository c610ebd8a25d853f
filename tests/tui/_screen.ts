/**
 * A small virtual terminal for tests: it interprets the escape codes the terminal UI emits
 * (cursor moves, line and screen erases, colours) so tests can assert what a user would see.
 * A grapheme cluster takes the columns `graphemeWidth` gives it: a wide one fills two cells
 * (the second left empty in `lines()`), a zero-width one joins the cell before it.
 *
 * @module
 */

import { graphemes } from "../../lib/text/graphemes.ts";
import { graphemeWidth } from "../../lib/tui/grapheme_width.ts";

/** Marks the second cell of a wide cluster. */
const WIDE_TAIL = "";

/** A grid of cells with a cursor; rows grow downwards without limit (no scrolling region). */
export class Screen {
  readonly width: number;
  #rows: string[][] = [[]];
  row = 0;
  col = 0;

  constructor(width: number) {
    this.width = width;
  }

  /** Interprets `text` as a terminal would. Unknown escape sequences throw, to catch typos. */
  write(text: string): void {
    let i = 0;
    while (i < text.length) {
      if (text[i] === "\x1b") {
        i = this.#escape(text, i);
        continue;
      }
      if (text[i] === "\r") this.col = 0;
      else if (text[i] === "\n") this.#moveTo(this.row + 1, this.col);
      else if (text[i] === "\x07") this.bells++;
      else {
        // deno-lint-ignore no-control-regex
        const end = text.slice(i).search(/[\x1b\r\n\x07]/);
        const run = end === -1 ? text.slice(i) : text.slice(i, i + end);
        for (const cluster of graphemes(run)) this.#put(cluster);
        i += run.length;
        continue;
      }
      i++;
    }
  }

  /** How many times the bell rang. */
  bells = 0;

  /** The screen's rows, trailing blanks trimmed, empty rows at the bottom dropped. */
  lines(): string[] {
    const lines = this.#rows.map((cells) => cells.join("").trimEnd());
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines;
  }

  #put(cluster: string): void {
    const width = graphemeWidth(cluster);
    if (width === 0) {
      const cells = this.#line(this.row);
      if (this.col > 0) cells[this.col - 1] = (cells[this.col - 1] ?? " ") + cluster;
      return;
    }
    if (this.col + width > this.width) this.#moveTo(this.row + 1, 0);
    const cells = this.#line(this.row);
    while (cells.length < this.col) cells.push(" ");
    cells[this.col] = cluster;
    if (width === 2) cells[this.col + 1] = WIDE_TAIL;
    this.col += width;
  }

  #moveTo(row: number, col: number): void {
    this.row = Math.max(0, row);
    this.col = Math.max(0, col);
    this.#line(this.row);
  }

  #line(row: number): string[] {
    while (this.#rows.length <= row) this.#rows.push([]);
    return this.#rows[row] ?? [];
  }

  #escape(text: string, start: number): number {
    if (text[start + 1] !== "[") throw new Error(`Unexpected escape at ${start}`);
    let j = start + 2;
    while (j < text.length && /[0-9;?]/.test(text[j] ?? "")) j++;
    const params = text.slice(start + 2, j);
    const n = Number(params.split(";")[0] || "1");
    const final = text[j];
    switch (final) {
      case "A":
        this.#moveTo(this.row - n, this.col);
        break;
      case "C":
        this.#moveTo(this.row, Math.min(this.width - 1, this.col + n));
        break;
      case "D":
        this.#moveTo(this.row, this.col - n);
        break;
      case "H":
        this.#moveTo(0, 0);
        break;
      case "K":
        this.#eraseLine(params);
        break;
      case "J":
        this.#eraseScreen(params);
        break;
      case "m":
        break;
      case "h":
      case "l":
        if (params !== "?2004") throw new Error(`Unexpected mode ESC [${params}${final}`);
        break;
      default:
        throw new Error(`Unexpected sequence ESC [${params}${final}`);
    }
    return j + 1;
  }

  #eraseLine(params: string): void {
    const cells = this.#line(this.row);
    if (params === "2") cells.length = 0;
    else cells.length = Math.min(cells.length, this.col);
  }

  #eraseScreen(params: string): void {
    if (params === "2") {
      this.#rows = [[]];
      return;
    }
    this.#eraseLine("");
    this.#rows.length = this.row + 1;
  }
}
