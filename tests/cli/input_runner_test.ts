import assert from "node:assert/strict";
import type { OutgoingRequest } from "../../lib/chat/client_session.ts";
import type { ServerMessage } from "../../lib/chat/events.ts";
import { Hub } from "../../lib/chat/hub.ts";
import { MAX_TEXT_CHARS } from "../../lib/chat/limits.ts";
import type { ClientConfig } from "../../lib/cli/client_config.ts";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import type { SentMessage } from "../../lib/cli/format.ts";
import { type RunContext, runInput, type TransferCommands } from "../../lib/cli/input_runner.ts";
import { runScripted } from "../../lib/cli/one_shot.ts";
import { parseInput } from "../../lib/cli/slash_command.ts";
import type { ChatClient } from "../../lib/net/chat_client.ts";
import { ChatError } from "../../lib/net/chat_error.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { LineClient } from "../net/_line_client.ts";
import { oddLines } from "./_odd_lines.ts";

/** A client that accepts everything, as a hub would, and remembers what it was asked. */
function stubClient(sent: OutgoingRequest[] = []): ChatClient {
  const reply = (request: OutgoingRequest): ServerMessage => {
    switch (request.type) {
      case "users":
        return { type: "users", users: [{ name: "Bob", since: 0 }] };
      case "files":
        return { type: "files", files: [{ name: "日本.txt", size: 3 }] };
      case "msg":
        if (request.to.toLowerCase() !== "bob") {
          throw new ChatError("NO_SUCH_USER", `No user named '${request.to}'`);
        }
        return { type: "ok", to: "Bob", ts: 1 };
      default:
        return { type: "ok", ts: 1 };
    }
  };
  const client = {
    name: "alice",
    request: (request: OutgoingRequest) => {
      sent.push(request);
      try {
        return Promise.resolve(reply(request));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
  return client as unknown as ChatClient;
}

const transfers: TransferCommands = {
  get: () => Promise.resolve(),
  put: () => Promise.resolve(),
  control: () => {},
};

function context(sent: OutgoingRequest[] = [], echoed: SentMessage[] = []): RunContext {
  return {
    client: stubClient(sent),
    printer: { print: () => {}, error: () => {} },
    color: true,
    transfers,
    echo: (message) => echoed.push(message),
    clear: () => {},
  };
}

Deno.test("runInput never throws on any line, and every result is an exit code or quit", async () => {
  const ctx = context();
  for (const line of oddLines(2, 3000)) {
    const result = await runInput(parseInput(line), ctx);
    assert.ok(result === "quit" || Number.isInteger(result), JSON.stringify(line));
  }
});

Deno.test("runInput splits text over the hub's limit into messages that each fit", async () => {
  const sent: OutgoingRequest[] = [];
  const echoed: SentMessage[] = [];
  const words = Array.from({ length: 6000 }, (_, i) => `word${i}`).join(" ");
  assert.equal(await runInput(parseInput(words), context(sent, echoed)), 0);
  const texts = sent.map((r) => (r.type === "say" ? r.text : ""));
  assert.ok(texts.length > 1);
  assert.ok(texts.every((t) => t.length >= 1 && t.length <= MAX_TEXT_CHARS));
  assert.equal(texts.join(""), words);
  assert.ok(texts.slice(0, -1).every((t) => t.endsWith(" ")), "cut between words");
  assert.deepEqual(echoed.map((e) => e.text), texts, "each piece echoed as it was accepted");
});

Deno.test("runInput sends /me as an action and echoes it as one", async () => {
  const sent: OutgoingRequest[] = [];
  const echoed: SentMessage[] = [];
  await runInput(parseInput("/me waves"), context(sent, echoed));
  assert.deepEqual(sent, [{ type: "say", text: "waves", action: true, room: "#lobby" }]);
  assert.deepEqual(echoed, [{ text: "waves", ts: 1, action: true, room: "#lobby" }]);
});

Deno.test("runInput echoes a private message with the target's name as the hub knows it", async () => {
  const echoed: SentMessage[] = [];
  await runInput(parseInput("/msg BOB hi"), context([], echoed));
  assert.deepEqual(echoed, [{ to: "Bob", text: "hi", ts: 1 }]);
});

Deno.test("runInput clears the screen on /clear and prints aligned help", async () => {
  let cleared = 0;
  const printed: string[] = [];
  const ctx = {
    ...context(),
    clear: () => cleared++,
    printer: { print: (...l: string[]) => printed.push(...l), error: () => {} },
  };
  await runInput(parseInput("/clear"), ctx);
  assert.equal(cleared, 1);
  await runInput(parseInput("/help"), ctx);
  assert.ok(printed.some((l) => /^\/me ACTION +tell the room/.test(l)), printed.join("\n"));
});

Deno.test("piped mode sends a 30,000-character line as several messages and exits 0", async () => {
  const server = new HubServer(new Hub({ rate: null }), { port: 0 });
  const listener = await LineClient.login(server.port, "listener");
  const line = "🇫🇷é".repeat(10_000); // 30,000 UTF-16 units, no space to cut at
  const err: string[] = [];
  const config: ClientConfig = {
    host: "127.0.0.1",
    port: server.port,
    name: "piper",
    downloads: "downloads",
    overwrite: false,
    json: false,
    mtu: undefined,
  };
  const code = await runScripted(config, null, {
    printer: { print: () => {}, error: (l) => err.push(l) },
    interrupted: new Promise(() => {}),
    lines: (async function* () {
      yield line;
    })(),
  });
  assert.equal(code, EXIT.OK, err.join("\n"));
  let received = "";
  while (received.length < line.length) {
    const text = String((await listener.nextOfType("message")).text);
    assert.ok(text.length <= MAX_TEXT_CHARS);
    assert.ok(!/^[\udc00-\udfff]/.test(text), "no piece starts inside a pair");
    received += text;
  }
  assert.equal(received, line);
  await listener.close();
  await server.shutdown();
});
