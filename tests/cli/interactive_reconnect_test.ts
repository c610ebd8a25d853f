/**
 * The interactive client on a fake terminal through outages: it stays live while the hub is
 * away, and asks for another name when its name was taken meanwhile.
 */
import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { runInteractive } from "../../lib/cli/interactive.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import type { TerminalInput, TerminalOutput } from "../../lib/tui/terminal.ts";
import { LineClient } from "../net/_line_client.ts";
import { testConfig } from "./_chat_screen.ts";

/** Keys typed by the test, handed to the terminal as it reads. */
class Keyboard implements TerminalInput {
  #chunks: Uint8Array[] = [];
  #wake: (() => void) | undefined;

  type(text: string): void {
    this.#chunks.push(new TextEncoder().encode(text));
    this.#wake?.();
  }

  async read(p: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) await new Promise<void>((r) => (this.#wake = r));
    const chunk = this.#chunks.shift()!;
    const n = Math.min(p.length, chunk.length);
    p.set(chunk.subarray(0, n));
    if (n < chunk.length) this.#chunks.unshift(chunk.subarray(n));
    return n;
  }

  cancel(): void {
    // Nothing pending survives the test: the last key typed ends the session.
  }
}

/** The screen as plain text, escape codes dropped. */
class Display implements TerminalOutput {
  #text = "";
  writeSync(p: Uint8Array): number {
    this.#text += new TextDecoder().decode(p);
    return p.length;
  }
  // deno-lint-ignore no-control-regex
  text = () => this.#text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function start(port: number, name: string) {
  const keyboard = new Keyboard();
  const display = new Display();
  const session = runInteractive(testConfig(port, name), {
    color: false,
    env: () => undefined, // no history file
    terminal: { input: keyboard, output: display, width: () => 100, onResize: () => () => {} },
  });
  const shows = (text: string) => until(() => display.text().includes(text), `'${text}'`);
  return { keyboard, display, session, shows };
}

Deno.test("interactive client stays live while reconnecting: queued line sent once back, /quit at once", async () => {
  let server = new HubServer(new Hub(), { port: 0 });
  const port = server.port;
  const alice = start(port, "alice");
  await alice.shows("Connected to");
  await server.shutdown();
  await alice.shows("Reconnecting");
  alice.keyboard.type("hello while away\r");
  await alice.shows("queued until reconnected: hello while away");
  // The editor still reads keys: another command is carried out at once.
  alice.keyboard.type("/help\r");
  await alice.shows("/resume");
  server = new HubServer(new Hub(), { port });
  await alice.shows("Reconnected as alice");
  await alice.shows("<alice> hello while away");
  await server.shutdown();
  const outages = () => alice.display.text().split("Connection to the hub was lost").length - 1;
  await until(() => outages() === 2, "the second outage");
  alice.keyboard.type("queued again\r");
  await until(
    () => alice.display.text().split("queued until reconnected").length === 3,
    "the second line queued",
  );
  const asked = performance.now();
  alice.keyboard.type("/quit\r");
  assert.equal(await alice.session, EXIT.OK);
  const took = performance.now() - asked;
  assert.ok(took < 500, `quit took ${took.toFixed(0)} ms while disconnected`);
});

Deno.test("interactive client asks for another name when its name was taken during an outage", async () => {
  const hub = new Hub();
  let server = new HubServer(hub, { port: 0 });
  const port = server.port;
  const alice = start(port, "alice");
  await alice.shows("Connected to");
  await server.shutdown();
  await alice.shows("Reconnecting");
  alice.keyboard.type("said while away\r");
  server = new HubServer(new Hub(), { port });
  const thief = await LineClient.login(port, "Alice");
  await alice.shows("Name 'alice' is taken (NAME_TAKEN)");
  await alice.shows("Choose another name");
  alice.keyboard.type("alice2\r");
  await alice.shows("Reconnected as alice2");
  const message = await thief.nextOfType("message");
  assert.deepEqual([message.from, message.text], ["alice2", "said while away"]);
  alice.keyboard.type("\x03"); // Ctrl-C asks once
  await alice.shows("Press Ctrl-C again to quit");
  alice.keyboard.type("\x03");
  assert.equal(await alice.session, EXIT.OK);
  await thief.close();
  await server.shutdown();
});
