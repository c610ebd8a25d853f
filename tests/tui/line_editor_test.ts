import assert from "node:assert/strict";
import type { Completion } from "../../lib/tui/completion.ts";
import type { Key } from "../../lib/tui/keys.ts";
import {
  createEditorState,
  type EditorAction,
  type EditorState,
  MAX_HISTORY,
  onKey,
  type OnKeyOptions,
} from "../../lib/tui/line_editor.ts";

const text = (t: string): Key => ({ kind: "text", text: t });
const ctrl = (letter: string): Key => ({ kind: "ctrl", letter });
const key = (kind: Exclude<Key["kind"], "text" | "ctrl">): Key => ({ kind } as Key);

/** Applies keys in order, returning the final state and every action raised. */
function run(state: EditorState, keys: Key[], options: OnKeyOptions = {}) {
  const actions: EditorAction[] = [];
  for (const k of keys) {
    const result = onKey(state, k, options);
    state = result.state;
    if (result.action !== undefined) actions.push(result.action);
  }
  return { state, actions };
}

function typed(buffer: string, cursor = buffer.length): EditorState {
  return { ...createEditorState(), buffer, cursor };
}

Deno.test("onKey inserts text at the cursor and moves the cursor past it", () => {
  const { state } = run(typed("hd", 1), [text("ello worl")]);
  assert.equal(state.buffer, "hello world");
  assert.equal(state.cursor, 10);
});

Deno.test("onKey submits the line on Enter, records it in history and clears the input", () => {
  const { state, actions } = run(createEditorState(), [text("hi all"), key("enter")]);
  assert.deepEqual(actions, [{ kind: "submit", line: "hi all" }]);
  assert.equal(state.buffer, "");
  assert.equal(state.cursor, 0);
  assert.deepEqual(state.history, ["hi all"]);
  assert.equal(state.historyIndex, 1);
});

Deno.test("onKey keeps blank lines and consecutive duplicates out of history", () => {
  const keys = [text("a"), key("enter"), text("a"), key("enter"), text("  "), key("enter")];
  const { state, actions } = run(createEditorState(), [
    ...keys,
    key("enter"),
    text("b"),
    key("enter"),
  ]);
  assert.deepEqual(state.history, ["a", "b"]);
  assert.equal(actions.length, 5);
  assert.deepEqual(actions[2], { kind: "submit", line: "  " });
});

Deno.test("onKey bounds history to MAX_HISTORY, forgetting the oldest lines", () => {
  const old = Array.from({ length: MAX_HISTORY + 20 }, (_, i) => `line ${i}`);
  let state = createEditorState({ history: old });
  assert.equal(state.history.length, MAX_HISTORY);
  state = run(state, [text("newest"), key("enter")]).state;
  assert.equal(state.history.length, MAX_HISTORY);
  assert.equal(state.history[0], "line 21");
  assert.equal(state.history[MAX_HISTORY - 1], "newest");
});

Deno.test("onKey walks history with Up and Down and restores the draft", () => {
  const start = {
    ...createEditorState({ history: ["first", "second"] }),
    buffer: "dra",
    cursor: 3,
  };
  const up1 = run(start, [key("up")]).state;
  assert.equal(up1.buffer, "second");
  assert.equal(up1.cursor, 6);
  const up2 = run(up1, [key("up")]).state;
  assert.equal(up2.buffer, "first");
  assert.equal(run(up2, [key("up")]).state.buffer, "first", "stops at the oldest line");
  const down1 = run(up2, [key("down")]).state;
  assert.equal(down1.buffer, "second");
  const down2 = run(down1, [key("down")]).state;
  assert.equal(down2.buffer, "dra");
  assert.equal(down2.cursor, 3);
  assert.equal(run(down2, [key("down")]).state.buffer, "dra", "stops at the draft");
});

Deno.test("onKey walks history with Ctrl-P and Ctrl-N too", () => {
  const start = createEditorState({ history: ["x", "y"] });
  assert.equal(run(start, [ctrl("p"), ctrl("p")]).state.buffer, "x");
  assert.equal(run(start, [ctrl("p"), ctrl("p"), ctrl("n")]).state.buffer, "y");
});

