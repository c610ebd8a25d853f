/**
 * A small virtual terminal for tests: it interprets the escape codes the terminal UI emits
 * (cursor moves, line and screen erases, colours) so tests can assert what a user would see.
 *
 * @module
 */

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
      const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
      i += ch.length;
      if (ch === "\r") this.col = 0;
      else if (ch === "\n") this.#moveTo(this.row + 1, this.col);
      else this.#put(ch);
    }
  }

  /** The screen's rows, trailing blanks trimmed, empty rows at the bottom dropped. */
  lines(): string[] {
    const lines = this.#rows.map((cells) => cells.join("").trimEnd());
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines;
  }

  #put(ch: string): void {
    if (this.col >= this.width) this.#moveTo(this.row + 1, 0);
    const cells = this.#line(this.row);
    while (cells.length < this.col) cells.push(" ");
    cells[this.col] = ch;
    this.col++;
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
