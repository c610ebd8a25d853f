import assert from "node:assert/strict";
import { parseCommand, parseReply } from "../../../bench/chat/generator_messages.ts";

Deno.test("parseCommand accepts each well-formed command", () => {
  const setup = {
    cmd: "setup",
    dialect: "irc",
    port: 6667,
    clients: 10,
    senders: 2,
    concurrency: 4,
    serverPid: 99,
    shape: "10x100",
  };
  assert.deepEqual(parseCommand(JSON.stringify(setup)), setup);
  assert.deepEqual(parseCommand('{"cmd":"fanout","warmupMs":1,"measureMs":2,"window":3}'), {
    cmd: "fanout",
    warmupMs: 1,
    measureMs: 2,
    window: 3,
  });
  assert.deepEqual(parseCommand('{"cmd":"quit"}'), { cmd: "quit" });
});

Deno.test("parseCommand explains what is wrong instead of throwing", () => {
  assert.deepEqual(parseCommand("{oops"), { error: "Cannot parse command: not JSON" });
  assert.deepEqual(parseCommand("[]"), { error: "Cannot parse command: no cmd" });
  assert.deepEqual(parseCommand('{"cmd":"dance"}'), {
    error: "Cannot parse command: unknown cmd 'dance'",
  });
  assert.deepEqual(
    parseCommand('{"cmd":"latency","deliveriesPerSecond":-1,"warmupMs":0,"measureMs":1}'),
    {
      error: "Cannot parse command: 'deliveriesPerSecond' must be a non-negative number",
    },
  );
  const badDialect =
    '{"cmd":"setup","dialect":"xmpp","port":1,"clients":1,"senders":1,"concurrency":1,"serverPid":0}';
  assert.deepEqual(parseCommand(badDialect), {
    error: "Cannot parse command: 'dialect' must be 'hub', 'irc' or 'irc-echo'",
  });
  const badShape = badDialect.replace('"xmpp"', '"hub"').replace("}", ',"shape":"2x50"}');
  assert.deepEqual(parseCommand(badShape), {
    error: "Cannot parse command: 'shape' must be a room shape",
  });
});

Deno.test("parseReply passes reports through and turns anything else into an error reply", () => {
  assert.deepEqual(parseReply('{"ok":true,"report":null}'), { ok: true, report: null });
  assert.deepEqual(parseReply('{"ok":false,"error":"boom"}'), { ok: false, error: "boom" });
  assert.deepEqual(parseReply("not json").ok, false);
  assert.deepEqual(parseReply('{"ok":true}').ok, false);
  assert.deepEqual(parseReply("42").ok, false);
});
