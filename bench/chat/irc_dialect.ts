/**
 * The generator's view of IRC (RFC 2812), used to drive ngircd, inspircd and our hub's IRC
 * port.
 * @module
 */

import { type ChatLine, type Dialect, type SetupStep, startsWith } from "./dialect.ts";

/** The one channel every client of the one-room runs joins. */
export const IRC_CHANNEL = "#bench";

const utf8 = new TextEncoder();
const latin1 = new TextDecoder("latin1");
const decoder = new TextDecoder();
const KEEPALIVE = utf8.encode("PONG :keepalive\r\n");
const PRIVMSG = utf8.encode("PRIVMSG ");
const SPACE = 0x20;
const COLON = 0x3a;
const CR = 0x0d;
const WAIT: SetupStep = { kind: "wait" };
const DONE: SetupStep = { kind: "done" };
// RPL_WELCOME, and RPL_ENDOFNAMES which ends the reply to each channel joined.
const WELCOMED = "001";
const JOINED = "366";

/**
 * IRC: NICK and USER, JOIN after the welcome, in once the names list of every channel ends.
 * PRIVMSG has no reply, so senders follow messages with `PING :<seq>` and count the PONGs
 * as acks.
 */
export const ircDialect: Dialect = {
  name: "irc",
  homeRoom: IRC_CHANNEL,
  greet(nick) {
    return utf8.encode(`NICK ${nick}\r\nUSER ${nick} 0 * :bench\r\n`);
  },
  setupLine(line, state) {
    const command = commandOf(line);
    if (command === WELCOMED) {
      return { kind: "send", bytes: utf8.encode(`JOIN ${state.rooms.join(",")}\r\n`) };
    }
    if (command === JOINED) return ++state.joined >= state.rooms.length ? DONE : WAIT;
    if (command === "PING") return { kind: "send", bytes: utf8.encode(pongFor(line)) };
    if (command === "ERROR" || /^[45]\d\d$/.test(command)) {
      return { kind: "refused", reason: latin1.decode(line).trim().slice(0, 120) };
    }
    return WAIT;
  },
  say(room, texts, firstSeq, ackEvery) {
    let out = "";
    texts.forEach((text, i) => {
      const seq = firstSeq + i;
      out += `PRIVMSG ${room} :${text}\r\n`;
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
  parseMessage(line) {
    const space = line[0] === COLON ? line.indexOf(SPACE) : -1;
    if (!startsWith(line, PRIVMSG, space + 1)) return null;
    return readPrivmsg(line[line.length - 1] === CR ? line.subarray(0, -1) : line);
  },
  keepalive() {
    return KEEPALIVE;
  },
};

/** `:nick!user@host PRIVMSG target :text`, decoded as UTF-8 and split as a client does. */
function readPrivmsg(line: Uint8Array): ChatLine | "malformed" {
  const text = decoder.decode(line);
  if (text[0] !== ":") return "malformed";
  const prefixEnd = text.indexOf(" ");
  const bang = text.indexOf("!");
  const from = text.slice(1, bang > 0 && bang < prefixEnd ? bang : prefixEnd);
  const targetStart = prefixEnd + 1 + "PRIVMSG ".length;
  const targetEnd = text.indexOf(" ", targetStart);
  if (from === "" || targetEnd < 0) return "malformed";
  const room = text.slice(targetStart, targetEnd);
  const rest = text.slice(targetEnd + 1);
  return { from, room, text: rest[0] === ":" ? rest.slice(1) : rest };
}

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

const ECHO_GREETING = "CAP REQ :echo-message\r\n";
const CAP_END = "CAP END\r\n";

/**
 * IRC with the IRCv3 `echo-message` capability: the server sends each PRIVMSG back to its
 * sender once it has taken it, and that echo is the acknowledgement, as `ok` is on the hub's
 * chat port; no PINGs. For our hub's IRC port, which answers PING itself on a small budget
 * (docs/IRC.md, "Hostile clients") so a PING per few messages would get the sender closed.
 */
export const ircEchoDialect: Dialect = {
  ...ircDialect,
  name: "irc-echo",
  greet(nick) {
    return utf8.encode(ECHO_GREETING + latin1.decode(ircDialect.greet(nick)) + CAP_END);
  },
  setupLine(line, state) {
    if (commandOf(line) === "CAP" && / NAK /.test(latin1.decode(line))) {
      return { kind: "refused", reason: "echo-message refused" };
    }
    return ircDialect.setupLine(line, state);
  },
  say(room, texts) {
    let out = "";
    for (const text of texts) out += `PRIVMSG ${room} :${text}\r\n`;
    return utf8.encode(out);
  },
  ackedThrough() {
    // Acknowledgements are the sender's own messages coming back: see readDeliveries.
    return -1;
  },
};
