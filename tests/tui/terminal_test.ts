import assert from "node:assert/strict";
import type { Completion } from "../../lib/tui/completion.ts";
import { CLEAR_SCREEN } from "../../lib/tui/render.ts";
import { Terminal } from "../../lib/tui/terminal.ts";
import { FakeInput, FakeOutput } from "./_fake_terminal.ts";

const WIDTH = 40;

interface SetupOptions {
  maxWrite?: number;
  complete?: (line: string, cursor: number) => Completion;
  escapeTimeoutMs?: number;
}

function setup(options: SetupOptions = {}) {
  const input = new FakeInput();
  const output = new FakeOutput(options.maxWrite, WIDTH);
  const resize: { listener?: () => void; unsubscribed: number } = { unsubscribed: 0 };
  const term = new Terminal({
    prompt: "> ",
    input,
    output,
    width: () => WIDTH,
    onResize: (listener) => {
      resize.listener = listener;
      return () => resize.unsubscribed++;
    },
    ...(options.complete === undefined ? {} : { complete: options.complete }),
    ...(options.escapeTimeoutMs === undefined ? {} : { escapeTimeoutMs: options.escapeTimeoutMs }),
  });
  return { term, input, output, resize, lines: term.lines() };
}

Deno.test("Terminal yields submitted lines and ends on Ctrl-D, restoring raw mode", async () => {
  const { input, lines } = setup();
  const first = lines.next();
  input.push("hello\r");
  assert.deepEqual(await first, { value: "hello", done: false });
  input.push("second line\r\x04");
  assert.deepEqual(await lines.next(), { value: "second line", done: false });
  assert.deepEqual(await lines.next(), { value: undefined, done: true });
  assert.deepEqual(input.raw, [true, false]);
  assert.equal(input.cancelled, 1);
});

Deno.test("Terminal yields every line of a pasted run in order", async () => {
  const { input, lines } = setup();
  const first = lines.next();
  input.push("one\r\ntwo\r\nthree\r\n");
  assert.equal((await first).value, "one");
  assert.equal((await lines.next()).value, "two");
  assert.equal((await lines.next()).value, "three");
  await lines.return?.();
});

Deno.test("Terminal clears a line on Ctrl-C and ends lines() on two on an empty line", async () => {
  const { input, output, lines } = setup();
  const first = lines.next();
  input.push("half typed\x03");
  await input.idle();
  assert.deepEqual(output.screen().lines(), [">"]);
  input.push("\x03");
  await input.idle();
  assert.deepEqual(output.screen().lines(), ["(Press Ctrl-C again to quit)", ">"]);
  input.push("\x03");
  assert.deepEqual(await first, { value: undefined, done: true });
  assert.deepEqual(input.raw, [true, false]);
});

Deno.test("Terminal ends lines() at the end of input", async () => {
  const { input, lines } = setup();
  const first = lines.next();
  input.end();
  assert.equal((await first).done, true);
});

Deno.test("Terminal ends a pending lines() on close and is safe to close twice", async () => {
  const { term, input, output, lines } = setup();
  const first = lines.next();
  input.push("abc");
  await input.idle();
  term.setStatus(["transfer 1", "transfer 2"]);
  term.close();
  assert.equal((await first).done, true);
  term.close();
  assert.deepEqual(input.raw, [true, false]);
  assert.equal(input.cancelled, 1);
  assert.deepEqual(output.screen().lines(), [], "status and input line are cleared");
});

Deno.test("Terminal prints above the input line without disturbing what is typed", async () => {
  const { term, input, output, lines } = setup();
  const pending = lines.next();
  input.push("hello wor\x1b[D\x1b[D");
  await input.idle();
  term.print("bob: hi", "carol: hey");
  const screen = output.screen();
  assert.deepEqual(screen.lines(), ["bob: hi", "carol: hey", "> hello wor"]);
  assert.equal(screen.row, 2);
  assert.equal(screen.col, 9, "cursor still two left of the end");
  input.push("X\r");
  assert.equal((await pending).value, "hello wXor");
  await lines.return?.();
});

Deno.test("Terminal keeps the status area between printed lines and the input", async () => {
  const { term, input, output, lines } = setup();
  const pending = lines.next();
  await input.idle();
  term.setStatus(["[1] a.bin 10%", "[2] b.bin 50%"]);
  term.print("first");
  term.setStatus(["[2] b.bin 60%"]);
  term.print("second");
  input.push("typing");
  await input.idle();
  assert.deepEqual(output.screen().lines(), ["first", "second", "[2] b.bin 60%", "> typing"]);
  term.setStatus([]);
  assert.deepEqual(output.screen().lines(), ["first", "second", "> typing"]);
  term.close();
  await pending;
});

Deno.test("Terminal cuts status lines to the width so they can be erased", async () => {
  const { term, input, output, lines } = setup();
  const pending = lines.next();
  await input.idle();
  term.setStatus(["x".repeat(100)]);
  term.print("after");
  assert.deepEqual(output.screen().lines(), ["after", "x".repeat(WIDTH - 2) + "…", ">"]);
  term.close();
  await pending;
});

