/**
 * The rules of logging in, and the welcome a new member gets.
 * @module
 */

import { type ProtocolError, protocolError } from "./errors.ts";
import { MAX_WELCOME_NAMES, OLDEST_PROTOCOL_VERSION, PROTOCOL_VERSION } from "./limits.ts";
import { checkName, nameKey } from "./names.ts";
import type { Request } from "./requests.ts";

/**
 * Why this login must be refused, or `null` if it may go ahead.
 *
 * @param current the name the connection is already logged in with, or `null`
 * @param isTaken whether a name key (see `nameKey`) belongs to someone online
 *
 * @example
 * ```ts
 * import { loginRefusal } from "./login.ts";
 * const request = { type: "login", name: "ann", protocol: 1 } as const;
 * loginRefusal(null, request, () => true)?.code; // "NAME_TAKEN"
 * ```
 */
export function loginRefusal(
  current: string | null,
  request: Request & { type: "login" },
  isTaken: (key: string) => boolean,
): ProtocolError | null {
  if (current !== null) {
    return protocolError("ALREADY_LOGGED_IN", `Already logged in as '${current}'`);
  }
  if (request.protocol < OLDEST_PROTOCOL_VERSION || request.protocol > PROTOCOL_VERSION) {
    return protocolError(
      "PROTOCOL_VERSION",
      `This server speaks protocols ${OLDEST_PROTOCOL_VERSION} to ${PROTOCOL_VERSION} only`,
    );
  }
  const invalid = checkName(request.name);
  if (invalid !== null) return invalid;
  if (isTaken(nameKey(request.name))) {
    return protocolError("NAME_TAKEN", `Name '${request.name}' is taken`);
  }
  return null;
}

/**
 * The `welcome` for `name`: the first {@linkcode MAX_WELCOME_NAMES} members and how many
 * there are, so that a login does not cost O(users) bytes in a big room (`users` lists all).
 */
export function welcomeMessage(
  name: string,
  members: Iterable<{ name: string | null }>,
  userCount: number,
  now: number,
): { type: "welcome"; name: string; users: string[]; userCount: number; ts: number } {
  const users: string[] = [];
  for (const member of members) {
    if (users.length === MAX_WELCOME_NAMES) break;
    users.push(member.name!);
  }
  return { type: "welcome", name, users, userCount, ts: now };
}
