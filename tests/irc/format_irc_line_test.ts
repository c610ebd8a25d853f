import assert from "node:assert/strict";
import { formatIrcLine } from "../../lib/irc/format_irc_line.ts";
import type { IrcMessage } from "../../lib/irc/irc_message.ts";
import { parseIrcLine } from "../../lib/irc/irc_message.ts";
import { MAX_IRC_LINE_BYTES, MAX_TAG_BYTES } from "../../lib/irc/limits.ts";

function message(command: string, params: string[], extra: Partial<IrcMessage> = {}): IrcMessage {
  return { tags: new Map(), command, params, ...extra };
}

function line(m: IrcMessage): string {
  const result = formatIrcLine(m);
  assert.ok(result.ok, !result.ok ? result.error.message : "");
  return result.line;
}

function errorCode(m: IrcMessage): string {
  const result = formatIrcLine(m);
  assert.ok(!result.ok, "formatted");
  return result.error.code;
}

Deno.test("formatIrcLine writes a trailing parameter only when it must", () => {
  assert.equal(line(message("JOIN", ["#a"], { source: "ann!a@h" })), ":ann!a@h JOIN #a");
  assert.equal(line(message("PRIVMSG", ["#a", "hi all"])), "PRIVMSG #a :hi all");
  assert.equal(line(message("TOPIC", ["#a", ""])), "TOPIC #a :");
  assert.equal(line(message("PRIVMSG", ["#a", ":)"])), "PRIVMSG #a ::)");
});

Deno.test("formatIrcLine refuses CR, LF and NUL in any parameter, so no line is injected", () => {
  for (const bad of ["x\r\nQUIT", "x\ny", "x\ry", "x\0y"]) {
    assert.equal(errorCode(message("PRIVMSG", ["#a", bad])), "FORBIDDEN_CHARACTER");
    assert.equal(errorCode(message("PRIVMSG", [bad, "x"])), "FORBIDDEN_CHARACTER");
  }
});

Deno.test("formatIrcLine refuses a middle parameter with a space or a leading colon", () => {
  assert.equal(errorCode(message("PRIVMSG", ["#a b", "x"])), "BAD_PARAM");
  assert.equal(errorCode(message("PRIVMSG", [":a", "x"])), "BAD_PARAM");
  assert.equal(errorCode(message("PRIVMSG", ["", "x"])), "BAD_PARAM");
});

Deno.test("formatIrcLine refuses a source with a space and a lower-case command", () => {
  assert.equal(errorCode(message("JOIN", ["#a"], { source: "a b" })), "BAD_SOURCE");
  assert.equal(errorCode(message("join", ["#a"])), "BAD_COMMAND");
});

Deno.test("formatIrcLine writes 512 bytes with CR LF and refuses one more", () => {
  const head = "PRIVMSG #a :";
  const text = "x ".repeat((MAX_IRC_LINE_BYTES - 2 - head.length) / 2);
  assert.equal(line(message("PRIVMSG", ["#a", text])).length + 2, MAX_IRC_LINE_BYTES);
  assert.equal(errorCode(message("PRIVMSG", ["#a", text + "x"])), "LINE_TOO_LONG");
});

Deno.test("formatIrcLine escapes tag values and reads back the same message", () => {
  const tags = new Map([["time", "2026-01-01T00:00:00.000Z"], ["+x", "a b;c\\d\r\n"], ["f", ""]]);
  const written = line(message("PRIVMSG", ["#a", "hi"], { tags, source: "ann!a@h" }));
  assert.equal(written.includes("\r") || written.includes("\n"), false);
  const back = parseIrcLine(written);
  assert.ok(back.ok);
  assert.deepEqual([...back.message.tags], [...tags]);
  assert.deepEqual(back.message.params, ["#a", "hi"]);
});

Deno.test("formatIrcLine refuses tags over 8,191 bytes and a bad tag key", () => {
  const big = new Map([["k", "v".repeat(MAX_TAG_BYTES)]]);
  assert.equal(errorCode(message("PING", ["x"], { tags: big })), "TAGS_TOO_LONG");
  assert.equal(errorCode(message("PING", ["x"], { tags: new Map([["a b", "1"]]) })), "BAD_TAG");
});

Deno.test("formatIrcLine writes a one-word last parameter as trailing when asked", () => {
  assert.equal(line(message("PRIVMSG", ["#a", "hi"], { trailing: true })), "PRIVMSG #a :hi");
  const back = parseIrcLine("PRIVMSG #a :hi");
  assert.ok(back.ok && back.message.trailing === true);
  assert.equal(line(back.ok ? back.message : message("X", [])), "PRIVMSG #a :hi");
});
