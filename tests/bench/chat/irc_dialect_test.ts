import assert from "node:assert/strict";
import {
  commandOf,
  IRC_CHANNEL,
  ircDialect,
  ircEchoDialect,
} from "../../../bench/chat/irc_dialect.ts";
import type { SetupState } from "../../../bench/chat/dialect.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);
const inChannel = (): SetupState => ({ rooms: [IRC_CHANNEL], joined: 0 });

Deno.test("ircDialect.greet registers with NICK and USER", () => {
  assert.deepEqual(text(ircDialect.greet("c3")), "NICK c3\r\nUSER c3 0 * :bench\r\n");
});

Deno.test("ircDialect.setupLine joins after the welcome and is done at the end of names", () => {
  const state = inChannel();
  const afterWelcome = ircDialect.setupLine(bytes(":bench.local 001 c3 :Welcome\r"), state);
  assert.deepEqual(afterWelcome.kind, "send");
  if (afterWelcome.kind === "send") {
    assert.deepEqual(text(afterWelcome.bytes), `JOIN ${IRC_CHANNEL}\r\n`);
  }
  assert.deepEqual(ircDialect.setupLine(bytes(":bench.local 353 c3 = #bench :c1 c3\r"), state), {
    kind: "wait",
  });
  assert.deepEqual(ircDialect.setupLine(bytes(":bench.local 366 c3 #bench :End\r"), state), {
    kind: "done",
  });
});

Deno.test("ircDialect.setupLine joins every channel at once and waits for each names list", () => {
  const state: SetupState = { rooms: ["#r1", "#big"], joined: 0 };
  const step = ircDialect.setupLine(bytes(":s 001 c3 :Welcome\r"), state);
  assert.deepEqual(step.kind === "send" ? text(step.bytes) : step, "JOIN #r1,#big\r\n");
  assert.deepEqual(ircDialect.setupLine(bytes(":s 366 c3 #r1 :End\r"), state), { kind: "wait" });
  assert.deepEqual(ircDialect.setupLine(bytes(":s 366 c3 #big :End\r"), state), { kind: "done" });
});

Deno.test("ircDialect.setupLine answers a server PING with the same token", () => {
  const state = inChannel();
  const step = ircDialect.setupLine(bytes("PING :bench.local\r"), state);
  assert.deepEqual(step.kind, "send");
  if (step.kind === "send") assert.deepEqual(text(step.bytes), "PONG :bench.local\r\n");
});

Deno.test("ircDialect.setupLine reports error numerics and ERROR as refusals", () => {
  const state = inChannel();
  assert.deepEqual(
    ircDialect.setupLine(bytes(":s 433 * c3 :Nickname already in use\r"), state).kind,
    "refused",
  );
  assert.deepEqual(
    ircDialect.setupLine(bytes("ERROR :Closing connection\r"), state).kind,
    "refused",
  );
});

Deno.test("ircDialect.say pings every ackEvery messages and after the last", () => {
  const out = text(ircDialect.say("#bench", ["a", "b", "c", "d", "e"], 3, 2)).split("\r\n");
  assert.deepEqual(out, [
    "PRIVMSG #bench :a",
    "PRIVMSG #bench :b",
    "PING :4",
    "PRIVMSG #bench :c",
    "PRIVMSG #bench :d",
    "PING :6",
    "PRIVMSG #bench :e",
    "PING :7",
    "",
  ]);
});

Deno.test("ircDialect.ackedThrough reads the sequence a PONG echoes", () => {
  assert.deepEqual(ircDialect.ackedThrough(bytes(":bench.local PONG bench.local :17\r"), 3), 17);
  assert.deepEqual(ircDialect.ackedThrough(bytes(":bench.local PONG bench.local :x\r"), 3), -1);
  assert.deepEqual(ircDialect.ackedThrough(bytes(":c1!~c1@h PRIVMSG #bench :17\r"), 3), -1);
});

Deno.test("ircDialect.parseMessage splits PRIVMSG into sender, channel and text", () => {
  assert.deepEqual(ircDialect.parseMessage(bytes(":c1!~c1@127.0.0.1 PRIVMSG #bench :hi there\r")), {
    from: "c1",
    room: "#bench",
    text: "hi there",
  });
  assert.deepEqual(ircDialect.parseMessage(bytes(":c2 PRIVMSG #r1 :x")), {
    from: "c2",
    room: "#r1",
    text: "x",
  });
  assert.equal(ircDialect.parseMessage(bytes("PRIVMSG #bench :no prefix\r")), "malformed");
  assert.equal(ircDialect.parseMessage(bytes(":c1!~c1@h PRIVMSG #bench\r")), "malformed");
  assert.equal(ircDialect.parseMessage(bytes(":c1!~c1@127.0.0.1 JOIN #bench\r")), null);
  assert.equal(ircDialect.parseMessage(bytes(":prefix-without-space")), null);
});

Deno.test("commandOf skips the prefix and stops at the first space", () => {
  assert.deepEqual(commandOf(bytes(":server 366 nick #c :End")), "366");
  assert.deepEqual(commandOf(bytes("PING :x")), "PING");
  assert.deepEqual(commandOf(bytes(":lonely")), "");
});

Deno.test("ircEchoDialect asks for echo-message around registration and sends no PINGs", () => {
  assert.equal(
    text(ircEchoDialect.greet("c3")),
    "CAP REQ :echo-message\r\nNICK c3\r\nUSER c3 0 * :bench\r\nCAP END\r\n",
  );
  assert.equal(
    text(ircEchoDialect.say("#r1", ["a", "b"], 1, 1)),
    "PRIVMSG #r1 :a\r\nPRIVMSG #r1 :b\r\n",
  );
  assert.equal(ircEchoDialect.ackedThrough(bytes(":s PONG s :4\r"), 3), -1);
  const state = inChannel();
  assert.equal(
    ircEchoDialect.setupLine(bytes(":s CAP * NAK :echo-message\r"), state).kind,
    "refused",
  );
  assert.equal(ircEchoDialect.setupLine(bytes(":s CAP * ACK :echo-message\r"), state).kind, "wait");
});
