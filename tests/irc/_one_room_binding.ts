/**
 * Binds an `IrcSession` to today's one-room `Hub` through the hub's own JSON lines, as a test
 * of the seam: rooms do not exist yet, so `#lobby` stands for the hub's one room, and the
 * requests the hub cannot serve (`topic`, `names`) are answered here.
 * @module
 */

import type { ConnId } from "../../lib/chat/hub_types.ts";
import { parseServerMessage, type ServerMessage } from "../../lib/chat/events.ts";
import type { HubEvent, HubRequest } from "../../lib/irc/hub_port.ts";
import { IrcSession } from "../../lib/irc/irc_session.ts";
import type { HubHarness } from "../chat/_hub_harness.ts";

const LOBBY = "#lobby";
const utf8 = new TextEncoder();

/** One IRC client on the hub: write lines to it, read the lines it got. */
export class IrcOnHub {
  readonly session: IrcSession;
  readonly conn: ConnId;
  readonly #hub: HubHarness;
  #lines: string[] = [];
  /** `users` requests the binding made for a `names`, by the hub's request id. */
  readonly #names = new Map<number, number>();

  constructor(hub: HubHarness, now: number) {
    this.#hub = hub;
    this.session = new IrcSession(now);
    this.conn = hub.connect(now);
    hub.read(this.conn); // the hello is for JSON clients
  }

  /** Sends raw bytes as an IRC client would, and runs both sides until quiet. */
  write(text: string, now = 0): this {
    this.session.receive(now, utf8.encode(text));
    return this.run(now);
  }

  /** The IRC lines received since the last call. */
  read(): string[] {
    this.run(0);
    const lines = this.#lines;
    this.#lines = [];
    return lines;
  }

  /** Moves output both ways until neither side has more. */
  run(now: number): this {
    for (let busy = true; busy;) {
      busy = false;
      for (let out = this.session.poll(); out !== null; out = this.session.poll()) {
        busy = true;
        if (out.kind === "line") this.#lines.push(out.line.slice(0, -2));
        else if (out.kind === "request") this.#request(out.request, now);
      }
      for (const line of this.#hub.read(this.conn)) {
        busy = true;
        const parsed = parseServerMessage(JSON.stringify(line));
        if (parsed.ok) this.#event(parsed.message, now);
      }
    }
    return this;
  }

  #request(request: HubRequest, now: number): void {
    const { id } = request;
    switch (request.type) {
      case "say":
      case "login":
      case "msg":
      case "pong":
      case "quit": {
        const { room: _room, ...rest } = request as HubRequest & { room?: string };
        return this.#hub.send(this.conn, { ...rest, protocol: 1 }, now);
      }
      case "topic":
        return this.session.handleEvent(now, {
          type: "topic",
          re: id,
          room: LOBBY,
          text: "",
          ts: 0,
        });
      case "names":
        this.#names.set(id, id);
        return this.#hub.send(this.conn, { type: "users", id }, now);
      default:
        return this.session.handleEvent(now, {
          type: "error",
          re: id,
          code: "UNKNOWN_COMMAND",
          message: "Not in the one-room hub",
        });
    }
  }

  #event(message: ServerMessage, now: number): void {
    const event = toHubEvent(message, this.#names);
    if (event === null) return;
    this.session.handleEvent(now, event);
    // The one-room hub puts everyone in its room at login.
    if (message.type === "welcome") {
      this.session.handleEvent(now, {
        type: "join",
        room: LOBBY,
        name: message.name,
        ts: message.ts,
      });
    }
  }
}

function toHubEvent(message: ServerMessage, names: Map<number, number>): HubEvent | null {
  const re = "re" in message && typeof message.re === "number" ? { re: message.re } : {};
  switch (message.type) {
    case "welcome":
      return { type: "welcome", ...re, name: message.name, ts: message.ts };
    case "ok":
      return {
        type: "ok",
        ...re,
        ts: message.ts,
        ...(message.to === undefined ? {} : { to: message.to }),
      };
    case "error":
      return { type: "error", ...re, code: message.code, message: message.message };
    case "message": {
      const where = message.to === undefined ? { room: LOBBY } : { to: message.to };
      return {
        type: "message",
        from: message.from,
        ...where,
        text: message.text,
        action: message.action === true,
        ts: message.ts,
      };
    }
    case "join":
      return { type: "join", room: LOBBY, name: message.name, ts: message.ts };
    case "leave":
      return { type: "leave", name: message.name, reason: message.reason, ts: message.ts };
    case "users": {
      if (re.re === undefined || !names.delete(re.re)) return null;
      return { type: "names", ...re, room: LOBBY, names: message.users.map((u) => u.name) };
    }
    case "ping":
      return { type: "ping", ts: message.ts };
    case "bye":
      return { type: "bye" };
    case "shutdown":
      return { type: "shutdown", reason: message.reason };
    default:
      return null;
  }
}
