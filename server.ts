/**
 * chat-server: the TCP chat hub and the UDP file channel.
 * Parses settings, wires the hub to its drivers, and shuts down cleanly on SIGINT/SIGTERM.
 * @module
 */

import { Hub } from "./lib/chat/hub.ts";
import type { HubAction } from "./lib/chat/hub_types.ts";
import { FileAccessError, SharedFolder } from "./lib/files/shared_folder.ts";
import { HubServer } from "./lib/net/hub_server.ts";
import { stderrLogger } from "./lib/cli/logger.ts";
import { parseServerArgs, SERVER_USAGE, type ServerConfig } from "./lib/cli/server_config.ts";
import { UsageError } from "./lib/cli/settings.ts";
import { VERSION } from "./lib/cli/version.ts";

async function main(args: string[]): Promise<number> {
  let command;
  try {
    command = parseServerArgs(args, (name) => Deno.env.get(name));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`chat-server: ${error.message}\nTry 'chat-server --help'.`);
    return 2;
  }
  if (command.kind === "help") return console.log(SERVER_USAGE), 0;
  if (command.kind === "version") return console.log(`chat-server ${VERSION}`), 0;
  return await serve(command.config);
}

async function serve(config: ServerConfig): Promise<number> {
  const log = stderrLogger(config.log);
  const folder = new SharedFolder(config.files);
  try {
    if (!(await Deno.stat(folder.path)).isDirectory) throw new Error("not a folder");
  } catch (error) {
    console.error(`chat-server: Cannot share '${config.files}': ${describe(error)}`);
    return 1;
  }
  const hub = new Hub({ maxClients: config.maxClients, rate: config.rate });
  let server: HubServer;
  try {
    server = new HubServer(hub, {
      hostname: config.host,
      port: config.port,
      log,
      onAction: (action) => handleAction(action, folder, server),
    });
  } catch (error) {
    console.error(
      `chat-server: Cannot listen on ${config.host}:${config.port}: ${describe(error)}`,
    );
    return 1;
  }
  log({
    level: "info",
    event: "listening",
    detail: `${config.host}:${server.port} sharing ${folder.path}`,
  });
  const stopped = Promise.withResolvers<string>();
  const signals = ["SIGINT", "SIGTERM"] as const;
  const onSignal = (signal: string) => () => stopped.resolve(signal);
  const handlers = signals.map((signal) => {
    const handler = onSignal(signal);
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  const signal = await stopped.promise;
  log({ level: "info", event: "shutdown", detail: signal });
  await server.shutdown("Server is shutting down");
  for (const [name, handler] of handlers) Deno.removeSignalListener(name, handler);
  return 0;
}

function handleAction(action: HubAction, folder: SharedFolder, server: HubServer): void {
  const re = "re" in action && action.re !== undefined ? { re: action.re } : {};
  switch (action.kind) {
    case "files":
      folder.list().then(
        (files) =>
          server.run((hub, now) => hub.reply(action.conn, { type: "files", ...re, files }, now)),
        (error) =>
          server.run((hub, now) =>
            hub.reply(action.conn, {
              type: "error",
              ...re,
              code: "NO_SUCH_FILE",
              message: `Cannot list files: ${describe(error)}`,
            }, now)
          ),
      );
      return;
    case "get":
    case "put":
      server.run((hub, now) =>
        hub.reply(action.conn, {
          type: "error",
          ...re,
          code: "TRANSFER_REFUSED",
          message: "File transfers are not available on this server",
        }, now)
      );
      return;
  }
}

function describe(error: unknown): string {
  if (error instanceof FileAccessError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
