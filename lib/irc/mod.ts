/**
 * The IRC gateway's sans-IO core: the IRC codec, numerics, registration, CAP negotiation, text
 * splitting, and `IrcSession`, the translator between IRC lines and the hub's requests and
 * events. The listener that feeds it sockets lives with the drivers.
 * @module
 */

export { IrcSession, type IrcSessionOptions } from "./irc_session.ts";
export { DeliveryCache } from "./delivery_cache.ts";
export { IrcHubLink, type IrcHubLinkOptions, type IrcHubLinkStats } from "./irc_hub_link.ts";
export { HubLineEvents, type LineMeaning, LOBBY } from "./hub_line_events.ts";
export { type MadeMeaning, SharedMeaning } from "./shared_meaning.ts";
export type {
  HubEvent,
  HubRequest,
  HubRequestBody,
  HubRequestId,
  HubRoomEntry,
} from "./hub_port.ts";
export type { SessionOutput } from "./session_output.ts";
export type { SessionStats } from "./_session_state.ts";
export { type IrcMessage, type ParsedIrcLine, parseIrcLine } from "./irc_message.ts";
export { formatIrcLine, type FormattedIrcLine } from "./format_irc_line.ts";
export type { IrcLineError, IrcLineErrorCode } from "./irc_error.ts";
export { DEFAULT_SERVER_INFO, isupportTokens, type ServerInfo } from "./server_info.ts";
export * from "./limits.ts";
