/**
 * The input line as a pure state machine: `onKey(state, key)` returns the next state and what
 * the driver should do, never touching the terminal and never mutating its input.
 *
 * The cursor moves and deletes by grapheme cluster (what a reader takes for one character), so
 * Left or Backspace never splits a family emoji, a flag or a letter from its accent.
 *
 * @module
 */

import {
  boundaryAtOrAfter,
  graphemeBoundaries,
  nextBoundary,
  previousBoundary,
} from "../text/graphemes.ts";
import type { Completion } from "./completion.ts";
import type { Key } from "./keys.ts";

/** The most lines kept in history; older ones are forgotten first. */
export const MAX_HISTORY = 1000;

/** Everything the input line knows. */
export interface EditorState {
  /** The text being typed; holds line breaks only where a paste brought them. */
  readonly buffer: string;
  /** Cursor position in UTF-16 code units, always at a grapheme cluster boundary. */
  readonly cursor: number;
  /** Submitted lines, oldest first. */
  readonly history: readonly string[];
  /** The history entry shown; `history.length` while editing the draft. */
  readonly historyIndex: number;
  /** What was being typed before walking into history, restored on the way back. */
  readonly draft: string;
  /** Ctrl-C was just pressed on an empty line: a second one in a row interrupts. */
  readonly interruptArmed?: boolean;
}

/**
 * What the driver should do after a key, besides drawing the new state. `confirm-interrupt`:
 * Ctrl-C on an empty line, the first time; tell the user that another one quits.
 */
export type EditorAction =
  | { kind: "submit"; line: string }
  | { kind: "eof" }
  | { kind: "confirm-interrupt" }
  | { kind: "interrupt" }
  | { kind: "candidates"; items: string[] }
  | { kind: "redraw" };

/** The outcome of one key. */
export interface EditorResult {
  state: EditorState;
  action?: EditorAction;
}

/** Options of {@link onKey}. */
export interface OnKeyOptions {
  /** Called on Tab with the buffer and cursor (UTF-16); without it Tab does nothing. */
  complete?: (line: string, cursor: number) => Completion;
}

/** Options of {@link createEditorState}. */
export interface CreateEditorOptions {
  /** Earlier lines, oldest first; only the last {@link MAX_HISTORY} are kept. Default none. */
  history?: readonly string[];
}

/**
 * Returns an empty input line.
 *
 * @example
 * ```ts
 * const state = createEditorState({ history: ["/users"] });
 * ```
 */
export function createEditorState(options: CreateEditorOptions = {}): EditorState {
  const history = (options.history ?? []).slice(-MAX_HISTORY);
  Object.freeze(history);
  return freeze({ buffer: "", cursor: 0, history, historyIndex: history.length, draft: "" });
}

/**
 * Applies one key to the input line. Enter submits (non-blank lines enter history, without
 * consecutive duplicates), Ctrl-D on an empty line is end of input, Ctrl-C clears a line and
 * on an empty one asks to be pressed again before it interrupts, Ctrl-L asks for a redraw,
 * Tab completes through `options.complete`. A paste keeps its line breaks; typed text never
 * holds any.
 *
 * @example
 * ```ts
 * const { state } = onKey(createEditorState(), { kind: "text", text: "hi" });
 * onKey(state, { kind: "enter" }).action; // { kind: "submit", line: "hi" }
 * ```
 */
export function onKey(state: EditorState, key: Key, options: OnKeyOptions = {}): EditorResult {
  const { buffer, cursor } = state;
  if (!Number.isInteger(cursor) || cursor < 0 || cursor > buffer.length) {
    throw new RangeError(`Cannot edit: cursor ${cursor} is outside the line`);
  }
  if (key.kind === "ctrl" && key.letter === "c") return interrupt(state);
  return dispatch(disarm(state), key, options);
}

function dispatch(state: EditorState, key: Key, options: OnKeyOptions): EditorResult {
  switch (key.kind) {
    case "enter":
      return submit(state);
    case "up":
      return { state: historyStep(state, -1) };
    case "down":
      return { state: historyStep(state, 1) };
    case "tab":
      return complete(state, options);
    case "ctrl":
      return onCtrl(state, key.letter);
    default: {
      const edit = EDITS[key.kind]?.(lineOf(state), key);
      return { state: edit === undefined ? state : withLine(state, edit) };
    }
  }
}

/** A buffer and a cursor into it (UTF-16 code units, at a grapheme boundary). */
interface Line {
  text: string;
  cursor: number;
}

type Edit = (line: Line, key: Key) => Line;

const EDITS: Partial<Record<Key["kind"], Edit>> = {
  text: (line, key) => insert(line, key.kind === "text" ? key.text : "", false),
  paste: (line, key) => insert(line, key.kind === "paste" ? key.text : "", true),
  backspace: (line) => remove(line, previousBoundary(line.text, line.cursor), line.cursor),
  delete: (line) => remove(line, line.cursor, nextBoundary(line.text, line.cursor), line.cursor),
  left: (line) => ({ ...line, cursor: previousBoundary(line.text, line.cursor) }),
  right: (line) => ({ ...line, cursor: nextBoundary(line.text, line.cursor) }),
  home: (line) => ({ ...line, cursor: 0 }),
  end: (line) => ({ ...line, cursor: line.text.length }),
  "word-left": (line) => ({ ...line, cursor: wordStart(line) }),
  "word-right": (line) => ({ ...line, cursor: wordEnd(line) }),
  "word-backspace": (line) => remove(line, wordStart(line), line.cursor),
  "word-delete": (line) => remove(line, line.cursor, wordEnd(line), line.cursor),
};

