import assert from "node:assert/strict";
import { Prng } from "../../lib/netsim/prng.ts";
import {
  LOCAL_RATE_BURST,
  LOCAL_RATE_PER_SECOND,
  MAX_IRC_ERRORS_IN_ROW,
  MAX_IRC_LINE_BYTES,
  MAX_TAG_BYTES,
} from "../../lib/irc/limits.ts";
import { utf8Length } from "../../lib/irc/utf8_length.ts";
import { Harness, registered } from "./_session_harness.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("IrcSession reads lines split anywhere across reads, ending in LF or CR LF", () => {
  const h = registered();
  const stream = bytes("PRIVMSG #lobby :one\r\nPRIVMSG #lobby :tw\u00f6\nPING x\r\n");
  for (let i = 0; i < stream.length; i += 3) h.session.receive(0, stream.subarray(i, i + 3));
  h.drain();
  assert.deepEqual(h.takeRequests().map((r) => "text" in r ? r.text : r.type), ["one", "twö"]);
  assert.deepEqual(h.take(), [":deno-chat PONG deno-chat :x"]);
});

Deno.test("IrcSession answers 417 to a line over 512 bytes and reads the next one", () => {
  const h = registered();
  const long = "PRIVMSG #lobby :" + "x".repeat(MAX_IRC_LINE_BYTES);
  h.session.receive(0, bytes(`${long}\r\nPRIVMSG #lobby :short\r\n`));
  h.drain();
  assert.deepEqual(h.numerics(), ["417"]);
  assert.deepEqual(h.takeRequests().map((r) => "text" in r && r.text), ["short"]);
});

Deno.test("IrcSession answers 417 to a line past every limit, however long, holding little", () => {
  const h = registered();
  const chunk = bytes("x".repeat(64 * 1024));
  for (let i = 0; i < 16; i++) h.session.receive(0, chunk);
  h.session.receive(0, bytes("\r\nPING ok\r\n"));
  h.drain();
  assert.deepEqual(h.take(), [
    ":deno-chat 417 ann :Input line was too long",
    ":deno-chat PONG deno-chat :ok",
  ]);
});