Deno.test("onKey does nothing on Up with empty history", () => {
  const start = typed("abc");
  assert.equal(onKey(start, key("up")).state, start);
});

Deno.test("onKey reports eof for Ctrl-D on an empty line and deletes under the cursor otherwise", () => {
  assert.deepEqual(onKey(createEditorState(), ctrl("d")).action, { kind: "eof" });
  const result = onKey(typed("abc", 1), ctrl("d"));
  assert.equal(result.action, undefined);
  assert.equal(result.state.buffer, "ac");
  assert.equal(result.state.cursor, 1);
});

Deno.test("onKey clears a line on Ctrl-C, asks once on an empty line, then interrupts", () => {
  const cleared = onKey(typed("half typed"), ctrl("c"));
  assert.deepEqual(pick(cleared.state), ["", 0]);
  assert.equal(cleared.action, undefined);
  const { actions } = run(cleared.state, [ctrl("c"), ctrl("c")]);
  assert.deepEqual(actions, [{ kind: "confirm-interrupt" }, { kind: "interrupt" }]);
  const changedMind = run(cleared.state, [ctrl("c"), text("x"), ctrl("c"), ctrl("c")]);
  const confirm = { kind: "confirm-interrupt" };
  assert.deepEqual(changedMind.actions, [confirm, confirm], "a key in between asks again");
  assert.deepEqual(onKey(typed("abc"), ctrl("l")).action, { kind: "redraw" });
});

Deno.test("onKey moves the cursor with Left, Right, Home, End, Ctrl-A, Ctrl-E", () => {
  const s = typed("abcd", 2);
  assert.equal(onKey(s, key("left")).state.cursor, 1);
  assert.equal(onKey(s, key("right")).state.cursor, 3);
  assert.equal(onKey(s, key("home")).state.cursor, 0);
  assert.equal(onKey(s, key("end")).state.cursor, 4);
  assert.equal(onKey(s, ctrl("a")).state.cursor, 0);
  assert.equal(onKey(s, ctrl("e")).state.cursor, 4);
  assert.equal(onKey(typed("ab", 0), key("left")).state.cursor, 0);
  assert.equal(onKey(typed("ab", 2), key("right")).state.cursor, 2);
});

Deno.test("onKey deletes with Backspace and Delete at the right places", () => {
  const s = typed("abcd", 2);
  assert.deepEqual(pick(onKey(s, key("backspace")).state), ["acd", 1]);
  assert.deepEqual(pick(onKey(s, key("delete")).state), ["abd", 2]);
  assert.deepEqual(pick(onKey(typed("ab", 0), key("backspace")).state), ["ab", 0]);
  assert.deepEqual(pick(onKey(typed("ab", 2), key("delete")).state), ["ab", 2]);
});

Deno.test("onKey kills to the start with Ctrl-U, to the end with Ctrl-K, a word with Ctrl-W", () => {
  const s = typed("/msg alice hello", 10);
  assert.deepEqual(pick(onKey(s, ctrl("u")).state), [" hello", 0]);
  assert.deepEqual(pick(onKey(s, ctrl("k")).state), ["/msg alice", 10]);
  assert.deepEqual(pick(onKey(s, ctrl("w")).state), ["/msg  hello", 5]);
  assert.deepEqual(pick(onKey(typed("one two  ", 9), ctrl("w")).state), ["one ", 4]);
});

Deno.test("onKey moves and deletes by word with Alt keys", () => {
  const s = typed("one two three", 5);
  assert.equal(onKey(s, key("word-left")).state.cursor, 4);
  assert.equal(onKey(s, key("word-right")).state.cursor, 7);
  assert.deepEqual(pick(onKey(s, key("word-delete")).state), ["one t three", 5]);
  assert.deepEqual(pick(onKey(s, key("word-backspace")).state), ["one wo three", 4]);
});

