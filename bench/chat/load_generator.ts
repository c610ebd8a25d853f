/**
 * The load generator process: simulated chat users driven by commands on stdin, one JSON
 * reply per command on stdout. It runs apart from the server so the two never share an
 * event loop. Usage: `deno run --allow-net --allow-read bench/chat/load_generator.ts`.
 * @module
 */

import { ClientPool } from "./client_pool.ts";
import type { Dialect } from "./dialect.ts";
import { runFanout } from "./fanout_phase.ts";
import { type GeneratorCommand, type GeneratorReply, parseCommand } from "./generator_messages.ts";
import { hubDialect } from "./hub_dialect.ts";
import { ircDialect, ircEchoDialect } from "./irc_dialect.ts";
import { runLatency } from "./latency_phase.ts";
import { LineScanner } from "./line_scanner.ts";
import { setUp } from "./setup_phase.ts";

const utf8 = new TextEncoder();
const DIALECTS: Record<string, Dialect> = {
  hub: hubDialect,
  irc: ircDialect,
  "irc-echo": ircEchoDialect,
};

/** Serves commands from stdin until `quit` or end of input. */
export async function serveCommands(): Promise<void> {
  const scanner = new LineScanner();
  const buffer = new Uint8Array(64 * 1024);
  const decoder = new TextDecoder();
  let pool: ClientPool | null = null;
  for (;;) {
    const n = await Deno.stdin.read(buffer);
    if (n === null) break;
    const lines: string[] = [];
    scanner.split(buffer.subarray(0, n), (line) => lines.push(decoder.decode(line)));
    for (const line of lines) {
      const command = parseCommand(line);
      if ("error" in command) {
        await reply({ ok: false, error: command.error });
        continue;
      }
      if (command.cmd === "quit") {
        pool?.closeAll();
        return await reply({ ok: true, report: null });
      }
      try {
        pool ??= newPool(command);
        await reply({ ok: true, report: await execute(pool, command) });
      } catch (error) {
        await reply({ ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  pool?.closeAll();
}

function newPool(command: GeneratorCommand): ClientPool {
  if (command.cmd !== "setup") throw new TypeError("The first command must be 'setup'");
  return new ClientPool(DIALECTS[command.dialect]!, command.port, {
    serverPid: command.serverPid > 0 ? command.serverPid : null,
    senders: command.senders,
    ...(command.caCert === undefined ? {} : { caCert: command.caCert }),
  });
}

function execute(pool: ClientPool, command: Exclude<GeneratorCommand, { cmd: "quit" }>) {
  switch (command.cmd) {
    case "setup":
      if (pool.clients.length > 0) throw new TypeError("Users are already set up");
      return setUp(pool, command);
    case "fanout":
      return runFanout(pool, command);
    case "latency":
      return runLatency(pool, command);
  }
}

async function reply(message: GeneratorReply): Promise<void> {
  const bytes = utf8.encode(JSON.stringify(message) + "\n");
  for (let at = 0; at < bytes.length;) at += await Deno.stdout.write(bytes.subarray(at));
}

if (import.meta.main) {
  await serveCommands();
  // Sockets closed by closeAll may still hold pending reads: leave without waiting for them.
  Deno.exit(0);
}
