import assert from "node:assert/strict";
import { formatHistory } from "../../lib/cli/history_display.ts";
import { formatClock } from "../../lib/tui/style.ts";

const TS = Date.UTC(2026, 0, 2, 3, 4, 5);

Deno.test("formatHistory shows each stored message dimmed, with its original time", () => {
  const lines = formatHistory(
    {
      type: "history",
      room: "#dev",
      messages: [
        { id: 1, from: "bob", text: "hi", ts: TS },
        { id: 2, from: "bob", text: "waves", action: true, ts: TS + 1000 },
      ],
    },
    "ann",
    { color: true },
  );
  assert.equal(lines.length, 2);
  for (const line of lines) assert.ok(line.startsWith("\x1b[2m"), JSON.stringify(line));
  const plain = formatHistory(
    {
      type: "history",
      room: "#dev",
      messages: [{ id: 1, from: "bob", text: "hi", ts: TS }],
    },
    "ann",
    { color: false },
  );
  assert.deepEqual(plain, [`[${formatClock(TS)}] <bob> hi`]);
});

Deno.test("formatHistory shows the user's own messages as sent, and private ones by party", () => {
  const lines = formatHistory(
    {
      type: "history",
      peer: "bob",
      messages: [
        { id: 1, from: "Ann", to: "bob", text: "ping", ts: TS },
        { id: 2, from: "bob", to: "ann", text: "pong", ts: TS },
      ],
    },
    "ann",
    { color: false },
  );
  assert.deepEqual(lines, [`[${formatClock(TS)}] → *bob* ping`, `[${formatClock(TS)}] *bob* pong`]);
});

Deno.test("formatHistory escapes control characters in stored text as in live text", () => {
  const [line] = formatHistory(
    {
      type: "history",
      room: "#dev",
      messages: [{ id: 1, from: "bob", text: "\x1b[2Jgone", ts: TS }],
    },
    "ann",
    { color: false },
  );
  assert.ok(!line!.includes("\x1b"), JSON.stringify(line));
});
