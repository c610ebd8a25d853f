/**
 * The generator's view of our hub's protocol (docs/PROTOCOL.md): JSON lines, protocol 5
 * (rooms).
 * @module
 */

import { type ChatLine, type Dialect, type SetupStep, startsWith } from "./dialect.ts";

/** The room every user is in from login. */
export const HUB_HOME_ROOM = "#lobby";
/** The protocol version the generator logs in with: rooms, and the joins of an interval as one `joins`. */
export const HUB_PROTOCOL = 5;

const utf8 = new TextEncoder();
const decoder = new TextDecoder();
const WELCOME = utf8.encode('{"type":"welcome"');
const JOINED = utf8.encode('{"type":"joined"');
const ERROR = utf8.encode('{"type":"error"');
const OK = utf8.encode('{"type":"ok"');
const MESSAGE = utf8.encode('{"type":"message"');
const KEEPALIVE = utf8.encode('{"type":"pong"}\n');
const WAIT: SetupStep = { kind: "wait" };
const DONE: SetupStep = { kind: "done" };

/**
 * Our hub: `login` then `welcome` (the user is in `#lobby`), then a `join` per other room,
 * each answered by `joined`; every `say` is answered by one `ok`, in order.
 */
export const hubDialect: Dialect = {
  name: "hub",
  homeRoom: HUB_HOME_ROOM,
  greet(nick) {
    return utf8.encode(
      JSON.stringify({ type: "login", name: nick, protocol: HUB_PROTOCOL }) + "\n",
    );
  },
  setupLine(line, state) {
    const others = state.rooms.filter((room) => room !== HUB_HOME_ROOM);
    if (startsWith(line, WELCOME)) {
      if (others.length === 0) return DONE;
      const joins = others.map((room) => JSON.stringify({ type: "join", room }) + "\n");
      return { kind: "send", bytes: utf8.encode(joins.join("")) };
    }
    if (startsWith(line, JOINED)) return ++state.joined >= others.length ? DONE : WAIT;
    if (startsWith(line, ERROR)) return { kind: "refused", reason: errorCode(line) };
    return WAIT;
  },
  say(room, texts) {
    let out = "";
    for (const text of texts) out += JSON.stringify({ type: "say", room, text }) + "\n";
    return utf8.encode(out);
  },
  ackedThrough(line, ackedSoFar) {
    return startsWith(line, OK) ? ackedSoFar + 1 : -1;
  },
  parseMessage(line) {
    if (!startsWith(line, MESSAGE)) return null;
    return readMessage(line);
  },
  keepalive() {
    return KEEPALIVE;
  },
};

/** The whole line parsed as JSON and each field checked, as the chat client does. */
function readMessage(line: Uint8Array): ChatLine | "malformed" {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(line));
  } catch {
    return "malformed";
  }
  if (typeof value !== "object" || value === null) return "malformed";
  const { from, room, text } = value as Record<string, unknown>;
  if (typeof from !== "string" || typeof room !== "string" || typeof text !== "string") {
    return "malformed";
  }
  return { from, room, text };
}

function errorCode(line: Uint8Array): string {
  try {
    const value: unknown = JSON.parse(decoder.decode(line));
    if (typeof value === "object" && value !== null && "code" in value) return String(value.code);
  } catch {
    // Not JSON: fall through to the generic reason.
  }
  return "unreadable error line";
}
