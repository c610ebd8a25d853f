/**
 * The hub's lines as the events an IRC session is fed: the rooms protocol (docs/PROTOCOL.md)
 * mapped onto the session's seam ({@linkcode HubEvent}), pages of a list joined into one reply.
 * @module
 */

import type { ServerMessage } from "../chat/events.ts";
import { isFatal } from "../chat/errors.ts";
import { ListReassembly } from "../chat/list_reassembly.ts";
import type { HubEvent } from "./hub_port.ts";
import { MAX_IRC_LIST_REPLY_CHARS } from "./limits.ts";

/** The room everyone is put in at login (docs/PROTOCOL.md, Rooms). */
export const LOBBY = "#lobby";

/** What one hub line means for the session: events to feed it, or the end of the link. */
export type LineMeaning =
  | { kind: "events"; events: HubEvent[] }
  | { kind: "closed"; reason: string };

const NOTHING: LineMeaning = { kind: "events", events: [] };

/**
 * Turns checked hub lines into session events, for one connection: joins the pages of list
 * replies (per request id) and puts the user in `#lobby` at its welcome, as the hub does.
 *
 * @example
 * ```ts
 * import { HubLineEvents } from "./hub_line_events.ts";
 * const events = new HubLineEvents();
 * events.meaning({ type: "parted", re: 2, room: "#dev", ts: 5 }, 40);
 * // { kind: "events", events: [{ type: "ok", re: 2, ts: 5, room: "#dev" }] }
 * ```
 */
export class HubLineEvents {
  readonly #pages = new ListReassembly(MAX_IRC_LIST_REPLY_CHARS);

  /** What `message` (a line of `lineChars` characters) means for the session. */
  meaning(message: ServerMessage, lineChars: number): LineMeaning {
    const re = "re" in message ? message.re : undefined;
    const paged = message.type === "rooms" || message.type === "names" ||
      message.type === "history";
    if (paged && typeof re === "number") {
      const outcome = this.#pages.add(re, message, lineChars);
      if (outcome.kind === "more") return NOTHING;
      if (outcome.kind === "failed") {
        const error = { type: "error", re, ...outcome.error } as const;
        return { kind: "events", events: [error] };
      }
      return translate(outcome.message);
    }
    return translate(message);
  }
}

function translate(message: ServerMessage): LineMeaning {
  const event = eventOf(message);
  if (event === "closed") {
    const reason = message.type === "error" ? message.message : "Closing link";
    return { kind: "closed", reason };
  }
  if (event === null) return NOTHING;
  if (event.type !== "welcome") return { kind: "events", events: [event] };
  // The hub puts every user in #lobby at login and tells the others only.
  const join = { type: "join", room: LOBBY, name: event.name, ts: event.ts } as const;
  return { kind: "events", events: [event, join] };
}

/** The session's event for a hub line; `null` for lines IRC has no use for. */
function eventOf(message: ServerMessage): HubEvent | "closed" | null {
  // The session's ids are numbers: a reply with another `re` answers none of its requests.
  const re = "re" in message && typeof message.re === "number" ? { re: message.re } : {};
  switch (message.type) {
    case "welcome":
      return { type: "welcome", ...re, name: message.name, ts: message.ts };
    case "ok":
      return {
        type: "ok",
        ...re,
        ts: message.ts,
        ...optional("to", message.to),
        ...optional("away", message.away),
      };
    case "joined": {
      const { room, topic, members, memberCount, ts } = message;
      const set = message.topicBy === undefined || message.topicTs === undefined
        ? {}
        : { topicBy: message.topicBy, topicTs: message.topicTs };
      return { type: "ok", ...re, ts, room, topic, ...set, members, memberCount };
    }
    case "parted":
      return { type: "ok", ...re, ts: message.ts, room: message.room };
    case "error":
      // A fatal error answering no request is the hub ending the session: IRC says ERROR.
      if (message.re === undefined && isFatal(message.code)) return "closed";
      return { type: "error", ...re, code: message.code, message: message.message };
    case "message":
      return {
        type: "message",
        from: message.from,
        ...(message.to === undefined ? { room: message.room ?? LOBBY } : { to: message.to }),
        text: message.text,
        ...(message.action === true ? { action: true } : {}),
        ts: message.ts,
        ...(message.id === undefined ? {} : { id: String(message.id) }),
      };
    case "join":
      return { type: "join", room: message.room ?? LOBBY, name: message.name, ts: message.ts };
    case "joins":
      return { type: "joins", room: message.room, names: message.names, ts: message.ts };
    case "leave":
      return {
        type: "leave",
        ...optional("room", message.room),
        name: message.name,
        reason: message.reason,
        ...optional("text", message.text),
        ts: message.ts,
      };
    case "topic":
      return {
        type: "topic",
        ...re,
        room: message.room,
        text: message.topic,
        ...optional("by", message.by),
        ts: message.ts ?? 0,
      };
    case "names":
      return { type: "names", ...re, room: message.room, names: message.names };
    case "rooms":
      return { type: "rooms", ...re, rooms: message.rooms };
    case "whois": {
      const { name, since, idleMs, rooms } = message;
      return {
        type: "whois",
        ...re,
        name,
        since,
        idleMs,
        rooms,
        ...optional("away", message.away),
      };
    }
    case "nick":
      return { type: "nick", old: message.old, name: message.name, ts: message.ts };
    case "away":
      return {
        type: "away",
        name: message.name,
        ...optional("text", message.text),
        ts: message.ts,
      };
    case "history":
      return {
        type: "history",
        ...re,
        messages: message.messages.map((entry) => ({
          id: String(entry.id),
          from: entry.from,
          ...optional("room", message.room),
          ...optional("to", entry.to),
          text: entry.text,
          ...(entry.action === true ? { action: true } : {}),
          ts: entry.ts,
        })),
      };
    case "ping":
      return { type: "ping", ts: message.ts };
    case "bye":
      return { type: "bye", ...re };
    case "shutdown":
      return { type: "shutdown", reason: message.reason };
    default:
      // hello, users, files, transfers, pong: nothing an IRC client is told.
      return null;
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
