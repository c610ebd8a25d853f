/**
 * The client's settings and command from its flags and `CHAT_*` environment variables.
 * @module
 */

import { parseArgs } from "node:util";
import {
  type EnvLookup,
  parseInteger,
  parseRemotePort,
  pick,
  settingName,
  UsageError,
  usageErrorFrom,
} from "./settings.ts";
import { roomArgument } from "./slash_command.ts";
import { withoutTaskSeparator } from "./task_separator.ts";

/** Connection settings shared by every command. */
export interface ClientConfig {
  host: string;
  port: number;
  name: string | undefined;
  downloads: string;
  /** Overwrite existing files when downloading. */
  overwrite: boolean;
  /** One-shot output as JSON lines instead of text. */
  json: boolean;
  /** `--mtu`: the upper bound of path MTU discovery; undefined means 65,507. */
  mtu: number | undefined;
  /** Ring the bell on a private message or a mention (interactive; default true). */
  bell?: boolean;
  /** `--room`: rooms to join before the command, the first where `say` goes (default none). */
  rooms?: string[];
  /**
   * `--tls` or `--ca FILE`: speak TLS, trusting the built-in roots and the PEM certificates in
   * `ca` (a private CA, a self-signed hub), `null` for none; absent or `null`: plaintext.
   */
  tls?: { ca: string | null } | null;
  /** The account password (`CHAT_PASSWORD`, or read from `passwordFile` at start). */
  password?: string;
  /** `--password-file`: the account password is its first line. */
  passwordFile?: string;
  /** A private hub's password (`CHAT_SERVER_PASSWORD`, or from `serverPasswordFile`). */
  serverPassword?: string;
  /** `--server-password-file`: the server password is its first line. */
  serverPasswordFile?: string;
  /** `--allow-insecure-login`: send passwords over plaintext to other hosts too. */
  allowInsecureLogin?: boolean;
}

/** A one-shot command, or an interactive/piped session when `null`. */
export type OneShot =
  | { kind: "users" }
  | { kind: "files" }
  | { kind: "rooms" }
  | { kind: "say"; text: string; room?: string }
  | { kind: "msg"; to: string; text: string }
  | { kind: "whois"; name: string }
  | { kind: "listen" }
  | { kind: "get"; name: string }
  | { kind: "put"; path: string }
  | { kind: "register" };

/** What the command line asks for. */
export type ClientCommand =
  | { kind: "run"; config: ClientConfig; command: OneShot | null }
  | { kind: "help" }
  | { kind: "version" };

/** Usage text of the client. */
export const CLIENT_USAGE = `Usage: chat-client [options] [command]

Without a command: an interactive chat when stdin is a terminal; otherwise each input line
is sent (text to everyone, or a /command), and replies are printed.

Commands:
  users                 list who is online
  files                 list the files the server shares
  rooms                 list the rooms, with their member counts and topics
  say TEXT              send TEXT to the first --room (default #lobby)
  msg NAME TEXT         send TEXT to NAME only
  whois NAME            show since when NAME is online, idle time, rooms and away text
  listen                print every incoming message as one line, its room first, until
                        interrupted
  get FILE              download FILE into the downloads folder
  put PATH              share the file at PATH with the server
  register              register --name with the password from --password-file or
                        CHAT_PASSWORD (asked for on a terminal)

Options (each also read from the environment variable in brackets):
  --host HOST           server address (CHAT_HOST, default 127.0.0.1)
  --port PORT           server TCP port (CHAT_PORT, default 50000)
  --tls                 speak TLS, trusting the built-in root certificates
  --ca FILE             speak TLS, also trusting the PEM certificate(s) in FILE: a private
                        CA, or the hub's own from 'chat-server cert' (CHAT_CA)
  --name NAME           your name (CHAT_NAME); asked for when interactive
  --room ROOM           join ROOM (#dev, or dev) before the command; repeatable
  --downloads DIR       where downloads go (CHAT_DOWNLOADS, default ./downloads)
  --out DIR             the same as --downloads, for get
  --overwrite           replace an existing file when downloading
  --mtu BYTES           largest file-channel datagram, the upper bound of path MTU
                        discovery (CHAT_MTU, default 65507)
  --json                print results, errors and progress as JSON lines
  --no-bell             no bell on a private message or one naming you (interactive)
  --password-file FILE  your account's password is the first line of FILE (else CHAT_PASSWORD;
                        asked for when the name is registered, on a terminal)
  --server-password-file FILE  a private hub's password is the first line of FILE (else
                        CHAT_SERVER_PASSWORD)
  --allow-insecure-login  send passwords over plaintext to a host other than this one
                        (default off: only over TLS or to loopback)
  -h, --help            show this help
  -V, --version         show the version

Exit codes: 0 ok, 1 error, 2 usage, 3 cannot connect, 4 name refused, 5 no such user,
6 no such file, 7 transfer failed, 8 connection lost, 9 TLS refused (not spoken, required,
or a certificate not trusted, for another host or expired), 10 password refused, missing or
locked out, 130 stopped by SIGINT (Ctrl-C), 143 stopped by SIGTERM; piped input exits with
its most serious failure's code.
`;

