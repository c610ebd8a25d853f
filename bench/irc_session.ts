/**
 * The IRC gateway core's own cost, without sockets: µs per delivery of a chat message to an
 * IRC session (event in, line out, with and without tags; alone, and as one of 100 members
 * sharing a `DeliveryCache`), per PRIVMSG read (line in, request out), and per 4,096-character
 * message cut into lines. One process, one core, after warm-up.
 *
 * `deno run bench/irc_session.ts [ROUNDS]` (default 200,000)
 * @module
 */

import { DeliveryCache } from "../lib/irc/delivery_cache.ts";
import type { HubEvent } from "../lib/irc/hub_port.ts";
import { IrcSession, type IrcSessionOptions } from "../lib/irc/irc_session.ts";

const rounds = Number(Deno.args[0] ?? 200_000);

/** A session registered as `ann` in `#lobby` with `caps`. */
function session(caps: string, options: IrcSessionOptions = {}): IrcSession {
  const s = new IrcSession(0, options);
  if (caps !== "") s.handleLine(0, `CAP REQ :${caps}`);
  s.handleLine(0, "NICK ann");
  s.handleLine(0, "USER u 0 * :Ann");
  s.handleLine(0, "CAP END");
  s.handleEvent(0, { type: "welcome", re: 1, name: "ann", ts: 0 });
  s.handleEvent(0, { type: "join", room: "#lobby", name: "ann", ts: 0 });
  while (s.poll() !== null);
  return s;
}

/** µs per call of `step`, which must drain the session. */
function measure(name: string, count: number, step: (i: number) => void): void {
  for (let i = 0; i < Math.min(count, 20_000); i++) step(i);
  const start = performance.now();
  for (let i = 0; i < count; i++) step(i);
  const us = (performance.now() - start) * 1000 / count;
  console.log(`${name.padEnd(52)} ${us.toFixed(2).padStart(8)} µs`);
}

function drain(s: IrcSession): number {
  let n = 0;
  while (s.poll() !== null) n++;
  return n;
}

const text = "hello everyone, this is a message of a typical length 123";
const plain = session("");
const tagged = session("server-time message-tags");
const event = (i: number): HubEvent => ({
  type: "message",
  from: "bob",
  room: "#lobby",
  text,
  ts: 1_764_090_000_000 + i,
  id: `m${i}`,
});
measure("delivery: message event -> PRIVMSG line", rounds, (i) => {
  plain.handleEvent(0, event(i));
  drain(plain);
});
measure("delivery with server-time + msgid", rounds, (i) => {
  tagged.handleEvent(0, event(i));
  drain(tagged);
});
const shared = { deliveryCache: new DeliveryCache() };
const members = Array.from({ length: 100 }, () => session("server-time message-tags", shared));
measure("delivery, 100 members sharing a DeliveryCache", rounds / 100, (i) => {
  const e = event(i);
  for (const member of members) {
    member.handleEvent(0, e);
    drain(member);
  }
});
console.log("  (the line above is per event: divide by 100 for per delivery)");
measure("read: PRIVMSG line -> say request (+ ok reply)", rounds, (i) => {
  plain.handleLine(0, `PRIVMSG #lobby :${text}`);
  const out = plain.poll();
  if (out?.kind === "request") plain.handleEvent(0, { type: "ok", re: out.request.id, ts: i });
  drain(plain);
});
const long = "Ünïcödé wörds and 😀 emoji ".repeat(160).slice(0, 4096);
measure("delivery: 4,096-char message -> lines (per message)", rounds / 100, (i) => {
  plain.handleEvent(0, { type: "message", from: "bob", room: "#lobby", text: long, ts: i });
  drain(plain);
});
