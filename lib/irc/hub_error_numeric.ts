/**
 * Which numeric answers a hub error code, for the command that drew it.
 * @module
 */

import type { NumericName } from "./numerics.ts";

/**
 * The hub's codes that IRC has a numeric for (docs/PROTOCOL.md, Error codes); a code without
 * one (`RATE_LIMITED`, `TOPIC_INVALID`) is shown as a NOTICE naming the command.
 */
const BY_CODE: Record<string, NumericName> = {
  NAME_TAKEN: "ERR_NICKNAMEINUSE",
  NAME_INVALID: "ERR_ERRONEUSNICKNAME",
  NAME_RESERVED: "ERR_ERRONEUSNICKNAME",
  NO_SUCH_USER: "ERR_NOSUCHNICK",
  NO_SUCH_ROOM: "ERR_NOSUCHCHANNEL",
  ROOM_INVALID: "ERR_NOSUCHCHANNEL",
  NOT_IN_ROOM: "ERR_NOTONCHANNEL",
  TOO_MANY_ROOMS: "ERR_TOOMANYCHANNELS",
  // The server holds as many rooms as it may: a new one cannot be made (RFC 2812's 403 reads
  // "No such channel", which is what the user is left with).
  ROOMS_FULL: "ERR_NOSUCHCHANNEL",
  // A registered nick without its password (PASS or SASL) is one in use, as far as IRC goes.
  NAME_REGISTERED: "ERR_NICKNAMEINUSE",
  BAD_PASSWORD: "ERR_PASSWDMISMATCH",
  SERVER_PASSWORD_REQUIRED: "ERR_PASSWDMISMATCH",
  PASSWORD_INVALID: "ERR_PASSWDMISMATCH",
  LOCKED_OUT: "ERR_PASSWDMISMATCH",
  INSECURE_LOGIN: "ERR_PASSWDMISMATCH",
};

/**
 * The numeric for hub error `code` answering `command`, or `null` for a NOTICE. A message to a
 * room the user is not in is 404, whatever the hub calls it.
 *
 * @example
 * ```ts
 * import { numericForHubError } from "./hub_error_numeric.ts";
 * numericForHubError("NAME_TAKEN", "NICK"); // "ERR_NICKNAMEINUSE"
 * numericForHubError("RATE_LIMITED", "PRIVMSG"); // null
 * ```
 */
export function numericForHubError(code: string, command: string): NumericName | null {
  const name = Object.hasOwn(BY_CODE, code) ? BY_CODE[code]! : null;
  if (command === "PRIVMSG" && (name === "ERR_NOTONCHANNEL" || name === "ERR_NOSUCHCHANNEL")) {
    return "ERR_CANNOTSENDTOCHAN";
  }
  return name;
}
