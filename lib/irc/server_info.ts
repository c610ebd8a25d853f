/**
 * What the gateway tells IRC clients about itself: names, limits, the welcome burst (001–005
 * with ISUPPORT) and the message of the day.
 * @module
 */

import { MAX_NAME_CHARS } from "../chat/names.ts";
import {
  DEFAULT_ROOM_NAME_CHARS,
  DEFAULT_TOPIC_CHARS,
  MAX_HISTORY_MESSAGES,
  MAX_TARGETS,
} from "./limits.ts";

/** The gateway's identity and the hub's limits, as IRC clients are told them. */
export interface ServerInfo {
  /** The server name, the source of numerics (default `deno-chat`). */
  name: string;
  /** The version in 002 and 004 (default `0.1.0`). */
  version: string;
  /** The network name in ISUPPORT (default `deno-chat`). */
  network: string;
  /** Longest nick, in characters (default the hub's `MAX_NAME_CHARS`). */
  nickLen: number;
  /** Longest room name, in characters, the `#` excluded. */
  roomNameLen: number;
  /** Longest topic, in characters. */
  topicLen: number;
  /** The message of the day, one line per entry; empty for none (422). */
  motd: readonly string[];
}

/** The defaults of every {@linkcode ServerInfo} field. */
export const DEFAULT_SERVER_INFO: ServerInfo = {
  name: "deno-chat",
  version: "0.1.0",
  network: "deno-chat",
  nickLen: MAX_NAME_CHARS,
  roomNameLen: DEFAULT_ROOM_NAME_CHARS,
  topicLen: DEFAULT_TOPIC_CHARS,
  motd: ["Welcome to the chat hub, reached over IRC.", "Everyone starts in #lobby."],
};

/**
 * The ISUPPORT tokens (005) of the gateway, from the hub's limits: one `#` channel type, ASCII
 * case mapping (names are ASCII and unique ignoring case), no channel prefixes or user modes.
 *
 * @example
 * ```ts
 * import { DEFAULT_SERVER_INFO, isupportTokens } from "./server_info.ts";
 * isupportTokens(DEFAULT_SERVER_INFO).includes("CHANTYPES=#"); // true
 * ```
 */
export function isupportTokens(info: ServerInfo): string[] {
  return [
    "CASEMAPPING=ascii",
    "CHANTYPES=#",
    `CHANNELLEN=${info.roomNameLen + 1}`,
    `NICKLEN=${info.nickLen}`,
    `TOPICLEN=${info.topicLen}`,
    "CHANMODES=,,,n",
    "PREFIX=",
    `NETWORK=${info.network}`,
    `TARGMAX=PRIVMSG:${MAX_TARGETS},NOTICE:${MAX_TARGETS},JOIN:${MAX_TARGETS},PART:${MAX_TARGETS}`,
    `MAXTARGETS=${MAX_TARGETS}`,
    "UTF8ONLY",
    `CHATHISTORY=${MAX_HISTORY_MESSAGES}`,
    "MSGREFTYPES=msgid",
  ];
}