Deno.test("Terminal walks history with arrow sequences split across reads", async () => {
  const { input, lines } = setup();
  const first = lines.next();
  input.push("/users\r");
  assert.equal((await first).value, "/users");
  const second = lines.next();
  input.push("\x1b");
  input.push("[A");
  input.push("\r");
  assert.equal((await second).value, "/users");
  await lines.return?.();
});

Deno.test("Terminal takes a lone ESC as Escape once the escape timeout passes", async () => {
  const { input, lines } = setup({ escapeTimeoutMs: 0 });
  const pending = lines.next();
  input.push("ab\x1b");
  await input.idle();
  // Timers fire in order of expiry: this one runs after the terminal's zero-delay timeout.
  await new Promise((resolve) => setTimeout(resolve, 1));
  input.push("[A\r");
  assert.equal((await pending).value, "ab[A");
  await lines.return?.();
});

Deno.test("Terminal completes on Tab and prints several candidates above the input", async () => {
  const complete = (line: string): Completion =>
    line === "/ms"
      ? { line: "/msg ", cursor: 5, candidates: [] }
      : { line: "/msg al", cursor: 7, candidates: ["alan", "alice"] };
  const { input, output, lines } = setup({ complete });
  const pending = lines.next();
  input.push("/ms\t");
  await input.idle();
  assert.deepEqual(output.screen().lines(), ["> /msg"]);
  input.push("a\t");
  await input.idle();
  const screen = output.screen();
  assert.deepEqual(screen.lines(), ["alan  alice", "> /msg al"]);
  assert.equal(screen.col, 9);
  input.push("ice\r");
  assert.equal((await pending).value, "/msg alice");
  await lines.return?.();
});

Deno.test("Terminal redraws on Ctrl-L and on resize, and unsubscribes on close", async () => {
  const { term, input, output, resize, lines } = setup();
  const pending = lines.next();
  input.push("draft");
  await input.idle();
  term.setStatus(["status"]);
  input.push("\x0c");
  await input.idle();
  assert.ok(output.text().includes(CLEAR_SCREEN));
  assert.deepEqual(output.screen().lines(), ["status", "> draft"]);
  const before = output.text().length;
  resize.listener?.();
  assert.ok(output.text().length > before, "resize redraws");
  assert.deepEqual(output.screen().lines(), ["status", "> draft"]);
  term.close();
  await pending;
  assert.equal(resize.unsubscribed, 1);
});

Deno.test("Terminal changes the prompt in place", async () => {
  const { term, input, output, lines } = setup();
  const pending = lines.next();
  input.push("hi");
  await input.idle();
  term.setPrompt("bob> ");
  const screen = output.screen();
  assert.deepEqual(screen.lines(), ["bob> hi"]);
  assert.equal(screen.col, 7);
  term.close();
  await pending;
});

Deno.test("Terminal writes everything even when the output takes a few bytes at a time", async () => {
  const { term, input, output, lines } = setup({ maxWrite: 3 });
  const pending = lines.next();
  input.push("héllo 日本");
  await input.idle();
  term.print("a line with ünïcödé");
  assert.deepEqual(output.screen().lines(), ["a line with ünïcödé", "> héllo 日本"]);
  assert.ok(output.calls > 10);
  term.close();
  await pending;
});

Deno.test("Terminal prints plain lines before it starts and after it closes", async () => {
  const input = new FakeInput();
  const output = new FakeOutput(Infinity, WIDTH);
  const term = new Terminal({
    prompt: "> ",
    input,
    output,
    width: () => WIDTH,
    onResize: () => () => {},
  });
  term.print("welcome");
  assert.equal(output.text(), "welcome\n");
  assert.deepEqual(input.raw, [], "raw mode waits for lines()");
  const lines = term.lines();
  const pending = lines.next();
  input.push("\x04");
  assert.equal((await pending).done, true);
  const before = output.text().length;
  term.print("bye");
  assert.equal(output.text().slice(before), "bye\n");
});

Deno.test("Terminal turns bracketed paste on while in use and inserts a paste as one line", async () => {
  const { term, input, output, lines } = setup();
  const pending = lines.next();
  await input.idle();
  assert.ok(output.text().startsWith("\x1b[?2004h"));
  input.push("\x1b[200~first line\r\nsecond line\x1b[201~");
  await input.idle();
  assert.deepEqual(output.screen().lines(), ["> first line↵second line"]);
  input.push("\r");
  assert.equal((await pending).value, "first line\nsecond line");
  term.close();
  assert.ok(output.text().endsWith("\x1b[?2004l"));
});

Deno.test("Terminal indents every row of a printed line after its first", async () => {
  const { term, input, output, lines } = setup();
  const pending = lines.next();
  await input.idle();
  term.print("<mallory> hi\n<alice> fake", "x".repeat(50));
  assert.deepEqual(output.screen().lines(), [
    "<mallory> hi",
    "  ↳ <alice> fake",
    "x".repeat(WIDTH - 1),
    "    " + "x".repeat(50 - WIDTH + 1),
    ">",
  ]);
  term.close();
  await pending;
});

Deno.test("Terminal rings the bell and clears the screen when asked", async () => {
  const { term, input, output, lines } = setup();
  const pending = lines.next();
  await input.idle();
  term.print("old line");
  term.bell();
  term.clear();
  const screen = output.screen();
  assert.equal(screen.bells, 1);
  assert.deepEqual(screen.lines(), [">"]);
  term.close();
  await pending;
});
