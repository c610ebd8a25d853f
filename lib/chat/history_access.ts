/**
 * Who may read which history: a room's is for its members, a private conversation is always
 * the requester's own (see `HubHistory`), so only the peer's name needs checking.
 * @module
 */

import { type ProtocolError, protocolError } from "./errors.ts";
import type { HubClient as Client } from "./hub_client.ts";
import { checkName } from "./names.ts";
import type { HistoryRequest } from "./requests.ts";
import type { RoomRegistry } from "./room_registry.ts";
import { checkRoomName } from "./room_rules.ts";

/**
 * Why `client` may not have the history `request` asks for (a bad room or peer name, a room it
 * is not in), or `null`.
 *
 * @example
 * ```ts ignore
 * historyAccessRefusal(client, { room: "#dev", limit: 50 }, rooms.registry)?.code; // "NOT_IN_ROOM"
 * ```
 */
export function historyAccessRefusal(
  client: Client,
  request: HistoryRequest,
  rooms: RoomRegistry<Client>,
): ProtocolError | null {
  if (request.room !== undefined) {
    const invalid = checkRoomName(request.room);
    if (invalid !== null) return invalid;
    if (rooms.get(request.room)?.members.has(client) !== true) {
      return protocolError("NOT_IN_ROOM", `You are not in ${request.room}`);
    }
    return null;
  }
  return checkName(request.peer!);
}
