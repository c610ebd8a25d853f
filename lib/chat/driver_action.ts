/**
 * Requests the hub cannot answer alone (they need files or the UDP channel), turned into
 * actions for its driver.
 * @module
 */

import type { ConnId, HubAction } from "./hub_types.ts";
import type { Request } from "./requests.ts";

/**
 * The action asking the driver to answer a request that needs I/O; `user` is the sender.
 *
 * @example
 * ```ts
 * import { driverAction } from "./driver_action.ts";
 * driverAction(7, "ann", { type: "files", id: 3 }); // { kind: "files", conn: 7, re: 3 }
 * ```
 */
export function driverAction(
  conn: ConnId,
  user: string,
  request: Request & { type: "files" | "get" | "put" },
): HubAction {
  const re = request.id === undefined ? {} : { re: request.id };
  switch (request.type) {
    case "files":
      return { kind: "files", conn, ...re };
    case "get": {
      const { id: _, type: __, ...fields } = request;
      return { kind: "get", conn, user, ...re, ...fields };
    }
    case "put": {
      const { id: _, type: __, ...fields } = request;
      return { kind: "put", conn, user, ...re, ...fields };
    }
  }
}