const CTRL_EDITS: Readonly<Record<string, Edit | undefined>> = {
  a: EDITS.home,
  e: EDITS.end,
  b: EDITS.left,
  f: EDITS.right,
  d: EDITS.delete,
  u: (line) => remove(line, 0, line.cursor),
  k: (line) => remove(line, line.cursor, line.text.length, line.cursor),
  w: EDITS["word-backspace"],
};

function onCtrl(state: EditorState, letter: string): EditorResult {
  switch (letter) {
    case "d":
      if (state.buffer === "") return { state, action: { kind: "eof" } };
      break;
    case "l":
      return { state, action: { kind: "redraw" } };
    case "p":
      return { state: historyStep(state, -1) };
    case "n":
      return { state: historyStep(state, 1) };
  }
  const edit = Object.hasOwn(CTRL_EDITS, letter) ? CTRL_EDITS[letter] : undefined;
  return { state: edit === undefined ? state : withLine(state, edit(lineOf(state), CTRL)) };
}

const CTRL: Key = { kind: "ctrl", letter: "" };

/** Ctrl-C: clears a line that holds something; on an empty one, asks once, then interrupts. */
function interrupt(state: EditorState): EditorResult {
  if (state.buffer !== "") {
    const cleared = { ...disarm(state), buffer: "", cursor: 0 };
    return { state: freeze({ ...cleared, historyIndex: state.history.length, draft: "" }) };
  }
  if (state.interruptArmed) return { state: disarm(state), action: { kind: "interrupt" } };
  return {
    state: freeze({ ...state, interruptArmed: true }),
    action: { kind: "confirm-interrupt" },
  };
}

function disarm(state: EditorState): EditorState {
  if (!state.interruptArmed) return state;
  const { interruptArmed: _, ...rest } = state;
  return freeze(rest);
}

function submit(state: EditorState): EditorResult {
  const line = state.buffer;
  let history = state.history;
  if (line.trim() !== "" && history[history.length - 1] !== line) {
    history = Object.freeze([...history, line].slice(-MAX_HISTORY));
  }
  const next = { buffer: "", cursor: 0, history, historyIndex: history.length, draft: "" };
  return { state: freeze(next), action: { kind: "submit", line } };
}

/** Moves one entry back (-1) or forward (+1) in history, saving and restoring the draft. */
function historyStep(state: EditorState, step: -1 | 1): EditorState {
  const index = state.historyIndex + step;
  if (index < 0 || index > state.history.length) return state;
  const draft = state.historyIndex === state.history.length ? state.buffer : state.draft;
  const buffer = index === state.history.length ? draft : state.history[index] ?? "";
  return freeze({ ...state, buffer, cursor: buffer.length, historyIndex: index, draft });
}

function complete(state: EditorState, options: OnKeyOptions): EditorResult {
  if (options.complete === undefined) return { state };
  const result = options.complete(state.buffer, state.cursor);
  const at = Math.min(Math.max(0, Math.trunc(result.cursor)), result.line.length);
  const next = freeze({
    ...state,
    buffer: result.line,
    cursor: boundaryAtOrAfter(result.line, at),
  });
  if (result.candidates.length === 0) return { state: next };
  return { state: next, action: { kind: "candidates", items: [...result.candidates] } };
}

function lineOf(state: EditorState): Line {
  return { text: state.buffer, cursor: state.cursor };
}

function withLine(state: EditorState, line: Line): EditorState {
  if (line.text === state.buffer && line.cursor === state.cursor) return state;
  return freeze({ ...state, buffer: line.text, cursor: line.cursor });
}

/**
 * Inserts at the cursor. Typed text loses any line break (the key decoder yields none, but a
 * caller's key might); a paste keeps its breaks as `\n`. What is inserted may join the cluster
 * before the cursor (an accent after its letter), so the cursor lands on the next boundary.
 */
function insert(line: Line, text: string, keepBreaks: boolean): Line {
  const inserted = keepBreaks ? text.replace(/\r\n?/g, "\n") : text.replace(/[\r\n]+/g, " ");
  const joined = line.text.slice(0, line.cursor) + inserted + line.text.slice(line.cursor);
  return { text: joined, cursor: boundaryAtOrAfter(joined, line.cursor + inserted.length) };
}

/** Removes `[from, to)` and puts the cursor at `cursorAfter` (default `from`). */
function remove(line: Line, from: number, to: number, cursorAfter = from): Line {
  if (to <= from) return { text: line.text, cursor: cursorAfter };
  return { text: line.text.slice(0, from) + line.text.slice(to), cursor: cursorAfter };
}

/** The start of the word before the cursor: skip spaces backwards, then the word. */
function wordStart(line: Line): number {
  const bounds = graphemeBoundaries(line.text);
  let i = bounds.indexOf(line.cursor);
  if (i < 0) return previousBoundary(line.text, line.cursor);
  while (i > 0 && isSpace(line.text, bounds[i - 1]!)) i--;
  while (i > 0 && !isSpace(line.text, bounds[i - 1]!)) i--;
  return bounds[i]!;
}

/** The end of the word after the cursor: skip spaces forwards, then the word. */
function wordEnd(line: Line): number {
  const bounds = graphemeBoundaries(line.text);
  const last = bounds.length - 1;
  let i = bounds.indexOf(line.cursor);
  if (i < 0) return nextBoundary(line.text, line.cursor);
  while (i < last && isSpace(line.text, bounds[i]!)) i++;
  while (i < last && !isSpace(line.text, bounds[i]!)) i++;
  return bounds[i]!;
}

/** Whether the cluster starting at `index` is white space (a line break counts). */
function isSpace(text: string, index: number): boolean {
  return /\s/.test(text[index] ?? "");
}

/** Freezes the state object itself; a caller's history array is left as it was given. */
function freeze(state: EditorState): EditorState {
  return Object.freeze(state);
}
