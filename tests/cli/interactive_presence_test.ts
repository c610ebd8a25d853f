/**
 * Presence in the interactive client as users see it: a real hub, two interactive clients
 * (keys fed to fake terminals, screens read back) and a raw one.
 */
import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ClientConfig } from "../../lib/cli/client_config.ts";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { runInteractive } from "../../lib/cli/interactive.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { LineClient } from "../net/_line_client.ts";
import { FakeInput, FakeOutput } from "../tui/_fake_terminal.ts";

const WIDTH = 100;

interface Chat {
  input: FakeInput;
  output: FakeOutput;
  done: Promise<number>;
  lines(): string[];
  shows(pattern: RegExp): Promise<string>;
  /** The last screen line: the prompt and what is typed. */
  prompt(): string;
}

function startChat(port: number, name: string): Chat {
  const input = new FakeInput();
  const output = new FakeOutput(Infinity, WIDTH);
  const config: ClientConfig = {
    host: "127.0.0.1",
    port,
    name,
    downloads: "downloads",
    overwrite: false,
    json: false,
    mtu: undefined,
  };
  const done = runInteractive(config, {
    color: false,
    env: () => undefined,
    terminal: { input, output, width: () => WIDTH, onResize: () => () => {} },
  });
  const lines = () => output.screen().lines();
  const shows = async (pattern: RegExp) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = lines().find((line) => pattern.test(line));
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`No ${pattern} on screen:\n${lines().join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { input, output, done, lines, shows, prompt: () => lines().at(-1) ?? "" };
}

/** A raw client speaking protocol 2, in `rooms` besides #lobby. */
async function member(port: number, name: string, rooms: string[]): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.nextOfType("hello");
  await client.send({ type: "login", id: "login", name, protocol: 2 });
  await client.next((m) => m.re === "login");
  for (const room of rooms) {
    await client.send({ type: "join", id: room, room });
    await client.next((m) => m.re === room);
  }
  return client;
}

async function withHub(test: (port: number) => Promise<void>): Promise<void> {
  const server = new HubServer(new Hub({ rate: null }), { port: 0 });
  try {
    await test(server.port);
  } finally {
    await server.shutdown();
  }
}

async function quit(chat: Chat): Promise<void> {
  chat.input.push("/quit\r");
  assert.equal(await chat.done, EXIT.OK);
}

Deno.test("interactive /nick renames the user: both screens say so and the prompt follows", async () => {
  await withHub(async (port) => {
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    const bob = startChat(port, "bob");
    await bob.shows(/^Connected to/);
    alice.input.push("/nick Alicia\r");
    await alice.shows(/^You are now known as Alicia$/);
    await bob.shows(/alice is now known as Alicia$/);
    assert.equal(alice.prompt(), "Alicia #lobby>");
    alice.input.push("hi\r");
    await bob.shows(/<Alicia> hi$/);
    alice.input.push("/nick bob\r");
    await alice.shows(/Name 'bob' is taken \(NAME_TAKEN\)$/);
    await quit(bob);
    await quit(alice);
  });
});

Deno.test("interactive /away and /whois: others see the away text, then the user back", async () => {
  await withHub(async (port) => {
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    const bob = startChat(port, "bob");
    await bob.shows(/^Connected to/);
    alice.input.push("/away lunch\r");
    await alice.shows(/^You are marked as away: lunch$/);
    await bob.shows(/alice is away: lunch$/);
    bob.input.push("/whois ALICE\r");
    await bob.shows(/^ {2}away {3}lunch$/);
    await bob.shows(/^ {2}rooms {2}#lobby$/);
    await bob.shows(/^ {2}idle {3}\d+s$/);
    bob.input.push("/msg alice are you there?\r");
    await bob.shows(/^alice is away: lunch$/);
    alice.input.push("/away\r");
    await alice.shows(/^You are back$/);
    await bob.shows(/alice is back$/);
    bob.input.push("/whois nobody\r");
    await bob.shows(/No user named 'nobody' \(NO_SUCH_USER\)$/);
    await quit(bob);
    await quit(alice);
  });
});

Deno.test("interactive /quit MESSAGE shows the message to the others", async () => {
  await withHub(async (port) => {
    const bob = await member(port, "bob", []);
    const alice = startChat(port, "alice");
    await alice.shows(/^Connected to/);
    alice.input.push("/quit see you tomorrow\r");
    assert.equal(await alice.done, EXIT.OK);
    const leave = await bob.next((m) => m.type === "leave");
    assert.equal(leave.text, "see you tomorrow");
    await bob.close();
  });
});