const ARITY: Record<string, number> = {
  users: 0,
  files: 0,
  rooms: 0,
  say: 1,
  msg: 2,
  whois: 1,
  listen: 0,
  get: 1,
  put: 1,
  register: 0,
};

/** Parses the client's command line; throws `UsageError` with a clear message. */
export function parseClientArgs(args: string[], env: EnvLookup): ClientCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: withoutTaskSeparator(args),
      strict: true,
      allowPositionals: true,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        tls: { type: "boolean" },
        ca: { type: "string" },
        name: { type: "string" },
        room: { type: "string", multiple: true },
        downloads: { type: "string" },
        out: { type: "string" },
        overwrite: { type: "boolean" },
        mtu: { type: "string" },
        json: { type: "boolean" },
        "no-bell": { type: "boolean" },
        "password-file": { type: "string" },
        "server-password-file": { type: "string" },
        "allow-insecure-login": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (error) {
    throw usageErrorFrom(error);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const mtu = pick(values.mtu, env, "CHAT_MTU");
  const ca = pick(values.ca, env, "CHAT_CA") ?? null;
  const config: ClientConfig = {
    host: pick(values.host, env, "CHAT_HOST") ?? "127.0.0.1",
    port: parseRemotePort(
      pick(values.port, env, "CHAT_PORT") ?? "50000",
      settingName(values.port, env, "CHAT_PORT", "port"),
    ),
    name: pick(values.name, env, "CHAT_NAME"),
    downloads: values.out ?? pick(values.downloads, env, "CHAT_DOWNLOADS") ?? "./downloads",
    overwrite: values.overwrite ?? false,
    json: values.json ?? false,
    bell: !(values["no-bell"] ?? false),
    mtu: mtu === undefined ? undefined : parseInteger(
      mtu,
      settingName(values.mtu, env, "CHAT_MTU", "MTU"),
      { min: 1200, max: 65507 },
    ),
    rooms: (values.room ?? []).map(checkedRoom),
    tls: values.tls || ca !== null ? { ca } : null,
    ...secretSettings(values, env),
    ...(values["allow-insecure-login"] ? { allowInsecureLogin: true } : {}),
  };
  const command = parseCommand(positionals);
  const [first] = config.rooms!;
  if (command?.kind === "say" && first !== undefined) command.room = first;
  return { kind: "run", config, command };
}

/** Where the passwords come from: a file flag, else the variable (never a plain flag). */
function secretSettings(
  values: { "password-file"?: string; "server-password-file"?: string },
  env: EnvLookup,
): Pick<ClientConfig, "password" | "passwordFile" | "serverPassword" | "serverPasswordFile"> {
  const password = env("CHAT_PASSWORD");
  const serverPassword = env("CHAT_SERVER_PASSWORD");
  const file = values["password-file"];
  const serverFile = values["server-password-file"];
  return {
    ...(file !== undefined ? { passwordFile: file } : password ? { password } : {}),
    ...(serverFile !== undefined
      ? { serverPasswordFile: serverFile }
      : serverPassword
      ? { serverPassword }
      : {}),
  };
}

/** A `--room` value, refused at once if it breaks the room rules. */
function checkedRoom(typed: string): string {
  const parsed = roomArgument(typed);
  if (!parsed.ok) throw new UsageError(`--room ${typed}: ${parsed.message}`);
  return parsed.room;
}

function parseCommand(words: string[]): OneShot | null {
  const [verb, ...rest] = words;
  if (verb === undefined) return null;
  const arity = Object.hasOwn(ARITY, verb) ? ARITY[verb] : undefined;
  if (arity === undefined) throw new UsageError(`Unknown command '${verb}'`);
  if (rest.length !== arity) {
    throw new UsageError(
      `Command '${verb}' takes ${arity} argument${arity === 1 ? "" : "s"}, got ${rest.length}`,
    );
  }
  const [a = "", b = ""] = rest;
  switch (verb) {
    case "say":
      return { kind: "say", text: a };
    case "msg":
      return { kind: "msg", to: a, text: b };
    case "whois":
      return { kind: "whois", name: a };
    case "get":
      return { kind: "get", name: a };
    case "put":
      return { kind: "put", path: a };
    default:
      return { kind: verb as "users" | "files" | "rooms" | "listen" | "register" };
  }
}
