/**
 * chat-client: interactive chat on a terminal, or one-shot and piped commands for scripts.
 * @module
 */

import {
  CLIENT_USAGE,
  type ClientConfig,
  type OneShot,
  parseClientArgs,
} from "./lib/cli/client_config.ts";
import { readConfiguredSecrets } from "./lib/cli/login_secrets.ts";
import { consolePrinter } from "./lib/cli/console_printer.ts";
import { EXIT } from "./lib/cli/exit_codes.ts";
import type { StopSignal } from "./lib/cli/one_shot.ts";
import { UsageError } from "./lib/cli/settings.ts";
import { VERSION } from "./lib/cli/version.ts";

// The terminal UI, the scripted runner and what they import are loaded only by the run that uses
// them: a one-shot command starts sooner without the line editor, `--version` without either.
// The specifiers are literal, so `deno compile` sees and includes them.

async function main(args: string[]): Promise<number> {
  let command;
  try {
    command = parseClientArgs(args, (name) => Deno.env.get(name));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`chat-client: ${error.message}\nTry 'chat-client --help'.`);
    return EXIT.USAGE;
  }
  if (command.kind === "help") return console.log(CLIENT_USAGE), EXIT.OK;
  if (command.kind === "version") return console.log(`chat-client ${VERSION}`), EXIT.OK;
  const secrets = await readSecrets(command.config, command.command);
  if (typeof secrets === "string") {
    console.error(`chat-client: ${secrets}`);
    return EXIT.USAGE;
  }
  const config = secrets;
  // Line editing needs a terminal on both sides; otherwise input is read line by line.
  if (command.command === null && Deno.stdin.isTerminal() && Deno.stdout.isTerminal()) {
    const [{ runInteractive }, { colorEnabled }] = await Promise.all([
      import("./lib/cli/interactive.ts"),
      import("./lib/tui/style.ts"),
    ]);
    return await runInteractive(config, { color: colorEnabled(Deno.env, true) });
  }
  const { runScripted } = await import("./lib/cli/one_shot.ts");
  return await runScripted(config, command.command, {
    printer: consolePrinter({
      out: (text) => writeAll(Deno.stdout, text),
      err: (text) => writeAll(Deno.stderr, text),
      errIsTerminal: Deno.stderr.isTerminal(),
      columns,
    }),
    interrupted: interrupted(),
  });
}

/**
 * The config with its passwords read from their files; for a one-shot `register` on a terminal
 * with none given, the password asked for twice with nothing shown. A string says what failed.
 */
async function readSecrets(config: ClientConfig, command: OneShot | null) {
  const read = await readConfiguredSecrets(config);
  if (typeof read === "string" || read.password !== undefined) return read;
  if (command?.kind !== "register" || !Deno.stdin.isTerminal()) return read;
  const { Terminal } = await import("./lib/tui/terminal.ts");
  const terminal = new Terminal({ prompt: "" });
  try {
    const first = await terminal.readSecret("New password: ");
    const again = first === null ? null : await terminal.readSecret("New password again: ");
    if (first === null || again === null) return "Cancelled: nothing registered";
    if (first !== again) return "The two passwords differ: nothing registered";
    return { ...read, password: first };
  } finally {
    terminal.close();
  }
}

/** Writes all of `text`; a closed pipe (`| head`) is ignored, as console.log does. */
function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = new TextEncoder().encode(text);
  try {
    for (let at = 0; at < bytes.length;) at += stream.writeSync(bytes.subarray(at));
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

function columns(): number {
  try {
    return Deno.consoleSize().columns || 80;
  } catch {
    return 80;
  }
}

/** Resolves with the first SIGINT or SIGTERM; the run then stops itself (130 or 143). */
function interrupted(): Promise<StopSignal> {
  const { promise, resolve } = Promise.withResolvers<StopSignal>();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => resolve(signal));
  }
  return promise;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
