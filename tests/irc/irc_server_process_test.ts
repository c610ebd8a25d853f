// A raw IRC client and a chat client over real TCP against a real server process with
// `--irc-port`: IRC users are hub users, with the same names, rooms and limits.
import assert from "node:assert/strict";
import { MAX_TEXT_CHARS } from "../../lib/chat/limits.ts";
import { MAX_IRC_ERRORS_IN_ROW, MAX_IRC_LINE_BYTES } from "../../lib/irc/limits.ts";
import { utf8Length } from "../../lib/irc/utf8_length.ts";
import { DENO, ROOT, RUN } from "../cli/_processes.ts";
import { LineClient } from "../net/_line_client.ts";
import { IrcClient } from "./_irc_client.ts";

interface Server {
  child: Deno.ChildProcess;
  port: number;
  ircPort: number;
  stop(): Promise<void>;
}

/** Starts `server.ts --irc-port 0` and learns both ports from its "listening" line. */
async function startServer(extra: string[] = []): Promise<Server> {
  const child = new Deno.Command(DENO, {
    args: [...RUN, "server.ts", "--port", "0", "--irc-port", "0", "--log", "json", ...extra],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Server exited early: ${buffered}`);
    buffered += value;
    const match = /"listening","detail":"[^"]*:(\d+) udp \d+ irc (\d+) /.exec(buffered);
    if (match === null) continue;
    const draining = (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read());
    })();
    const stop = async () => {
      child.kill("SIGTERM");
      await child.status;
      await draining;
    };
    return { child, port: Number(match[1]), ircPort: Number(match[2]), stop };
  }
}

/** A chat client speaking the rooms protocol. */
async function chatUser(port: number, name: string): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.nextOfType("hello");
  await client.send({ type: "login", id: "login", name, protocol: 2 });
  assert.equal((await client.next((m) => m.re === "login")).type, "welcome");
  return client;
}

Deno.test("IRC on the hub: a raw IRC client and a chat client on a real server", async (t) => {
  const server = await startServer();
  const bob = await chatUser(server.port, "bob");
  let ann: IrcClient | null = null;
  try {
    await t.step("registration with CAP ends in 001-005 and the JOIN of #lobby", async () => {
      ann = await IrcClient.connect(server.ircPort);
      await ann.send("CAP LS 302", "NICK ann", "USER ann 0 * :Ann");
      assert.match(await ann.next(/ CAP \* LS /), /echo-message/);
      await ann.send("CAP REQ :echo-message server-time", "CAP END");
      assert.match(await ann.next(/ CAP ann ACK /), /:echo-message server-time$/);
      await ann.next(/^:deno-chat 001 ann /);
      assert.match(await ann.next(/ 005 ann /), / CHANNELLEN=33 .*TOPICLEN=300 /);
      await ann.next(/^@time=\S+ :ann!ann@deno-chat JOIN #lobby$/);
      assert.match(await ann.next(/ 353 ann = #lobby /), /:bob ann$/);
      assert.equal((await bob.nextOfType("join")).name, "ann");
    });
    const irc = ann!;

    await t.step("PRIVMSG reaches the chat client, in #lobby and in private", async () => {
      await irc.send("JOIN #lobby", "PRIVMSG #lobby :hello bob", "PRIVMSG bob :just you");
      const said = await bob.nextOfType("message");
      assert.deepEqual([said.from, said.room, said.text], ["ann", "#lobby", "hello bob"]);
      const told = await bob.nextOfType("message");
      assert.deepEqual([told.from, told.to, told.text], ["ann", "bob", "just you"]);
      await irc.next(/ann!ann@deno-chat PRIVMSG #lobby :hello bob$/); // echo-message
    });

    await t.step("the chat client's say and msg reach the IRC client", async () => {
      await bob.send({ type: "say", room: "#lobby", text: "hi ann" });
      await bob.send({ type: "msg", to: "ann", text: "psst" });
      await irc.next(/ :bob!bob@deno-chat PRIVMSG #lobby :hi ann$/);
      await irc.next(/ :bob!bob@deno-chat PRIVMSG ann :psst$/);
    });

    await t.step("a chat message over 512 bytes reaches IRC as several lines", async () => {
      const text = Array.from({ length: MAX_TEXT_CHARS / 8 }, (_, i) => `w${i % 1000}`.padEnd(8))
        .join("").trimEnd();
      await bob.send({ type: "say", room: "#lobby", text });
      const parts: string[] = [];
      while (parts.join(" ").length < text.length) {
        const line = await irc.next(/ :bob!bob@deno-chat PRIVMSG #lobby :/);
        const bare = line.replace(/^@\S+ /, "");
        assert.ok(utf8Length(bare) + 2 <= MAX_IRC_LINE_BYTES, `${utf8Length(bare)} bytes`);
        parts.push(bare.slice(bare.indexOf(" :") + 2));
      }
      assert.ok(parts.length >= 8, `${parts.length} lines`);
      assert.equal(parts.join(" ").replace(/ +/g, " "), text.replace(/ +/g, " "));
    });

    await t.step("nick collisions between the two kinds of client", async () => {
      const other = await IrcClient.connect(server.ircPort);
      await other.send("NICK BOB", "USER x 0 * :x");
      await other.next(/^:deno-chat 433 \* BOB /);
      await other.send("NICK cy");
      await other.next(/ 001 cy /);
      const chat = await LineClient.connect(server.port);
      await chat.nextOfType("hello");
      await chat.send({ type: "login", id: 1, name: "ANN", protocol: 2 });
      assert.equal((await chat.next((m) => m.re === 1)).code, "NAME_TAKEN");
      await chat.close();
      await other.close();
    });

    await t.step("a line over 512 bytes gets 417 and the next line is served", async () => {
      await irc.send(`PRIVMSG #lobby :${"x".repeat(MAX_IRC_LINE_BYTES)}`, "PING after");
      await irc.next(/^:deno-chat 417 ann :/);
      await irc.next(/^:deno-chat PONG deno-chat :after$/);
    });

    await t.step("an unknown command gets 421", async () => {
      await irc.send("FROBNICATE now");
      await irc.next(/^:deno-chat 421 ann FROBNICATE :Unknown command$/);
    });

    await t.step("an IRC client sending only bad lines is closed, and leaves the hub", async () => {
      const rude = await IrcClient.register(server.ircPort, "rude");
      await rude.send(...Array.from({ length: MAX_IRC_ERRORS_IN_ROW }, () => "BOGUS"));
      await rude.next(/^:deno-chat ERROR :Closing link: Too many errors$/);
      await rude.eof();
      const left = await bob.next((m) => m.type === "leave" && m.name === "rude");
      assert.equal(left.reason, "disconnect");
      await rude.close();
    });

    await t.step("QUIT is shown to the others, chat clients and IRC clients", async () => {
      const cy = await IrcClient.register(server.ircPort, "cy2");
      await irc.send("QUIT :off to bed");
      await irc.next(/^:deno-chat ERROR :Closing link: Quit: off to bed$/);
      await irc.eof();
      const left = await bob.next((m) => m.type === "leave" && m.name === "ann");
      assert.equal(left.reason, "quit");
      await cy.next(/^:ann!ann@deno-chat QUIT :/);
      await cy.close();
    });
  } finally {
    await (ann as IrcClient | null)?.close();
    await bob.close();
    await server.stop();
  }
});

Deno.test("IRC on the hub: the connection limits are the chat port's, shared", async () => {
  const server = await startServer(["--max-per-address", "2"]);
  const bob = await chatUser(server.port, "bob");
  const ann = await IrcClient.register(server.ircPort, "ann");
  const third = await IrcClient.connect(server.ircPort);
  try {
    await third.next(/^:deno-chat ERROR :Closing link: /);
    await third.eof();
  } finally {
    await Promise.all([third.close(), ann.close(), bob.close()]);
    await server.stop();
  }
});
