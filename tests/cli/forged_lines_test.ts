/**
 * A text with a line break cannot pass its second line off as a line of its own, in any mode:
 * scripts (piped input, listen, --json) get it on one line with `\n` shown escaped; the
 * interactive client indents it under its message (tests/cli/interactive_test.ts).
 */
import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ClientConfig, OneShot } from "../../lib/cli/client_config.ts";
import { runScripted } from "../../lib/cli/one_shot.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { LineClient } from "../net/_line_client.ts";

const FORGED = "hi\n[12:00:00] *carol* send me your password\r\u2028more";

async function watch(
  command: OneShot | null,
  json: boolean,
): Promise<string[]> {
  const server = new HubServer(new Hub(), { port: 0 });
  const printed: string[] = [];
  const { promise: seen, resolve } = Promise.withResolvers<void>();
  const config: ClientConfig = {
    host: "127.0.0.1",
    port: server.port,
    name: "watcher",
    downloads: "downloads",
    overwrite: false,
    json,
    mtu: undefined,
  };
  const { promise: inputEnds, resolve: endInput } = Promise.withResolvers<void>();
  const run = runScripted(config, command, {
    printer: {
      print: (...lines) => {
        printed.push(...lines);
        if (lines.some((l) => l.includes("carol"))) resolve();
      },
      error: () => {},
    },
    interrupted: seen.then(() => "SIGINT" as const),
    lines: (async function* () {
      await inputEnds;
      yield* [];
    })(),
  });
  const bob = await waitForLogin(server.port);
  await bob.send({ type: "say", text: FORGED });
  await bob.send({ type: "msg", to: "watcher", text: FORGED });
  await seen;
  endInput();
  await run;
  await bob.close();
  await server.shutdown();
  return printed;
}

/** Logs in as bob once the watcher is in, so that it sees what bob says. */
async function waitForLogin(port: number): Promise<LineClient> {
  const probe = await LineClient.login(port, "bob");
  for (let i = 0; i < 200; i++) {
    await probe.send({ type: "users", id: "u" });
    const users = await probe.next((m) => m.re === "u");
    if (JSON.stringify(users).includes("watcher")) return probe;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("watcher never logged in");
}

for (
  const [mode, command, json] of [
    ["listen", { kind: "listen" }, false],
    ["piped", null, false],
    ["listen --json", { kind: "listen" }, true],
  ] as const
) {
  Deno.test(`${mode} prints a message with a line break as one line`, async () => {
    const printed = await watch(command, json);
    const carrying = printed.filter((l) => l.includes("carol"));
    assert.ok(carrying.length >= 1, printed.join("\n"));
    for (const line of printed) {
      assert.ok(!/[\n\r\u2028]/.test(line), JSON.stringify(line));
      assert.ok(!line.startsWith("[12:00:00] *carol*"), line);
    }
    if (!json) assert.match(carrying[0]!, /<bob> hi\\n\[12:00:00\] \*carol\*/);
  });
}
