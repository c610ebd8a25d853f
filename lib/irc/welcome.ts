/**
 * The burst a newly registered IRC client gets: 001–005, then the message of the day.
 * @module
 */

import type { IrcMessage } from "./irc_message.ts";
import { numericReply } from "./numeric_reply.ts";
import { isupportTokens, type ServerInfo } from "./server_info.ts";

/** ISUPPORT tokens per 005 line: 13 leave room in 512 bytes for any sane token. */
const TOKENS_PER_LINE = 13;

/**
 * 001 to 005 and the MOTD (375, 372..., 376; or 422 when there is none) for `nick`.
 *
 * @example
 * ```ts
 * import { welcomeBurst } from "./welcome.ts";
 * import { DEFAULT_SERVER_INFO } from "./server_info.ts";
 * welcomeBurst(DEFAULT_SERVER_INFO, "ann")[0]!.command; // "001"
 * ```
 */
export function welcomeBurst(info: ServerInfo, nick: string): IrcMessage[] {
  const reply = (name: Parameters<typeof numericReply>[2], params: string[]) =>
    numericReply(info.name, nick, name, params);
  const lines = [
    reply("RPL_WELCOME", [`Welcome to the ${info.network} network, ${nick}`]),
    reply("RPL_YOURHOST", [`Your host is ${info.name}, running version ${info.version}`]),
    reply("RPL_CREATED", ["This server is a chat hub with an IRC gateway"]),
    reply("RPL_MYINFO", [info.name, info.version, "i", "n"]),
  ];
  return [...lines, ...isupportReplies(info, nick, isupportTokens(info)), ...motdLines(info, nick)];
}

/** The 005 lines announcing `tokens`, at most `TOKENS_PER_LINE` on each. */
export function isupportReplies(
  info: ServerInfo,
  nick: string,
  tokens: readonly string[],
): IrcMessage[] {
  const lines: IrcMessage[] = [];
  for (let i = 0; i < tokens.length; i += TOKENS_PER_LINE) {
    const some = tokens.slice(i, i + TOKENS_PER_LINE);
    lines.push(
      numericReply(info.name, nick, "RPL_ISUPPORT", [...some, "are supported by this server"]),
    );
  }
  return lines;
}

/** The message of the day, as answered to MOTD and sent after the welcome. */
export function motdLines(info: ServerInfo, nick: string): IrcMessage[] {
  if (info.motd.length === 0) {
    return [numericReply(info.name, nick, "ERR_NOMOTD", ["MOTD File is missing"])];
  }
  return [
    numericReply(info.name, nick, "RPL_MOTDSTART", [`- ${info.name} Message of the day -`]),
    ...info.motd.map((text) => numericReply(info.name, nick, "RPL_MOTD", [`- ${text}`])),
    numericReply(info.name, nick, "RPL_ENDOFMOTD", ["End of /MOTD command"]),
  ];
}
