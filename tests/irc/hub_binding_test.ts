import assert from "node:assert/strict";
import { MAX_TEXT_CHARS } from "../../lib/chat/limits.ts";
import { MAX_IRC_LINE_BYTES } from "../../lib/irc/limits.ts";
import { utf8Length } from "../../lib/irc/utf8_length.ts";
import { HubHarness, ofType } from "../chat/_hub_harness.ts";
import { IrcOnHub } from "./_link_on_hub.ts";

function setUp() {
  const hub = new HubHarness({ rate: null });
  const bob = hub.login("bob", 0);
  const irc = new IrcOnHub(hub, 0).write("CAP LS 302\r\nNICK ann\r\nUSER ann 0 * :Ann\r\n");
  irc.write("CAP REQ :echo-message\r\nCAP END\r\n");
  return { hub, bob, irc };
}

Deno.test("An IRC client registers on the real hub and is in #lobby with the chat users", () => {
  const { hub, bob, irc } = setUp();
  const lines = irc.read();
  assert.ok(lines.some((l) => / 001 ann /.test(l)), lines.join("\n"));
  assert.ok(lines.includes(":ann!ann@deno-chat JOIN #lobby"));
  assert.ok(lines.includes(":deno-chat 353 ann = #lobby :bob ann"));
  assert.deepEqual(ofType(hub.read(bob), "join").map((l) => l.name), ["ann"]);
});

Deno.test("An IRC client and a chat client talk in #lobby and in private", () => {
  const { hub, bob, irc } = setUp();
  irc.read();
  hub.read(bob);
  irc.write("PRIVMSG #lobby :hello bob\r\nPRIVMSG bob :\x01ACTION whispers\x01\r\n");
  const got = ofType(hub.read(bob), "message");
  assert.deepEqual(got.map((m) => [m.from, m.to ?? null, m.text, m.action ?? false]), [
    ["ann", null, "hello bob", false],
    ["ann", "bob", "whispers", true],
  ]);
  // echo-message: ann sees her own lines as the hub took them.
  assert.deepEqual(irc.read(), [
    ":ann!ann@deno-chat PRIVMSG #lobby :hello bob",
    ":ann!ann@deno-chat PRIVMSG bob :\x01ACTION whispers\x01",
  ]);
  hub.send(bob, { type: "say", text: "hi ann" }, 0);
  hub.send(bob, { type: "msg", to: "ann", text: "psst" }, 0);
  assert.deepEqual(irc.read(), [
    ":bob!bob@deno-chat PRIVMSG #lobby :hi ann",
    ":bob!bob@deno-chat PRIVMSG ann :psst",
  ]);
});

Deno.test("A chat message longer than 512 bytes reaches the IRC client as several lines", () => {
  const { hub, bob, irc } = setUp();
  irc.read();
  const text = "ß".repeat(MAX_TEXT_CHARS);
  hub.send(bob, { type: "say", text }, 0);
  const lines = irc.read();
  assert.ok(lines.length >= 17);
  for (const line of lines) assert.ok(utf8Length(line) + 2 <= MAX_IRC_LINE_BYTES);
  assert.equal(lines.map((l) => l.slice(l.indexOf(" :") + 2)).join(""), text);
});

Deno.test("An IRC nick taken by a chat user gets 433, and the next nick registers", () => {
  const hub = new HubHarness();
  hub.login("bob", 0);
  const irc = new IrcOnHub(hub, 0).write("NICK BOB\r\nUSER b 0 * :B\r\n");
  assert.deepEqual(irc.read().map((l) => l.split(" ")[1]), ["433"]);
  irc.write("NICK bob2\r\n");
  assert.ok(irc.read().some((l) => / 001 bob2 /.test(l)));
});

Deno.test("A chat user leaving is a QUIT to the IRC client; an IRC QUIT is a leave", () => {
  const { hub, bob, irc } = setUp();
  irc.read();
  hub.send(bob, { type: "quit" }, 0);
  assert.deepEqual(irc.read(), [":bob!bob@deno-chat QUIT :Quit"]);
  const cy = hub.login("cy", 0);
  hub.read(cy);
  irc.write("QUIT :bye now\r\n");
  assert.deepEqual(ofType(hub.read(cy), "leave").map((l) => [l.name, l.reason]), [["ann", "quit"]]);
  assert.ok(irc.session.closed);
});
