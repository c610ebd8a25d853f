import assert from "node:assert/strict";
import { parseIrcLine } from "../../lib/irc/irc_message.ts";
import { MAX_IRC_LINE_BYTES, MAX_PARAMS, MAX_TAG_BYTES } from "../../lib/irc/limits.ts";

function parsed(line: string) {
  const result = parseIrcLine(line);
  assert.ok(result.ok, `${line}: ${!result.ok && result.error.message}`);
  return result.message;
}

function errorCode(line: string): string {
  const result = parseIrcLine(line);
  assert.ok(!result.ok, `${line.slice(0, 40)} parsed`);
  return result.error.code;
}

Deno.test("parseIrcLine reads source, command, middle and trailing parameters", () => {
  const message = parsed(":ann!a@host PRIVMSG #lobby :hello there");
  assert.equal(message.source, "ann!a@host");
  assert.equal(message.command, "PRIVMSG");
  assert.deepEqual(message.params, ["#lobby", "hello there"]);
  assert.equal(message.tags.size, 0);
});

Deno.test("parseIrcLine upper-cases the command and reads numerics", () => {
  assert.equal(parsed("privmsg #a b").command, "PRIVMSG");
  assert.equal(parsed(":srv 001 ann :Welcome").command, "001");
  assert.equal(errorCode("12 x"), "BAD_COMMAND");
  assert.equal(errorCode("PRIV-MSG x"), "BAD_COMMAND");
});

Deno.test("parseIrcLine keeps an empty trailing parameter and a colon inside the trailing", () => {
  assert.deepEqual(parsed("TOPIC #a :").params, ["#a", ""]);
  assert.deepEqual(parsed("PRIVMSG #a ::-) see: this").params, ["#a", ":-) see: this"]);
  assert.deepEqual(parsed("PRIVMSG #a :  spaced  ").params, ["#a", "  spaced  "]);
});

Deno.test("parseIrcLine tolerates repeated spaces between parts", () => {
  assert.deepEqual(parsed("  JOIN   #a   ").params, ["#a"]);
  assert.deepEqual(parsed(":src   NICK  bob").params, ["bob"]);
});

Deno.test("parseIrcLine reads at most 15 parameters, the 15th taking the rest", () => {
  const many = Array.from({ length: 20 }, (_, i) => `p${i}`).join(" ");
  const params = parsed(`CMD ${many}`).params;
  assert.equal(params.length, MAX_PARAMS);
  assert.equal(params[14], "p14 p15 p16 p17 p18 p19");
});

Deno.test("parseIrcLine reads tags with escaped values, keys without values and vendors", () => {
  const message = parsed("@time=2026-01-01T00:00:00.000Z;+draft/reply=a\\sb\\:c;flag :s CMD");
  assert.equal(message.tags.get("time"), "2026-01-01T00:00:00.000Z");
  assert.equal(message.tags.get("+draft/reply"), "a b;c");
  assert.equal(message.tags.get("flag"), "");
  assert.equal(message.command, "CMD");
});

Deno.test("parseIrcLine refuses a malformed tag key", () => {
  assert.equal(errorCode("@=v CMD"), "BAD_TAG");
  assert.equal(errorCode("@a!b=v CMD"), "BAD_TAG");
});

Deno.test("parseIrcLine refuses NUL, CR and LF inside a line", () => {
  for (const bad of ["PRIVMSG #a :x\0y", "PRIVMSG #a :x\ry", "PRIVMSG #a :x\ny"]) {
    assert.equal(errorCode(bad), "FORBIDDEN_CHARACTER");
  }
});

Deno.test("parseIrcLine accepts 512 bytes with CR LF and refuses one byte more", () => {
  const head = "PRIVMSG #a :";
  const fits = head + "x".repeat(MAX_IRC_LINE_BYTES - 2 - head.length);
  assert.ok(parseIrcLine(fits).ok);
  assert.equal(errorCode(fits + "x"), "LINE_TOO_LONG");
  // Bytes, not characters: 255 two-byte letters are 510 bytes.
  assert.equal(errorCode(head + "é".repeat(250)), "LINE_TOO_LONG");
});

Deno.test("parseIrcLine lets tags take their own 8,191 bytes beside the 512", () => {
  const body = "PRIVMSG #a :" + "x".repeat(MAX_IRC_LINE_BYTES - 2 - 12);
  const tagsOf = (bytes: number) => `@k=${"v".repeat(bytes - 4)} `; // "@k=" and " "
  assert.ok(parseIrcLine(tagsOf(MAX_TAG_BYTES) + body).ok);
  assert.equal(errorCode(tagsOf(MAX_TAG_BYTES + 1) + body), "TAGS_TOO_LONG");
});

Deno.test("parseIrcLine survives a flood of tiny tags without throwing", () => {
  const flood = "@" + Array.from({ length: 4000 }, (_, i) => `t${i}`).join(";") + " PING x";
  assert.equal(errorCode(flood), "TAGS_TOO_LONG");
  const many = "@" + Array.from({ length: 1000 }, (_, i) => `t${i}`).join(";") + " PING x";
  assert.equal(parsed(many).tags.size, 1000);
});

Deno.test("parseIrcLine reports empty lines and lines of only a source or tags", () => {
  for (const line of ["", "   ", ":src", ":src   ", "@a=b", "@a=b "]) {
    assert.equal(errorCode(line), "EMPTY_LINE", JSON.stringify(line));
  }
  assert.equal(errorCode(": CMD"), "BAD_SOURCE");
});

Deno.test("parseIrcLine never throws on random printable junk", () => {
  let seed = 7;
  const alphabet = "@:; =\\#!aZ9 \u00e9\u{1F600}";
  for (let n = 0; n < 2000; n++) {
    let line = "";
    const length = (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 40;
    for (let i = 0; i < length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      line += [...alphabet][seed % [...alphabet].length];
    }
    const result = parseIrcLine(line);
    assert.equal(typeof result.ok, "boolean");
  }
});
