/**
 * The generator's view of IRC (RFC 2812), used to drive ngircd as the reference server.
 * @module
 */

import { type Dialect, type SetupStep, startsWith } from "./dialect.ts";

/** The one channel every benchmark client joins. */
export const IRC_CHANNEL = "#bench";

const utf8 = new TextEncoder();
const latin1 = new TextDecoder("latin1");
const JOIN = utf8.encode(`JOIN ${IRC_CHANNEL}\r\n`);
const KEEPALIVE = utf8.encode("PONG :keepalive\r\n");
const PRIVMSG = utf8.encode("PRIVMSG ");
const SPACE = 0x20;
const COLON = 0x3a;
const WAIT: SetupStep = { kind: "wait" };
const DONE: SetupStep = { kind: "done" };
// RPL_WELCOME, and RPL_ENDOFNAMES which ends the reply to our JOIN.
const WELCOMED = "001";
const JOINED = "366";

/**
 * IRC: NICK and USER, JOIN after the welcome, in once the names list ends. PRIVMSG has no
 * reply, so senders follow messages with `PING :<seq>` and count the PONGs as acks.
 */
export const ircDialect: Dialect = {
  name: "irc",
  greet(nick) {
    return utf8.encode(`NICK ${nick}\r\nUSER ${nick} 0 * :bench\r\n`);
  },
  setupLine(line) {
    const command = commandOf(line);
    if (command === WELCOMED) return { kind: "send", bytes: JOIN };
    if (command === JOINED) return DONE;
    if (command === "PING") return { kind: "send", bytes: utf8.encode(pongFor(line)) };
    if (command === "ERROR" || /^[45]\d\d$/.test(command)) {
      return { kind: "refused", reason: latin1.decode(line).trim().slice(0, 120) };
    }
    return WAIT;
  },
  say(texts, firstSeq, ackEvery) {
    let out = "";
    texts.forEach((text, i) => {
      const seq = firstSeq + i;
      out += `PRIVMSG ${IRC_CHANNEL} :${text}\r\n`;
      if (seq % ackEvery === 0 || i === texts.length - 1) out += `PING :${seq}\r\n`;
    });
    return utf8.encode(out);
  },
  ackedThrough(line) {
    if (commandOf(line) !== "PONG") return -1;
    const text = latin1.decode(line).trimEnd();
    const seq = Number(text.slice(text.lastIndexOf(":") + 1));
    return Number.isSafeInteger(seq) && seq >= 0 ? seq : -1;
  },
  isMessage(line) {
    // Every delivery passes here in the latency run: compare bytes rather than decode.
    if (line[0] !== COLON) return startsWith(line, PRIVMSG);
    const space = line.indexOf(SPACE);
    return space >= 0 && startsWith(line, PRIVMSG, space + 1);
  },
  keepalive() {
    return KEEPALIVE;
  },
};

/** The command word of an IRC line, after its optional `:prefix`. */
export function commandOf(line: Uint8Array): string {
  let start = 0;
  if (line[0] === COLON) {
    const space = line.indexOf(SPACE);
    if (space < 0) return "";
    start = space + 1;
  }
  let end = line.indexOf(SPACE, start);
  if (end < 0) end = line.length;
  // Commands are short: decoding only them keeps message lines cheap to classify.
  return latin1.decode(line.subarray(start, Math.min(end, start + 16))).trimEnd();
}

function pongFor(line: Uint8Array): string {
  const text = latin1.decode(line).trimEnd();
  const colon = text.indexOf(" :");
  return `PONG ${colon < 0 ? ":bench" : text.slice(colon + 1)}\r\n`;
}
