/**
 * What an IRC session asks its driver to do, in order.
 * @module
 */

import type { HubRequest } from "./hub_port.ts";

/**
 * `line`: write it to the IRC client (it ends in CR LF); `request`: hand it to the hub;
 * `close`: write what came before, then close the IRC connection (and end the hub session).
 */
export type SessionOutput =
  | { kind: "line"; line: string }
  | { kind: "request"; request: HubRequest }
  | { kind: "close"; reason: string };
