/**
 * chat-server: the TCP chat hub and the UDP file channel.
 * Parses settings, wires the hub to its drivers, and shuts down cleanly on SIGINT/SIGTERM.
 * @module
 */

import { Hub } from "./lib/chat/hub.ts";
import type { HubAction, LogRecord } from "./lib/chat/hub_types.ts";
import type { AccountResult } from "./lib/chat/hub_accounts.ts";
import type { ServerMessage } from "./lib/chat/events.ts";
import { SharedFolder } from "./lib/files/shared_folder.ts";
import { HubServer } from "./lib/net/hub_server.ts";
import { ServerTransfers } from "./lib/transfer/server_transfers.ts";
import { stderrLogger } from "./lib/cli/logger.ts";
import {
  parseServerArgs,
  plaintextWarning,
  SERVER_USAGE,
  type ServerConfig,
  transferLimits,
} from "./lib/cli/server_config.ts";
import { CERT_USAGE, parseCertArgs, runCert } from "./lib/cli/cert_command.ts";
import { loadKeyPair } from "./lib/net/tls_files.ts";
import { TlsStartError, tlsStartError } from "./lib/net/tls_errors.ts";
import { UsageError } from "./lib/cli/settings.ts";
import { VERSION } from "./lib/cli/version.ts";
import { carryOutHistory } from "./lib/store/history_actions.ts";
import { openHistory } from "./lib/store/open_history.ts";
import type { HistoryClient } from "./lib/store/history_client.ts";
import { carryOutAccount } from "./lib/store/account_actions.ts";
import { type AccountStore, SqliteAccountStore } from "./lib/store/account_store.ts";
import { runAccountsCommand } from "./lib/cli/accounts_command.ts";
import { readSecretFile } from "./lib/cli/secret_file.ts";

/** Exit code of a start refused because the history cannot be used (its code is printed). */
const EXIT_HISTORY = 3;
/** Exit code of a start refused because the TLS certificate or key cannot be used (code printed). */
const EXIT_TLS = 4;

async function main(args: string[]): Promise<number> {
  let command;
  try {
    command = parseServerArgs(args, (name) => Deno.env.get(name));
    if (command.kind === "cert") return await cert(command.args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`chat-server: ${error.message}\nTry 'chat-server --help'.`);
    return 2;
  }
  if (command.kind === "help") return console.log(SERVER_USAGE), 0;
  if (command.kind === "version") return console.log(`chat-server ${VERSION}`), 0;
  if (command.kind === "accounts") {
    return await runAccountsCommand(command.command, {
      out: (line) => console.log(line),
      error: (line) => console.error(line),
    });
  }
  return await serve(command.config);
}

/** `chat-server cert`: makes a key and a certificate (a `UsageError` for bad flags). */
async function cert(args: string[]): Promise<number> {
  const options = parseCertArgs(args);
  if (options === "help") return console.log(CERT_USAGE), 0;
  try {
    for (const line of await runCert(new Date(), options)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      return fail(`${describe(error)}: give --force to replace the files`);
    }
    return fail(`Cannot write the key and certificate: ${describe(error)}`);
  }
}

