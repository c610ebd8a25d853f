/**
 * The generator's view of our hub's protocol (docs/PROTOCOL.md): JSON lines.
 * @module
 */

import { type Dialect, type SetupStep, startsWith } from "./dialect.ts";

const utf8 = new TextEncoder();
const WELCOME = utf8.encode('{"type":"welcome"');
const ERROR = utf8.encode('{"type":"error"');
const OK = utf8.encode('{"type":"ok"');
const MESSAGE = utf8.encode('{"type":"message"');
const KEEPALIVE = utf8.encode('{"type":"pong"}\n');
const WAIT: SetupStep = { kind: "wait" };
const DONE: SetupStep = { kind: "done" };

/** Our hub: `login` then `welcome`; every `say` is answered by one `ok`, in order. */
export const hubDialect: Dialect = {
  name: "hub",
  greet(nick) {
    return utf8.encode(JSON.stringify({ type: "login", name: nick, protocol: 1 }) + "\n");
  },
  setupLine(line) {
    if (startsWith(line, WELCOME)) return DONE;
    if (startsWith(line, ERROR)) return { kind: "refused", reason: errorCode(line) };
    return WAIT;
  },
  say(texts) {
    let out = "";
    for (const text of texts) out += JSON.stringify({ type: "say", text }) + "\n";
    return utf8.encode(out);
  },
  ackedThrough(line, ackedSoFar) {
    return startsWith(line, OK) ? ackedSoFar + 1 : -1;
  },
  isMessage(line) {
    return startsWith(line, MESSAGE);
  },
  keepalive() {
    return KEEPALIVE;
  },
};

function errorCode(line: Uint8Array): string {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(line));
    if (typeof value === "object" && value !== null && "code" in value) return String(value.code);
  } catch {
    // Not JSON: fall through to the generic reason.
  }
  return "unreadable error line";
}