Deno.test("IrcSession answers 417 to a tag flood over 8,191 bytes", () => {
  const h = registered();
  const tags = "@" + Array.from({ length: 2000 }, (_, i) => `+t${i}=v`).join(";");
  assert.ok(utf8Length(tags) > MAX_TAG_BYTES);
  h.send(`${tags} PRIVMSG #lobby :hi`);
  assert.deepEqual(h.numerics(), ["417"]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession ignores client tags it does not use, and empty lines", () => {
  const h = registered().send("@+draft/react=x;label=1 PRIVMSG #lobby :hi", "", "   ");
  assert.deepEqual(h.takeRequests().map((r) => "text" in r && r.text), ["hi"]);
  assert.deepEqual(h.take(), []);
});

Deno.test("IrcSession drops a line that is not UTF-8 with a NOTICE", () => {
  const h = registered();
  h.session.receive(0, new Uint8Array([0x50, 0x49, 0x4e, 0x47, 0x20, 0xff, 0x0d, 0x0a]));
  h.drain();
  assert.deepEqual(h.take(), [":deno-chat NOTICE ann :Line dropped: not UTF-8 (UTF8ONLY)"]);
});

Deno.test("IrcSession closes after MAX_IRC_ERRORS_IN_ROW bad lines in a row", () => {
  const h = registered();
  for (let i = 0; i < MAX_IRC_ERRORS_IN_ROW - 1; i++) h.send(`FROB${i}`);
  assert.deepEqual(h.closes, []);
  h.send("PRIVMSG #lobby :good line");
  for (let i = 0; i < MAX_IRC_ERRORS_IN_ROW - 1; i++) h.send("JOIN");
  assert.deepEqual(h.closes, [], "a good line ends the run");
  h.send("PRIVMSG");
  assert.deepEqual(h.closes, ["Too many errors"]);
  assert.equal(h.take().at(-1), ":deno-chat ERROR :Closing link: Too many errors");
  h.send("PING x");
  assert.deepEqual(h.take(), [], "nothing after the close");
});

Deno.test("IrcSession does not count a refusal of a well-formed command as an error", () => {
  const h = registered();
  for (let i = 0; i < 3 * MAX_IRC_ERRORS_IN_ROW; i++) h.send("PRIVMSG #elsewhere :x");
  assert.deepEqual(h.closes, []);
});

Deno.test("IrcSession echoes no hostile parameter into a reply it could not write", () => {
  const h = registered().send("FROB", "JOIN ::#weird", "PART :a b", `JOIN #${"é".repeat(300)}`);
  for (const line of h.take()) assert.ok(utf8Length(line) + 2 <= MAX_IRC_LINE_BYTES);
  assert.equal(h.session.stats.unwritable, 0);
});

Deno.test("IrcSession survives random lines, hub junk included, writing only valid lines", () => {
  const prng = new Prng(10);
  const words = ["PRIVMSG", "NOTICE", "JOIN", "PART", "MODE", "TOPIC", "NICK", "WHO", "WHOIS"];
  const bits = ["#lobby", "#x", "ann", ":", "::", "\x01ACTION", "\x01", ",", "+o", "é", "😀", " "];
  const pick = <T>(list: readonly T[]) => list[Math.floor(prng.next() * list.length)]!;
  for (let round = 0; round < 20; round++) {
    const h = registered("ann", { caps: "echo-message server-time message-tags" });
    for (let n = 0; n < 200 && !h.session.closed; n++) {
      let line = pick(words);
      for (let k = Math.floor(prng.next() * 6); k > 0; k--) line += " " + pick(bits);
      h.send(line);
      for (const request of h.takeRequests()) {
        h.event({ type: "ok", re: request.id, ts: prng.next() * 1e13, room: pick(bits) });
      }
    }
    for (const line of h.take()) assert.ok(utf8Length(line) + 2 <= MAX_IRC_LINE_BYTES, line);
    assert.equal(h.session.stats.unwritable, 0, `round ${round}`);
  }
});

Deno.test("IrcSession ignores replies to requests it never made", () => {
  const h = registered().event({ type: "ok", re: 9999, ts: 0 });
  h.event({ type: "names", re: 12345, room: "#nowhere", names: ["x"] });
  assert.ok(h.take().every((line) => !line.includes("JOIN")));
  assert.equal(
    new Harness().event({ type: "welcome", name: "evil", ts: 0 }).session.registered,
    false,
  );
});

Deno.test("IrcSession gives up a line at 8,703 bytes before its end arrives", () => {
  const h = registered();
  h.session.receive(0, bytes("x".repeat(MAX_TAG_BYTES + MAX_IRC_LINE_BYTES + 1)));
  assert.deepEqual(h.drain().numerics(), ["417"]);
});

Deno.test("IrcSession leaves out server-time for a time no date can show, without throwing", () => {
  const h = registered("ann", { caps: "server-time" });
  h.event({ type: "message", from: "bob", room: "#lobby", text: "hi", ts: 1e20 });
  h.event({ type: "message", from: "bob", room: "#lobby", text: "hi", ts: NaN });
  assert.deepEqual(h.take(), [
    ":bob!bob@deno-chat PRIVMSG #lobby :hi",
    ":bob!bob@deno-chat PRIVMSG #lobby :hi",
  ]);
});

Deno.test("IrcSession answers 263 past the budget of commands it answers itself, refilled in time", () => {
  const h = registered();
  const now = 0;
  for (let i = 0; i < LOCAL_RATE_BURST; i++) h.session.handleLine(now, "WHO #lobby");
  h.drain().take();
  h.session.handleLine(now, "WHO #lobby");
  assert.deepEqual(h.drain().take(), [
    ":deno-chat 263 ann WHO :Please wait a while and try again",
  ]);
  h.session.handleLine(now + 1000 / LOCAL_RATE_PER_SECOND, "PING x");
  assert.deepEqual(h.drain().take(), [":deno-chat PONG deno-chat :x"]);
});

Deno.test("IrcSession closes a client that keeps flooding WHO past its budget", () => {
  const h = registered();
  for (let i = 0; i < LOCAL_RATE_BURST + MAX_IRC_ERRORS_IN_ROW; i++) {
    h.session.handleLine(0, "WHO #lobby");
  }
  assert.deepEqual(h.drain().closes, ["Too many errors"]);
});
