/**
 * The server's settings from its flags and `CHAT_*` environment variables.
 * @module
 */

import { parseArgs } from "node:util";
import {
  DEFAULT_MAX_CLIENTS,
  DEFAULT_MAX_PER_ADDRESS,
  DEFAULT_RATE_BURST,
  DEFAULT_RATE_PER_SECOND,
  DEFAULT_REPLAY,
  MAX_HISTORY_LIMIT,
} from "../chat/limits.ts";
import { type GrantLimits, MAX_OPEN_FILES, MAX_TRANSFERS } from "../transfer/grant_ledger.ts";
import { withoutTaskSeparator } from "./task_separator.ts";
import {
  type EnvLookup,
  parseChoice,
  parseInteger,
  parsePort,
  pick,
  settingName,
  UsageError,
  usageErrorFrom,
} from "./settings.ts";
import { type AccountsCommand, parseAccountsArgs } from "./accounts_command.ts";

/** File slots kept beyond the transfers, for opens the hub gave up on that have not returned. */
const SPARE_FILES = MAX_OPEN_FILES - MAX_TRANSFERS;

/** Everything the server needs to start. */
export interface ServerConfig {
  host: string;
  port: number;
  udpPort: number;
  files: string;
  maxClients: number;
  /** Most connections at once from one address, loopback included. */
  maxPerAddress: number;
  /** Requests per second per client, or `null` for no limit. */
  rate: { perSecond: number; burst: number } | null;
  log: "text" | "json";
  mtu: number;
  /** Largest upload accepted, in bytes. */
  maxUploadBytes: number;
  /** Most transfers at once across the server (each holds a file descriptor). */
  maxTransfers: number;
  /** TCP port of the IRC listener, 0 for any, `null` for none (the default). */
  ircPort: number | null;
  /** Whether messages are kept and replayed (`--history off`: no database, no Worker). */
  history: boolean;
  /** The data directory, where the message history lives. */
  data: string;
  /** Messages older than this many days are deleted, or `null` to keep them. */
  historyDays: number | null;
  /** Each room and private conversation keeps its newest this many, or `null` for all. */
  historyMax: number | null;
  /** Messages replayed to a user joining a room. */
  replay: number;
  /** PEM files of the certificate and key: the chat port speaks TLS only; `null` for none. */
  tls: { cert: string; key: string } | null;
  /** TCP port of the IRC-over-TLS listener, 0 for any, `null` for none (needs `tls`). */
  ircTlsPort: number | null;
  /** The password every client must give (a private hub), or `null`. */
  serverPassword: string | null;
  /** A file whose first line is the server password (read at start), or `null`. */
  serverPasswordFile: string | null;
  /** Accept passwords over plaintext from other hosts too. */
  allowInsecureLogin: boolean;
}

/** What the command line asks for. */
export type ServerCommand =
  | { kind: "run"; config: ServerConfig }
  | { kind: "cert"; args: string[] }
  | { kind: "accounts"; command: AccountsCommand }
  | { kind: "help" }
  | { kind: "version" };

/** Usage text of the server. */
export const SERVER_USAGE = `Usage: chat-server [options]
       chat-server cert [options]
       chat-server accounts list|remove NAME [--data DIR]

Runs the chat hub on TCP and the file channel on UDP. 'accounts' lists or removes registered
names in the data directory while no hub runs on it.

Options (each also read from the environment variable in brackets):
  --host HOST          address to listen on (CHAT_HOST, default 127.0.0.1)
  --port PORT          TCP port of the chat hub, 0 for any (CHAT_PORT, default 50000)
  --udp-port PORT      UDP port of the file channel, 0 for any (CHAT_UDP_PORT, default: the TCP port)
  --irc-port PORT      also let IRC clients in on this TCP port, 0 for any (CHAT_IRC_PORT,
                       default: off; 6667 is usual); they share the hub's names, rooms and limits
  --tls-cert FILE      PEM certificate (chain): the chat port speaks TLS only (CHAT_TLS_CERT);
                       make one with 'chat-server cert'
  --tls-key FILE       PEM private key of the certificate (CHAT_TLS_KEY)
  --irc-tls-port PORT  also let IRC clients in over TLS on this TCP port, 0 for any
                       (CHAT_IRC_TLS_PORT, default: off; 6697 is usual; needs --tls-cert)
  --files DIR          folder to share (CHAT_FILES, default ./files)
  --max-clients N      most clients at once (CHAT_MAX_CLIENTS, default ${DEFAULT_MAX_CLIENTS})
  --max-per-address N  most connections at once from one address (IPv6: one /64), loopback
                       included (CHAT_MAX_PER_ADDRESS, default ${DEFAULT_MAX_PER_ADDRESS})
  --rate N             requests per second per client, 0 for no limit
                       (CHAT_RATE, default ${DEFAULT_RATE_PER_SECOND}, bursts of twice that)
  --mtu BYTES          largest file-channel datagram the server sends or accepts: path MTU
                       discovery starts at 1200 and searches up to the smallest of this, the
                       client's --mtu and the interface's MTU (CHAT_MTU, default 65507)
  --max-upload BYTES   largest upload accepted (CHAT_MAX_UPLOAD, default 1073741824: 1 GiB)
  --max-transfers N    most transfers at once across the server (CHAT_MAX_TRANSFERS, default
                       ${MAX_TRANSFERS}); each holds an open file: the descriptor limit (ulimit -n)
                       must leave room for N + ${SPARE_FILES} files besides the sockets
  --history on|off     keep messages, replay them on join and answer history requests
                       (CHAT_HISTORY, default on); off keeps no messages (the
                       database then holds the accounts alone)
  --data DIR           data directory, where the message history and accounts are kept
                       (CHAT_DATA, default ./data)
  --history-days N     delete messages older than N days (CHAT_HISTORY_DAYS, default: keep)
  --history-max N      keep the newest N messages of each room and private conversation
                       (CHAT_HISTORY_MAX, default: all)
  --replay N           messages replayed to a user joining a room, 0 to ${MAX_HISTORY_LIMIT}
                       (CHAT_REPLAY, default ${DEFAULT_REPLAY})
  --server-password PW  every client must give this password: a private hub
                       (CHAT_SERVER_PASSWORD, default: none)
  --server-password-file FILE  the same, read from the first line of FILE
                       (CHAT_SERVER_PASSWORD_FILE)
  --allow-insecure-login  accept passwords over plaintext connections from other hosts too,
                       not only over TLS or from loopback (default off)
  --log text|json      log format on stderr (CHAT_LOG, default text)
  -h, --help           show this help
  -V, --version        show the version

Commands:
  cert                 make a key and a self-signed certificate for a LAN
                       ('chat-server cert --help' for its options)
`;

