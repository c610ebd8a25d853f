/**
 * The input line as a pure state machine: `onKey(state, key)` returns the next state and what
 * the driver should do, never touching the terminal and never mutating its input.
 *
 * @module
 */

import type { Completion } from "./completion.ts";
import type { Key } from "./keys.ts";

/** The most lines kept in history; older ones are forgotten first. */
export const MAX_HISTORY = 500;

/** Everything the input line knows. Cursor and history index count code points and entries. */
export interface EditorState {
  /** The text being typed. */
  readonly buffer: string;
  /** Cursor position in code points, from 0 to the buffer's length in code points. */
  readonly cursor: number;
  /** Submitted lines, oldest first. */
  readonly history: readonly string[];
  /** The history entry shown; `history.length` while editing the draft. */
  readonly historyIndex: number;
  /** What was being typed before walking into history, restored on the way back. */
  readonly draft: string;
}

/** What the driver should do after a key, besides drawing the new state. */
export type EditorAction =
  | { kind: "submit"; line: string }
  | { kind: "eof" }
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
  /** Called on Tab with the buffer and cursor (code points); without it Tab does nothing. */
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
 * consecutive duplicates), Ctrl-D on an empty line is end of input, Ctrl-C interrupts, Ctrl-L
 * asks for a redraw, Tab completes through `options.complete`.
 *
 * @example
 * ```ts
 * const { state } = onKey(createEditorState(), { kind: "text", text: "hi" });
 * onKey(state, { kind: "enter" }).action; // { kind: "submit", line: "hi" }
 * ```
 */
export function onKey(state: EditorState, key: Key, options: OnKeyOptions = {}): EditorResult {
  const chars = Array.from(state.buffer);
  if (!Number.isInteger(state.cursor) || state.cursor < 0 || state.cursor > chars.length) {
    throw new RangeError(`Cannot edit: cursor ${state.cursor} is outside the line`);
  }
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
      return onCtrl(state, chars, key.letter);
    default: {
      const edit = EDITS[key.kind]?.(chars, state.cursor, key);
      return { state: edit === undefined ? state : withLine(state, edit) };
    }
  }
}

/** A buffer as code points, and a cursor into it. */
interface Line {
  chars: string[];
  cursor: number;
}

type Edit = (chars: string[], cursor: number, key: Key) => Line;

const EDITS: Partial<Record<Key["kind"], Edit>> = {
  text: (chars, cursor, key) => insert(chars, cursor, key.kind === "text" ? key.text : ""),
  backspace: (chars, cursor) => remove(chars, Math.max(0, cursor - 1), cursor),
  delete: (chars, cursor) => remove(chars, cursor, Math.min(chars.length, cursor + 1), cursor),
  left: (chars, cursor) => ({ chars, cursor: Math.max(0, cursor - 1) }),
  right: (chars, cursor) => ({ chars, cursor: Math.min(chars.length, cursor + 1) }),
  home: (chars) => ({ chars, cursor: 0 }),
  end: (chars) => ({ chars, cursor: chars.length }),
  "word-left": (chars, cursor) => ({ chars, cursor: wordStart(chars, cursor) }),
  "word-right": (chars, cursor) => ({ chars, cursor: wordEnd(chars, cursor) }),
  "word-backspace": (chars, cursor) => remove(chars, wordStart(chars, cursor), cursor),
  "word-delete": (chars, cursor) => remove(chars, cursor, wordEnd(chars, cursor), cursor),
};

const CTRL_EDITS: Readonly<Record<string, Edit | undefined>> = {
  a: EDITS.home,
  e: EDITS.end,
  b: EDITS.left,
  f: EDITS.right,
  u: (chars, cursor) => remove(chars, 0, cursor),
  k: (chars, cursor) => remove(chars, cursor, chars.length, cursor),
  w: EDITS["word-backspace"],
};

function onCtrl(state: EditorState, chars: string[], letter: string): EditorResult {
  switch (letter) {
    case "c":
      return { state, action: { kind: "interrupt" } };
    case "d":
      if (chars.length === 0) return { state, action: { kind: "eof" } };
      return {
        state: withLine(state, remove(chars, state.cursor, state.cursor + 1, state.cursor)),
      };
    case "l":
      return { state, action: { kind: "redraw" } };
    case "p":
      return { state: historyStep(state, -1) };
    case "n":
      return { state: historyStep(state, 1) };
  }
  const edit = Object.hasOwn(CTRL_EDITS, letter) ? CTRL_EDITS[letter] : undefined;
  return { state: edit === undefined ? state : withLine(state, edit(chars, state.cursor, CTRL)) };
}

const CTRL: Key = { kind: "ctrl", letter: "" };

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
  const cursor = Array.from(buffer).length;
  return freeze({ ...state, buffer, cursor, historyIndex: index, draft });
}

function complete(state: EditorState, options: OnKeyOptions): EditorResult {
  if (options.complete === undefined) return { state };
  const result = options.complete(state.buffer, state.cursor);
  const length = Array.from(result.line).length;
  const cursor = Math.min(Math.max(0, Math.trunc(result.cursor)), length);
  const next = freeze({ ...state, buffer: result.line, cursor });
  if (result.candidates.length === 0) return { state: next };
  return { state: next, action: { kind: "candidates", items: [...result.candidates] } };
}

function withLine(state: EditorState, line: Line): EditorState {
  const buffer = line.chars.join("");
  if (buffer === state.buffer && line.cursor === state.cursor) return state;
  return freeze({ ...state, buffer, cursor: line.cursor });
}

function insert(chars: string[], cursor: number, text: string): Line {
  // The decoder never yields line breaks in text, but a caller's key might: keep one line.
  const inserted = Array.from(text.replace(/[\r\n]+/g, " "));
  const next = [...chars.slice(0, cursor), ...inserted, ...chars.slice(cursor)];
  return { chars: next, cursor: cursor + inserted.length };
}

/** Removes `[from, to)` and puts the cursor at `cursorAfter` (default `from`). */
function remove(chars: string[], from: number, to: number, cursorAfter = from): Line {
  if (to <= from) return { chars, cursor: cursorAfter };
  return { chars: [...chars.slice(0, from), ...chars.slice(to)], cursor: cursorAfter };
}

/** The start of the word before the cursor: skip spaces backwards, then the word. */
function wordStart(chars: string[], cursor: number): number {
  let i = cursor;
  while (i > 0 && isSpace(chars[i - 1])) i--;
  while (i > 0 && !isSpace(chars[i - 1])) i--;
  return i;
}

/** The end of the word after the cursor: skip spaces forwards, then the word. */
function wordEnd(chars: string[], cursor: number): number {
  let i = cursor;
  while (i < chars.length && isSpace(chars[i])) i++;
  while (i < chars.length && !isSpace(chars[i])) i++;
  return i;
}

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/** Freezes the state object itself; a caller's history array is left as it was given. */
function freeze(state: EditorState): EditorState {
  return Object.freeze(state);
}
