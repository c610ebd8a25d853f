import assert from "node:assert/strict";
import { formatCtcp, parseCtcp } from "../../lib/irc/ctcp.ts";
import { outgoingTexts } from "../../lib/irc/outgoing_text.ts";
import { MAX_IRC_LINE_BYTES } from "../../lib/irc/limits.ts";
import { utf8Length } from "../../lib/irc/utf8_length.ts";

Deno.test("parseCtcp reads ACTION and queries, with or without the closing delimiter", () => {
  assert.deepEqual(parseCtcp("\x01ACTION waves\x01"), { command: "ACTION", params: "waves" });
  assert.deepEqual(parseCtcp("\x01version"), { command: "VERSION", params: "" });
  assert.deepEqual(parseCtcp("\x01"), { command: "", params: "" });
  assert.equal(parseCtcp("plain \x01 text"), null);
  assert.equal(formatCtcp("ACTION", "waves"), "\x01ACTION waves\x01");
});

const ann = { source: "ann!ann@deno-chat", command: "PRIVMSG", target: "#lobby" };

/** The length of the line the session writes for one piece. */
function lineBytes(text: string): number {
  return utf8Length(`:${ann.source} PRIVMSG #lobby :${text}\r\n`);
}

Deno.test("outgoingTexts cuts a long chat message into lines that each fit 512 bytes", () => {
  const text = "word ".repeat(800); // 4,000 characters
  const pieces = outgoingTexts({ ...ann, text });
  assert.ok(pieces.length >= 8);
  assert.equal(pieces.join(""), text.trimEnd() + " ");
  for (const piece of pieces) assert.ok(lineBytes(piece) <= MAX_IRC_LINE_BYTES);
  // Each line is filled: all but the last within a word of the limit.
  for (const piece of pieces.slice(0, -1)) assert.ok(lineBytes(piece) > MAX_IRC_LINE_BYTES - 6);
});

Deno.test("outgoingTexts keeps an action's pieces inside CTCP ACTION, each fitting", () => {
  const pieces = outgoingTexts({ ...ann, text: "é".repeat(600), action: true });
  assert.ok(pieces.length >= 3);
  for (const piece of pieces) {
    assert.ok(piece.startsWith("\x01ACTION ") && piece.endsWith("\x01"));
    assert.ok(lineBytes(piece) <= MAX_IRC_LINE_BYTES);
  }
});

Deno.test("outgoingTexts turns line breaks into lines and never lets CR, LF, NUL or \\x01 through", () => {
  const pieces = outgoingTexts({ ...ann, text: "one\r\ntwo\n\nthree\rfour\0\x01DCC SEND x\x01" });
  assert.deepEqual(pieces, ["one", "two", "three", "four\ufffd\ufffdDCC SEND x\ufffd"]);
  assert.deepEqual(outgoingTexts({ ...ann, text: "\n\n" }), [" "]);
});
