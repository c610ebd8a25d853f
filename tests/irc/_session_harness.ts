/**
 * Drives an `IrcSession` as a test would an IRC client and a hub: lines in, events in, and
 * everything it output gathered by kind.
 * @module
 */

import assert from "node:assert/strict";
import type { HubEvent, HubRequest } from "../../lib/irc/hub_port.ts";
import { IrcSession, type IrcSessionOptions } from "../../lib/irc/irc_session.ts";

/** A session with its output gathered. */
export class Harness {
  readonly session: IrcSession;
  lines: string[] = [];
  requests: HubRequest[] = [];
  closes: string[] = [];

  constructor(now = 0, options: IrcSessionOptions = {}) {
    this.session = new IrcSession(now, options);
  }

  /** Feeds client lines (no line ending), then gathers the output. */
  send(...lines: string[]): this {
    for (const line of lines) this.session.handleLine(0, line);
    return this.drain();
  }

  /** Feeds a hub event, then gathers the output. */
  event(event: HubEvent, now = 0): this {
    this.session.handleEvent(now, event);
    return this.drain();
  }

  drain(): this {
    for (let out = this.session.poll(); out !== null; out = this.session.poll()) {
      if (out.kind === "line") {
        assert.ok(out.line.endsWith("\r\n"), "every line ends in CR LF");
        assert.equal(/[\r\n\0]/.test(out.line.slice(0, -2)), false, "no CR, LF or NUL inside");
        this.lines.push(out.line.slice(0, -2));
      } else if (out.kind === "request") this.requests.push(out.request);
      else this.closes.push(out.reason);
    }
    return this;
  }

  /** The lines gathered since the last call. */
  take(): string[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }

  /** The requests gathered since the last call. */
  takeRequests(): HubRequest[] {
    const requests = this.requests;
    this.requests = [];
    return requests;
  }

  /** The one request gathered since the last call (fails on none or more). */
  request(): HubRequest {
    const requests = this.takeRequests();
    assert.equal(requests.length, 1, JSON.stringify(requests));
    return requests[0]!;
  }

  /** The numerics among the lines since the last call, in order. */
  numerics(): string[] {
    return this.take().map((line) => line.split(" ")[1]!).filter((c) => /^\d{3}$/.test(c));
  }
}

/**
 * A session registered as `nick` (with `caps` requested first), in `#lobby` with `others`.
 * Output so far is taken.
 */
export function registered(
  nick = "ann",
  options: { caps?: string; others?: string[]; session?: IrcSessionOptions } = {},
): Harness {
  const h = new Harness(0, options.session);
  if (options.caps !== undefined) h.send("CAP LS 302", `CAP REQ :${options.caps}`);
  h.send(`NICK ${nick}`, "USER u 0 * :Real Name");
  if (options.caps !== undefined) h.send("CAP END");
  const login = h.request();
  assert.equal(login.type, "login");
  h.event({ type: "welcome", re: login.id, name: nick, ts: 1 });
  h.event({ type: "join", room: "#lobby", name: nick, ts: 2 });
  const [topic, names] = h.takeRequests();
  h.event({ type: "topic", re: topic!.id, room: "#lobby", text: "", ts: 2 });
  h.event({
    type: "names",
    re: names!.id,
    room: "#lobby",
    names: [nick, ...(options.others ?? [])],
  });
  h.take();
  return h;
}

/** Answers the last request with `ok` at `ts`. */
export function ok(h: Harness, ts = 100, extra: { to?: string; room?: string } = {}): Harness {
  const request = h.request();
  return h.event({ type: "ok", re: request.id, ts, ...extra });
}
