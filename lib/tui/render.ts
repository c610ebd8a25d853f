/**
 * Pure screen rendering: strings of ANSI escape codes that redraw the input line and the
 * status area, or print lines above them, computed from state alone.
 *
 * The screen, bottom up: the input line (where the cursor lives), the status area just above
 * it, and everything printed before scrolling away above that.
 *
 * @module
 */

import { clusterFinder } from "../text/graphemes.ts";
import { textWidth } from "./grapheme_width.ts";
import { escapedForm, truncateToWidth, visibleWidth } from "./style.ts";

/** Columns of the input kept for typing even when the prompt is wide; the prompt is cut first. */
export const MIN_EDIT_COLUMNS = 10;

/** Status lines shown at most; the rest are summarised in one line. */
export const MAX_STATUS_LINES = 8;

/** Clears the whole screen and homes the cursor (used on Ctrl-L). */
export const CLEAR_SCREEN = "\x1b[H\x1b[2J";

/** What {@link renderInput} needs of the editor state. */
export interface InputView {
  readonly buffer: string;
  /** Cursor position in UTF-16 code units, at a grapheme cluster boundary. */
  readonly cursor: number;
}

/** Options of {@link renderInput}. */
export interface RenderInputOptions {
  /** Shown before the buffer; may contain colour codes, which take no columns. */
  prompt: string;
  /** Terminal width in columns (at least 1). */
  width: number;
}

/**
 * Redraws the input line: clears it, writes the prompt and the part of the buffer that fits,
 * and puts the cursor in place. A buffer wider than the terminal scrolls horizontally so the
 * cursor stays visible; the last column is never written, so the terminal never wraps. Each
 * grapheme cluster takes its width (an emoji two columns); a line break from a paste shows as
 * `↵`, and what would hide or reorder text as `?`.
 *
 * @example
 * ```ts
 * renderInput({ buffer: "hello", cursor: 2 }, { prompt: "> ", width: 80 });
 * // "\r\x1b[2K> hello\r\x1b[4C"
 * ```
 */