/** Parses the server's command line; throws `UsageError` with a clear message. */
export function parseServerArgs(args: string[], env: EnvLookup): ServerCommand {
  const given = withoutTaskSeparator(args);
  // `deno task cert -- --help` puts the task's separator after the command's name.
  if (given[0] === "cert") return { kind: "cert", args: withoutTaskSeparator(given.slice(1)) };
  if (given[0] === "accounts") {
    const rest = withoutTaskSeparator(given.slice(1));
    return { kind: "accounts", command: parseAccountsArgs(rest, env) };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: given,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "udp-port": { type: "string" },
        "irc-port": { type: "string" },
        "irc-tls-port": { type: "string" },
        "tls-cert": { type: "string" },
        "tls-key": { type: "string" },
        files: { type: "string" },
        "max-clients": { type: "string" },
        "max-per-address": { type: "string" },
        rate: { type: "string" },
        mtu: { type: "string" },
        "max-upload": { type: "string" },
        "max-transfers": { type: "string" },
        log: { type: "string" },
        history: { type: "string" },
        data: { type: "string" },
        "history-days": { type: "string" },
        "history-max": { type: "string" },
        replay: { type: "string" },
        "server-password": { type: "string" },
        "server-password-file": { type: "string" },
        "allow-insecure-login": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    }));
  } catch (error) {
    throw usageErrorFrom(error);
  }
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const flag = (name: string) => values[name] as string | undefined;
  const port = parsePort(
    pick(flag("port"), env, "CHAT_PORT") ?? "50000",
    settingName(flag("port"), env, "CHAT_PORT", "port"),
  );
  const udpPort = pick(flag("udp-port"), env, "CHAT_UDP_PORT");
  const ircPort = pick(flag("irc-port"), env, "CHAT_IRC_PORT");
  const rate = parseInteger(
    pick(flag("rate"), env, "CHAT_RATE") ?? String(DEFAULT_RATE_PER_SECOND),
    "rate",
    { min: 0, max: 1_000_000 },
  );
  return {
    kind: "run",
    config: {
      host: pick(flag("host"), env, "CHAT_HOST") ?? "127.0.0.1",
      port,
      udpPort: udpPort === undefined ? port : parsePort(udpPort, "UDP port"),
      ircPort: ircPort === undefined ? null : parsePort(ircPort, "IRC port"),
      files: pick(flag("files"), env, "CHAT_FILES") ?? "./files",
      maxClients: parseInteger(
        pick(flag("max-clients"), env, "CHAT_MAX_CLIENTS") ?? String(DEFAULT_MAX_CLIENTS),
        "max clients",
        { min: 1, max: 1_000_000 },
      ),
      maxPerAddress: parseInteger(
        pick(flag("max-per-address"), env, "CHAT_MAX_PER_ADDRESS") ??
          String(DEFAULT_MAX_PER_ADDRESS),
        "max per address",
        { min: 1, max: 1_000_000 },
      ),
      rate: rate === 0 ? null : {
        perSecond: rate,
        burst: rate === DEFAULT_RATE_PER_SECOND ? DEFAULT_RATE_BURST : 2 * rate,
      },
      log: parseChoice(pick(flag("log"), env, "CHAT_LOG") ?? "text", "log format", [
        "text",
        "json",
      ]),
      maxUploadBytes: parseInteger(
        pick(flag("max-upload"), env, "CHAT_MAX_UPLOAD") ?? String(1024 ** 3),
        "max upload",
        { min: 0, max: Number.MAX_SAFE_INTEGER },
      ),
      mtu: parseInteger(pick(flag("mtu"), env, "CHAT_MTU") ?? "65507", "MTU", {
        min: 1200,
        max: 65507,
      }),
      maxTransfers: parseInteger(
        pick(flag("max-transfers"), env, "CHAT_MAX_TRANSFERS") ?? String(MAX_TRANSFERS),
        "max transfers",
        { min: 1, max: 1_000_000 },
      ),
      ...historySettings(flag, env),
      ...tlsSettings(flag, env),
      ...passwordSettings(flag, env, values["allow-insecure-login"] === true),
    },
  };
}

