/**
 * What the interactive-client tests share: a real hub on a free port, an interactive client on
 * a fake terminal whose screen is read back, and the configuration a test client runs with.
 */
import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ClientConfig } from "../../lib/cli/client_config.ts";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { runInteractive } from "../../lib/cli/interactive.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { FakeInput, FakeOutput } from "../tui/_fake_terminal.ts";

/** An interactive client under test. */
export interface Chat {
  input: FakeInput;
  output: FakeOutput;
  done: Promise<number>;
  lines(): string[];
  /** Waits (up to 5 s) until a screen line matches, and returns it. */
  shows(pattern: RegExp): Promise<string>;
  /** The last screen line: the prompt and what is typed. */
  prompt(): string;
}

/** The configuration of a test client of the hub on `port`. */
export function testConfig(port: number, name: string | undefined): ClientConfig {
  return {
    host: "127.0.0.1",
    port,
    name,
    downloads: "downloads",
    overwrite: false,
    json: false,
    mtu: undefined,
  };
}

/** Options of {@linkcode startChat}. */
export interface ChatOptions {
  width?: number;
  bell?: boolean;
  /** What `XDG_CONFIG_HOME` says (settings and history files); unset by default. */
  configHome?: string;
}

/** Starts an interactive client as `name` on a fake terminal. */
export function startChat(port: number, name: string, options: ChatOptions = {}): Chat {
  const width = options.width ?? 80;
  const input = new FakeInput();
  const output = new FakeOutput(Infinity, width);
  const config = {
    ...testConfig(port, name),
    ...(options.bell === undefined ? {} : { bell: options.bell }),
  };
  const done = runInteractive(config, {
    color: false,
    env: (variable) => variable === "XDG_CONFIG_HOME" ? options.configHome : undefined,
    terminal: { input, output, width: () => width, onResize: () => () => {} },
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

/** Runs `test` against a hub without a chat rate limit, then shuts the hub down. */
export async function withHub(test: (port: number) => Promise<void>): Promise<void> {
  const server = new HubServer(new Hub({ rate: null }), { port: 0 });
  try {
    await test(server.port);
  } finally {
    await server.shutdown();
  }
}

/** Types `/quit` and checks the client ends with `EXIT.OK`. */
export async function quit(chat: Chat): Promise<void> {
  chat.input.push("/quit\r");
  assert.equal(await chat.done, EXIT.OK);
}