async function serve(config: ServerConfig): Promise<number> {
  const log = stderrLogger(config.log);
  const warning = plaintextWarning(config);
  if (warning !== null) log({ level: "warn", event: "plaintext", detail: warning });
  let tls;
  try {
    tls = config.tls === null ? null : await loadKeyPair(config.tls);
  } catch (error) {
    if (!(error instanceof TlsStartError)) throw error;
    return fail(`${error.message} (${error.code})`, EXIT_TLS);
  }
  const folder = new SharedFolder(config.files);
  try {
    if (!(await Deno.stat(folder.path)).isDirectory) throw new Error("not a folder");
  } catch (error) {
    return fail(`Cannot share '${config.files}': ${describe(error)}`);
  }
  // Opened and checked before the hub listens: an unusable database is refused at start.
  let store: HistoryClient | null = null;
  if (config.history) {
    const opened = await openHistory(config, log);
    if (!opened.ok) return fail(opened.message, EXIT_HISTORY);
    store = opened.store;
  }
  const secrets = await openAccounts(config, store !== null);
  if (!secrets.ok) return await store?.close(), fail(secrets.message, EXIT_HISTORY);
  const { accounts, registered, serverPassword } = secrets;
  if (config.allowInsecureLogin) {
    log({ level: "warn", event: "insecure_login", detail: "passwords accepted over plaintext" });
  }
  let server: HubServer;
  let transfers: ServerTransfers | undefined;
  try {
    const hub = new Hub({
      maxClients: config.maxClients,
      maxPerAddress: config.maxPerAddress,
      rate: config.rate,
      // Deadlines run on the monotonic clock the driver passes; only `ts` reads this one.
      wallClock: () => Date.now(),
      history: store === null
        ? null
        : { nextId: store.lastId + 1, replay: config.replay, rooms: store.rooms },
      accounts: { registered },
      serverPassword,
      allowInsecureLogin: config.allowInsecureLogin,
    });
    const reply = (conn: number, message: ServerMessage) =>
      server.run((hub, now) => hub.reply(conn, message, now));
    server = new HubServer(hub, {
      hostname: config.host,
      port: config.port,
      ...(config.ircPort === null ? {} : { ircPort: config.ircPort }),
      ...(tls === null ? {} : { tls: tls.pair }),
      ...(config.ircTlsPort === null ? {} : { ircTlsPort: config.ircTlsPort }),
      log,
      onAction: (action) => {
        if (action.kind === "store" || action.kind === "history" || action.kind === "room") {
          return store === null ? undefined : carryOutHistory(store, action, { reply, log });
        }
        if (
          action.kind === "authenticate" || action.kind === "register" ||
          action.kind === "change_password"
        ) {
          const done = (result: AccountResult) =>
            server.run((hub, now) => hub.accountDone(result, now));
          return carryOutAccount(accounts, action, { done, log });
        }
        return action.kind === "files"
          ? listFiles(action, folder, server)
          : transfers?.handle(action);
      },
    });
  } catch (error) {
    accounts.close();
    await store?.close();
    const refused = config.tls === null ? null : tlsStartError(error, config.tls);
    if (refused !== null) return fail(`${refused.message} (${refused.code})`, EXIT_TLS);
    const ports = [config.port, config.ircPort, config.ircTlsPort].filter((p) => p !== null);
    return fail(`Cannot listen on ${config.host}:${ports.join(" or ")}: ${describe(error)}`);
  }
  try {
    transfers = openTransfers(config, folder, server, log);
  } catch (error) {
    await server.shutdown();
    accounts.close();
    await store?.close();
    return fail(`Cannot open UDP port ${config.udpPort}: ${describe(error)}`);
  }
  log({
    level: "info",
    event: "listening",
    detail: `${config.host}:${server.port}${server.secure ? " tls" : ""} udp ${transfers.port}` +
      (server.ircPort === null ? "" : ` irc ${server.ircPort}`) +
      (server.ircTlsPort === null ? "" : ` irc-tls ${server.ircTlsPort}`) +
      ` sharing ${folder.path}`,
  });
  if (tls !== null) log({ level: "info", event: "tls", detail: tls.summary });
  const signal = await nextSignal();
  log({ level: "info", event: "shutdown", detail: signal });
  await server.shutdown("Server is shutting down");
  await transfers.close();
  accounts.close();
  // After the hub has stopped: every message it relayed is written before the exit.
  const lost = (await store?.close()) ?? 0;
  if (lost > 0) return fail(`History lost ${lost} messages: the last writes failed`);
  return 0;
}

/**
 * The accounts in the data directory, the names registered, and the server password (read from
 * its file if given so). With the history open, a second connection to its database (whose
 * schema the history has migrated); with `--history off`, the database is opened for the
 * accounts alone, so that registered names stay their owners' either way.
 */
async function openAccounts(config: ServerConfig, historyOpen: boolean): Promise<
  | { ok: true; accounts: AccountStore; registered: string[]; serverPassword: string | null }
  | { ok: false; message: string }
> {
  let serverPassword = config.serverPassword;
  if (config.serverPasswordFile !== null) {
    const read = await readSecretFile(config.serverPasswordFile, "server password");
    if (!read.ok) return read;
    serverPassword = read.secret;
  }
  let accounts: AccountStore;
  try {
    accounts = historyOpen
      ? SqliteAccountStore.attach(config.data)
      : SqliteAccountStore.open(config.data);
  } catch (error) {
    return { ok: false, message: `Cannot use accounts in '${config.data}': ${describe(error)}` };
  }
  try {
    const registered = (await accounts.list()).map((account) => account.name);
    return { ok: true, accounts, registered, serverPassword };
  } catch (error) {
    accounts.close();
    return { ok: false, message: `Cannot read accounts in '${config.data}': ${describe(error)}` };
  }
}

function openTransfers(
  config: ServerConfig,
  folder: SharedFolder,
  server: HubServer,
  log: (r: LogRecord) => void,
) {
  return new ServerTransfers({
    folder,
    hostname: config.host,
    // The default UDP port is the TCP one, also when the TCP port was picked by the system.
    port: config.udpPort === config.port ? server.port : config.udpPort,
    maxDatagramBytes: config.mtu,
    maxUploadBytes: config.maxUploadBytes,
    limits: transferLimits(config.maxTransfers),
    reply: (conn, message) => server.run((hub, now) => hub.reply(conn, message, now)),
    announce: (message) => server.run((hub, now) => hub.announce(message, now)),
    log,
  });
}

function listFiles(
  action: HubAction & { kind: "files" },
  folder: SharedFolder,
  server: HubServer,
): void {
  const re = action.re === undefined ? {} : { re: action.re };
  folder.list().then(
    (files) =>
      server.run((hub, now) => hub.reply(action.conn, { type: "files", ...re, files }, now)),
    (error) => {
      const message = `Cannot list files: ${describe(error)}`;
      server.run((hub, now) =>
        hub.reply(action.conn, { type: "error", ...re, code: "NO_SUCH_FILE", message }, now)
      );
    },
  );
}

/** Resolves with the name of the first SIGINT or SIGTERM, then stops listening for them. */
function nextSignal(): Promise<string> {
  const { promise, resolve } = Promise.withResolvers<string>();
  const signals = ["SIGINT", "SIGTERM"] as const;
  const handlers = signals.map((signal) => [signal, () => resolve(signal)] as const);
  for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);
  return promise.finally(() => {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  });
}

function fail(message: string, code = 1): number {
  console.error(`chat-server: ${message}`);
  return code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
