import assert from "node:assert/strict";
import { EMPTY_SECRET, MAX_SECRET_CHARS, onSecretKey } from "../../lib/tui/secret_prompt.ts";
import type { Key } from "../../lib/tui/keys.ts";
import { Terminal } from "../../lib/tui/terminal.ts";
import { FakeInput, FakeOutput } from "./_fake_terminal.ts";

function type(keys: Key[]) {
  let state = EMPTY_SECRET;
  for (const key of keys) {
    const step = onSecretKey(state, key);
    if (step.end !== undefined) return step.end;
    state = step.state;
  }
  return state;
}

Deno.test("onSecretKey keeps text, pastes without line breaks, Backspace and Ctrl-U", () => {
  assert.deepEqual(
    type([
      { kind: "text", text: "héllo" },
      { kind: "backspace" },
      { kind: "paste", text: " wörld\n" },
      { kind: "tab" },
      { kind: "up" },
      { kind: "enter" },
    ]),
    { kind: "submit", secret: "héll wörld" },
  );
  assert.deepEqual(
    type([{ kind: "text", text: "oops" }, { kind: "ctrl", letter: "u" }, { kind: "enter" }]),
    { kind: "submit", secret: "" },
  );
});

Deno.test("onSecretKey cancels on Ctrl-C, Ctrl-D and Escape, and bounds what it keeps", () => {
  for (const key of [{ kind: "ctrl", letter: "c" }, { kind: "ctrl", letter: "d" }] as Key[]) {
    assert.deepEqual(type([{ kind: "text", text: "pw" }, key]), { kind: "cancel" });
  }
  assert.deepEqual(type([{ kind: "escape" }]), { kind: "cancel" });
  const long = type([{ kind: "paste", text: "x".repeat(MAX_SECRET_CHARS + 10) }]);
  assert.equal("typed" in long && long.typed.length, MAX_SECRET_CHARS);
});

function terminal() {
  const input = new FakeInput();
  const output = new FakeOutput(Infinity, 40);
  const history: string[] = [];
  const term = new Terminal({
    prompt: "> ",
    input,
    output,
    width: () => 40,
    onResize: () => () => {},
    onSubmit: (line) => history.push(line),
  });
  return { term, input, output, history };
}

Deno.test("Terminal readSecret echoes nothing typed and keeps it out of the history", async () => {
  const { term, input, output, history } = terminal();
  const secret = term.readSecret("Password: ");
  input.push("hunter2-secret\r");
  assert.equal(await secret, "hunter2-secret");
  assert.ok(!output.text().includes("hunter2"), "never drawn");
  assert.ok(output.text().includes("Password: "));
  assert.deepEqual(history, [], "not submitted as a line");
  const lines = term.lines();
  const next = lines.next();
  input.push("\x1b[A\r");
  assert.deepEqual(await next, { value: "", done: false }, "Up finds no password in the history");
  term.close();
});

Deno.test("Terminal readSecret while lines() waits takes the keys, then lines() goes on", async () => {
  const { term, input } = terminal();
  const lines = term.lines();
  const first = lines.next();
  await input.idle();
  const secret = term.readSecret("Password: ");
  input.push("pw-1\r");
  assert.equal(await secret, "pw-1");
  input.push("hello\r");
  assert.deepEqual(await first, { value: "hello", done: false });
  term.close();
});

Deno.test("Terminal readSecret resolves null on Ctrl-C, leaving the chat running", async () => {
  const { term, input } = terminal();
  const lines = term.lines();
  const first = lines.next();
  await input.idle();
  const secret = term.readSecret("Password: ");
  input.push("half\x03");
  assert.equal(await secret, null);
  input.push("still here\r");
  assert.deepEqual(await first, { value: "still here", done: false });
  term.close();
});