Deno.test("onKey moves and deletes by grapheme cluster, so emoji and accents edit whole", () => {
  const family = "👨‍👩‍👧";
  const flag = "🇫🇷";
  const accent = "e\u0301";
  const { state } = run(createEditorState(), [text(`a${family}${flag}${accent}z`), key("left")]);
  assert.equal(state.cursor, state.buffer.length - 1);
  const steps = run(state, [key("left"), key("left"), key("left")]);
  assert.equal(steps.state.cursor, 1, "three steps left pass the accent, the flag, the family");
  assert.deepEqual(pick(onKey(steps.state, key("delete")).state), [`a${flag}${accent}z`, 1]);
  const back = run(state, [key("backspace"), key("backspace")]);
  assert.deepEqual(pick(back.state), [`a${family}z`, 1 + family.length]);
  const right = run(typed(`${family}x`, 0), [key("right")]);
  assert.equal(right.state.cursor, family.length);
});

Deno.test("onKey keeps the cursor on a cluster boundary when typing joins clusters", () => {
  const joined = onKey(typed("e"), text("\u0301"));
  assert.deepEqual(pick(joined.state), ["e\u0301", 2]);
  const man = "👨";
  const inside = onKey(typed(`${man}👧`, man.length), text("\u200d👩\u200d"));
  assert.equal(inside.state.buffer, "👨‍👩‍👧");
  assert.equal(inside.state.cursor, inside.state.buffer.length, "past the family, not inside");
});

Deno.test("onKey moves by word over emoji without splitting them", () => {
  const s = typed("say 🇫🇷🇫🇷 now", 4);
  assert.equal(onKey(s, key("word-right")).state.cursor, 4 + 8);
  assert.deepEqual(pick(onKey(typed("say 🇫🇷🇫🇷"), ctrl("w")).state), ["say ", 4]);
});

Deno.test("onKey inserts a paste with its line breaks, and typed text without", () => {
  const pasted = onKey(typed("> "), { kind: "paste", text: "one\r\ntwo\rthree" });
  assert.equal(pasted.state.buffer, "> one\ntwo\nthree");
  assert.equal(pasted.state.cursor, pasted.state.buffer.length);
  assert.equal(onKey(typed(""), text("a\nb")).state.buffer, "a b");
  const sent = onKey(pasted.state, key("enter"));
  assert.deepEqual(sent.action, { kind: "submit", line: "> one\ntwo\nthree" });
});

Deno.test("onKey completes on Tab and turns several matches into a candidates action", () => {
  const complete = (line: string, cursor: number): Completion =>
    line === "/m"
      ? { line: "/msg ", cursor: 5, candidates: [] }
      : { line: `${line}x`, cursor: cursor + 1, candidates: ["ab", "ac"] };
  const unique = onKey(typed("/m"), key("tab"), { complete });
  assert.deepEqual(pick(unique.state), ["/msg ", 5]);
  assert.equal(unique.action, undefined);
  const several = onKey(typed("a"), key("tab"), { complete });
  assert.deepEqual(pick(several.state), ["ax", 2]);
  assert.deepEqual(several.action, { kind: "candidates", items: ["ab", "ac"] });
});

Deno.test("onKey leaves the line alone on Tab without a completer", () => {
  const s = typed("/m");
  assert.equal(onKey(s, key("tab")).state, s);
});

Deno.test("onKey never mutates the state it is given", () => {
  const history = ["one", "two"];
  const start: EditorState = deepFreeze({
    buffer: "hello there",
    cursor: 5,
    history,
    historyIndex: 2,
    draft: "",
  });
  const snapshot = structuredClone(start);
  const keys: Key[] = [
    text("x"),
    key("backspace"),
    key("delete"),
    key("up"),
    key("down"),
    ctrl("u"),
    ctrl("k"),
    ctrl("w"),
    key("word-delete"),
    key("enter"),
    key("tab"),
  ];
  const complete = () => ({ line: "z", cursor: 1, candidates: ["z1", "z2"] });
  for (const k of keys) onKey(start, k, { complete });
  run(start, keys, { complete });
  assert.deepEqual(structuredClone(start), snapshot);
});

Deno.test("onKey rejects a state whose cursor lies outside the line", () => {
  assert.throws(() => onKey(typed("ab", 3), text("x")), RangeError);
  assert.throws(() => onKey(typed("ab", -1), text("x")), RangeError);
});

function pick(state: EditorState): [string, number] {
  return [state.buffer, state.cursor];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
