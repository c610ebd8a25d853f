import assert from "node:assert/strict";
import { formatEvent, formatFiles } from "../../lib/cli/format.ts";

Deno.test("formatEvent neutralises terminal escape codes in what others send", () => {
  const line = formatEvent(
    { type: "message", from: "eve", text: "hi\x1b[2J\x1b]0;pwned\x07", ts: 0 },
    { color: false },
  )!;
  assert.ok(!line.includes("\x1b"), JSON.stringify(line));
  assert.ok(line.includes("<eve> hi^[[2J"));
});

Deno.test("formatEvent keeps a message on one line when asked, showing newlines as \\n", () => {
  const line = formatEvent(
    { type: "message", from: "bob", to: "me", text: "two\nlines", ts: 0 },
    { color: false, oneLine: true },
  )!;
  assert.ok(line.endsWith("*bob* two\\nlines"), line);
});

Deno.test("formatEvent shows joins, leaves with reasons, and errors with codes", () => {
  assert.match(formatEvent({ type: "join", name: "ann", ts: 0 }, { color: false })!, /ann joined$/);
  assert.match(
    formatEvent({ type: "leave", name: "ann", reason: "timeout", ts: 0 }, { color: false })!,
    /ann left \(timeout\)$/,
  );
  assert.equal(
    formatEvent({ type: "error", code: "NO_SUCH_USER", message: "No user named 'x'" }, {
      color: false,
    }),
    "! No user named 'x' (NO_SUCH_USER)",
  );
  assert.equal(formatEvent({ type: "pong" }, { color: false }), null);
});

Deno.test("formatFiles aligns names and shows sizes", () => {
  assert.deepEqual(
    formatFiles([{ name: "a", size: 1 }, { name: "long.txt", size: 2048 }], { color: false }),
    [
      "a         1 B",
      "long.txt  2.0 KiB",
    ],
  );
  assert.deepEqual(formatFiles([], { color: false }), ["No files shared"]);
});
