import assert from "node:assert/strict";
import { MAX_NAME_CHARS } from "../../lib/chat/names.ts";
import { formatIrcLine } from "../../lib/irc/format_irc_line.ts";
import { DEFAULT_SERVER_INFO, isupportTokens } from "../../lib/irc/server_info.ts";
import { isupportReplies, motdLines, welcomeBurst } from "../../lib/irc/welcome.ts";

Deno.test("welcomeBurst sends 001 to 005 then the MOTD, each addressed to the nick", () => {
  const burst = welcomeBurst(DEFAULT_SERVER_INFO, "ann");
  const commands = burst.map((m) => m.command);
  assert.deepEqual(commands.slice(0, 5), ["001", "002", "003", "004", "005"]);
  assert.deepEqual(commands.slice(-1), ["376"]);
  assert.ok(commands.includes("375") && commands.includes("372"));
  for (const message of burst) {
    assert.equal(message.params[0], "ann");
    assert.equal(message.source, "deno-chat");
    assert.ok(formatIrcLine(message).ok, message.command);
  }
});

Deno.test("isupportTokens announces the hub's limits and ASCII case mapping", () => {
  const tokens = isupportTokens({ ...DEFAULT_SERVER_INFO, roomNameLen: 32, topicLen: 250 });
  for (
    const token of [
      "CHANTYPES=#",
      "CASEMAPPING=ascii",
      `NICKLEN=${MAX_NAME_CHARS}`,
      "CHANNELLEN=33",
      "TOPICLEN=250",
    ]
  ) {
    assert.ok(tokens.includes(token), token);
  }
});

Deno.test("isupportReplies puts at most 13 tokens on one 005 line, each token once", () => {
  const tokens = Array.from({ length: 30 }, (_, i) => `TOKEN${i}=${"v".repeat(20)}`);
  const lines = isupportReplies(DEFAULT_SERVER_INFO, "ann", tokens);
  assert.equal(lines.length, 3);
  for (const message of lines) {
    // The nick, the tokens, the closing text.
    assert.ok(message.params.length - 2 <= 13);
    assert.equal(message.params.at(-1), "are supported by this server");
    assert.ok(formatIrcLine(message).ok);
  }
  assert.deepEqual(lines.flatMap((m) => m.params.slice(1, -1)), tokens);
});

Deno.test("motdLines answers 422 when there is no message of the day", () => {
  const lines = motdLines({ ...DEFAULT_SERVER_INFO, motd: [] }, "ann");
  assert.deepEqual(lines.map((m) => m.command), ["422"]);
});
