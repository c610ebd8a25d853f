/**
 * Building numeric replies: the server as source, the client's nick (or `*`) first.
 * @module
 */

import type { IrcMessage } from "./irc_message.ts";
import { type NumericName, NUMERICS } from "./numerics.ts";

const NO_TAGS = new Map<string, string>();

/**
 * A numeric reply from `server` to `nick` (`*` before the client has one).
 *
 * @example
 * ```ts
 * import { numericReply } from "./numeric_reply.ts";
 * numericReply("hub", "ann", "ERR_UNKNOWNCOMMAND", ["FOO", "Unknown command"]);
 * // { tags: Map {}, source: "hub", command: "421", params: ["ann", "FOO", "Unknown command"] }
 * ```
 */
export function numericReply(
  server: string,
  nick: string,
  name: NumericName,
  params: readonly string[],
): IrcMessage {
  return {
    tags: NO_TAGS,
    source: server,
    command: NUMERICS[name],
    params: [nick, ...params],
    // Most numerics end in a text; the others read the same with a `:`.
    trailing: params.length > 0,
  };
}