/** The TLS flags: both files or neither, and an IRC TLS port only with them. */
function tlsSettings(
  flag: (name: string) => string | undefined,
  env: EnvLookup,
): Pick<ServerConfig, "tls" | "ircTlsPort"> {
  const cert = pick(flag("tls-cert"), env, "CHAT_TLS_CERT");
  const key = pick(flag("tls-key"), env, "CHAT_TLS_KEY");
  const ircTlsPort = pick(flag("irc-tls-port"), env, "CHAT_IRC_TLS_PORT");
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError("--tls-cert and --tls-key go together: give both or neither");
  }
  if (ircTlsPort !== undefined && cert === undefined) {
    throw new UsageError("--irc-tls-port needs --tls-cert and --tls-key");
  }
  return {
    tls: cert === undefined || key === undefined ? null : { cert, key },
    ircTlsPort: ircTlsPort === undefined ? null : parsePort(ircTlsPort, "IRC TLS port"),
  };
}

/**
 * The warning for a server that others can reach without TLS (its `--host` is not loopback),
 * or `null` when it is loopback only or speaks TLS.
 */
export function plaintextWarning(
  config: Pick<ServerConfig, "host" | "tls" | "ircPort">,
): string | null {
  if (isLoopbackHost(config.host)) return null;
  if (config.tls === null) {
    return `Listening on ${config.host} without TLS: names, messages and file grants cross ` +
      "the network in plaintext (give --tls-cert and --tls-key; 'chat-server cert' makes them)";
  }
  if (config.ircPort === null) return null;
  return `The IRC port on ${config.host} is plaintext: IRC clients' lines cross the network ` +
    "unencrypted (use --irc-tls-port instead of --irc-port)";
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The history flags: on or off, the data directory, retention and replay. */
function historySettings(
  flag: (name: string) => string | undefined,
  env: EnvLookup,
): Pick<ServerConfig, "history" | "data" | "historyDays" | "historyMax" | "replay"> {
  const days = pick(flag("history-days"), env, "CHAT_HISTORY_DAYS");
  const max = pick(flag("history-max"), env, "CHAT_HISTORY_MAX");
  const history = pick(flag("history"), env, "CHAT_HISTORY") ?? "on";
  return {
    history: parseChoice(history, "history", ["on", "off"]) === "on",
    data: pick(flag("data"), env, "CHAT_DATA") ?? "./data",
    historyDays: days === undefined
      ? null
      : parseInteger(days, "history days", { min: 1, max: 1_000_000 }),
    historyMax: max === undefined
      ? null
      : parseInteger(max, "history max", { min: 1, max: Number.MAX_SAFE_INTEGER }),
    replay: parseInteger(
      pick(flag("replay"), env, "CHAT_REPLAY") ?? String(DEFAULT_REPLAY),
      "replay",
      { min: 0, max: MAX_HISTORY_LIMIT },
    ),
  };
}

/** The password flags: the server password (given or from a file) and the plaintext rule. */
function passwordSettings(
  flag: (name: string) => string | undefined,
  env: EnvLookup,
  allowInsecureLogin: boolean,
): Pick<ServerConfig, "serverPassword" | "serverPasswordFile" | "allowInsecureLogin"> {
  const serverPassword = pick(flag("server-password"), env, "CHAT_SERVER_PASSWORD") ?? null;
  const file = pick(flag("server-password-file"), env, "CHAT_SERVER_PASSWORD_FILE") ?? null;
  if (serverPassword !== null && file !== null) {
    throw new UsageError("Give the server password or its file, not both");
  }
  if (serverPassword === "") throw new UsageError("The server password is empty");
  return { serverPassword, serverPasswordFile: file, allowInsecureLogin };
}

/**
 * The grant limits for `--max-transfers N`: N transfers, and file slots for them plus the spare
 * the defaults keep (`MAX_OPEN_FILES` − `MAX_TRANSFERS`).
 */
export function transferLimits(maxTransfers: number): Pick<GrantLimits, "transfers" | "openFiles"> {
  return { transfers: maxTransfers, openFiles: maxTransfers + SPARE_FILES };
}