export function renderInput(state: InputView, options: RenderInputOptions): string {
  const { width } = options;
  if (!Number.isFinite(width) || width < 1) {
    throw new RangeError(`Cannot render input: width must be at least 1, got ${width}`);
  }
  const usable = Math.floor(width) - 1;
  const prompt = fitPrompt(options.prompt, usable);
  const promptWidth = visibleWidth(prompt);
  const { buffer, cursor } = state;
  if (!Number.isInteger(cursor) || cursor < 0 || cursor > buffer.length) {
    throw new RangeError(`Cannot render input: cursor ${cursor} is outside the line`);
  }
  const columns = Math.max(1, usable - promptWidth);
  const { cells, cursorCell } = cellsAround(buffer, cursor, columns);
  const view = scrollWindow(cells, cursorCell, columns);
  const shown = cells.slice(view.start, view.end).map((c) => c.text).join("");
  const column = promptWidth + view.cursorColumn;
  return `\r\x1b[2K${prompt}${shown}\r${column > 0 ? `\x1b[${column}C` : ""}`;
}

/** Options of {@link renderAbove}. */
export interface RenderAboveOptions {
  /** Status lines currently on screen, to be erased. Default: as many as `status` has. */
  erase?: number;
}

/**
 * Prints `lines` above the status area and input line: erases the status lines on screen and
 * the input line, writes the lines, then draws `status` and `input` (a {@link renderInput}
 * result) below them, leaving the cursor on the input line. Pass `status` through
 * {@link fitStatus} first so none of it wraps, and remember its length: it is the next `erase`.
 *
 * @example
 * ```ts
 * const input = renderInput({ buffer: "hel", cursor: 3 }, { prompt: "> ", width: 80 });
 * renderAbove(["bob: hi"], [], input, { erase: 0 });
 * ```
 */
export function renderAbove(
  lines: readonly string[],
  status: readonly string[],
  input: string,
  options: RenderAboveOptions = {},
): string {
  const erase = options.erase ?? status.length;
  if (!Number.isInteger(erase) || erase < 0) {
    throw new RangeError(`Cannot render: erase must be a non-negative integer, got ${erase}`);
  }
  let out = clearArea(erase);
  for (const line of lines) {
    for (const part of line.split("\n")) out += `${part}\r\n`;
  }
  for (const line of status) out += `${line}\r\n`;
  return out + input;
}

/**
 * Erases the input line and the `statusLines` above it, leaving the cursor at the start of
 * the topmost erased line.
 */
export function clearArea(statusLines: number): string {
  return `\r${statusLines > 0 ? `\x1b[${statusLines}A` : ""}\x1b[J`;
}

/** Options of {@link fitStatus}. */
export interface FitStatusOptions {
  /** Terminal width; lines are cut to `width - 1` columns. Default: no cutting. */
  width?: number;
  /** Lines kept at most. Default {@link MAX_STATUS_LINES}. */
  maxLines?: number;
}

/**
 * Makes status lines safe to erase later: splits embedded line breaks, cuts each line short of
 * the terminal width so it never wraps (ending it in {@linkcode CUT_MARK}), and keeps at most
 * `maxLines`, the last one saying how many more there are.
 */
export function fitStatus(status: readonly string[], options: FitStatusOptions = {}): string[] {
  const maxLines = Math.max(1, options.maxLines ?? MAX_STATUS_LINES);
  let lines = status.flatMap((line) => line.split("\n"));
  if (lines.length > maxLines) {
    const hidden = lines.length - (maxLines - 1);
    lines = [...lines.slice(0, maxLines - 1), `... and ${hidden} more`];
  }
  const { width } = options;
  if (width === undefined) return lines;
  const room = Math.max(0, Math.floor(width) - 1);
  // A line cut short ends in a mark, so that what it hides is not taken for all there is.
  return lines.map((line) =>
    visibleWidth(line) <= room ? line : truncateToWidth(line, Math.max(0, room - 1)) + CUT_MARK
  );
}

/** One grapheme cluster of the buffer as shown, and the columns it takes. */
interface Cell {
  text: string;
  width: number;
}

/** Ends a status line cut short of the terminal's width. */
export const CUT_MARK = "…";

/** Shown in place of a line break that a paste put in the buffer. */
export const LINE_BREAK_MARK = "↵";

/**
 * The cells that can show in `columns` around the cursor: back from it until `columns` are
 * filled (or the start), and as far on. Only those are measured, so a long pasted line costs no
 * more per key than a short one.
 */
function cellsAround(
  buffer: string,
  cursor: number,
  columns: number,
): { cells: Cell[]; cursorCell: number } {
  const find = clusterFinder(buffer);
  const before: Cell[] = [];
  let used = 0;
  for (let at = cursor; at > 0 && used <= columns;) {
    const { start, end } = find(at - 1);
    const cell = toCell(buffer, start, end);
    before.push(cell);
    used += cell.width;
    at = start;
  }
  const cells = before.reverse();
  const cursorCell = cells.length;
  used = 0;
  for (let at = cursor; at < buffer.length && used <= columns;) {
    const { end } = find(at);
    const cell = toCell(buffer, at, end);
    cells.push(cell);
    used += cell.width;
    at = end;
  }
  return { cells, cursorCell };
}

/** The cluster `[start, end)` of `buffer` as shown. */
function toCell(buffer: string, start: number, end: number): Cell {
  // escapedForm looks at each code point's neighbours: the cluster's, and one on either side.
  const before = start > 0 ? codePointBefore(buffer, start) : undefined;
  const after = end < buffer.length ? buffer.codePointAt(end) : undefined;
  const inner = Array.from(buffer.slice(start, end), (ch) => ch.codePointAt(0)!);
  const points = [
    ...(before === undefined ? [] : [before]),
    ...inner,
    ...(after === undefined ? [] : [after]),
  ];
  const first = before === undefined ? 0 : 1;
  let shown = "";
  for (let i = first; i < first + inner.length; i++) {
    const cp = points[i]!;
    shown += cp === 0x0a
      ? LINE_BREAK_MARK
      : escapedForm(points, i) === null
      ? String.fromCodePoint(cp)
      : "?";
  }
  return { text: shown, width: textWidth(shown) };
}

function codePointBefore(text: string, index: number): number {
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(index - 2)!;
  }
  return low;
}

/** Cuts a prompt too wide to leave {@link MIN_EDIT_COLUMNS} for typing. */
function fitPrompt(prompt: string, usable: number): string {
  const room = usable - Math.min(MIN_EDIT_COLUMNS, usable);
  return visibleWidth(prompt) > room ? truncateToWidth(prompt, room) : prompt;
}

interface Window {
  start: number;
  end: number;
  cursorColumn: number;
}

/**
 * The cells shown in `columns`: start at the beginning when the cursor fits there, otherwise
 * as far left as keeps the cursor's cell (or the end-of-line position) in view.
 */
function scrollWindow(cells: readonly Cell[], cursor: number, columns: number): Window {
  let used = Math.max(1, cells[cursor]?.width ?? 1);
  let start = cursor;
  while (start > 0) {
    const w = cells[start - 1]?.width ?? 0;
    if (used + w > columns) break;
    used += w;
    start--;
  }
  let cursorColumn = 0;
  for (let i = start; i < cursor; i++) cursorColumn += cells[i]?.width ?? 0;
  let end = start;
  let filled = 0;
  while (end < cells.length && filled + (cells[end]?.width ?? 0) <= columns) {
    filled += cells[end]?.width ?? 0;
    end++;
  }
  return { start, end, cursorColumn };
}
