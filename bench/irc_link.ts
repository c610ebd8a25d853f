/**
 * What binding IRC sessions to the hub through its JSON lines costs per delivery, without
 * sockets: one `Hub`, a room of N members all chat clients or all IRC links, one sender; µs of
 * CPU per message delivered to one member, from the `say` to the bytes the driver would write
 * (chat: the hub's JSON line; IRC: that line parsed, checked, turned into an event and
 * formatted as IRC). The IRC figure is measured with the listener's sharing (one parse, one
 * event and one formatting per broadcast for all members) and without it.
 *
 * `deno run bench/irc_link.ts [MEMBERS] [MESSAGES]` (default 100 members, 2,000 messages)
 * @module
 */

import { Hub } from "../lib/chat/hub.ts";
import type { ConnId } from "../lib/chat/hub_types.ts";
import { PROTOCOL_VERSION } from "../lib/chat/limits.ts";
import { DeliveryCache } from "../lib/irc/delivery_cache.ts";
import { IrcHubLink } from "../lib/irc/irc_hub_link.ts";
import { SharedMeaning } from "../lib/irc/shared_meaning.ts";

const members = Number(Deno.args[0] ?? 100);
const messages = Number(Deno.args[1] ?? 2_000);
const utf8 = new TextEncoder();
const text = "hello everyone, this is a message of a typical length 123";

type Kind = "chat" | "irc shared" | "irc unshared";

/** µs per delivery for a room of `members` of `kind`. */
function run(kind: Kind): number {
  const hub = new Hub({ rate: null, maxPerAddress: members + 10, maxClients: members + 10 });
  const drainActions = () => {
    while (hub.pollAction() !== null);
  };
  const meanings = new SharedMeaning();
  const cache = new DeliveryCache();
  const conns: ConnId[] = [];
  const links = new Map<ConnId, IrcHubLink>();
  for (let i = 0; i < members; i++) {
    const conn = hub.connect(0, "10.0.0.1");
    conns.push(conn);
    if (kind === "chat") {
      const login = { type: "login", id: 1, name: `user${i}`, protocol: PROTOCOL_VERSION };
      hub.receive(conn, utf8.encode(JSON.stringify(login) + "\n"), 0);
    } else {
      const shared = kind === "irc shared";
      const options = shared ? { meanings, session: { deliveryCache: cache } } : {};
      const link = new IrcHubLink(0, options);
      links.set(conn, link);
      link.fromClient(0, utf8.encode(`NICK user${i}\r\nUSER u 0 * :u\r\n`));
    }
    settle(hub, conns, links);
  }
  const sender = hub.connect(0, "10.0.0.2");
  const login = { type: "login", id: 1, name: "sender", protocol: PROTOCOL_VERSION };
  hub.receive(sender, utf8.encode(JSON.stringify(login) + "\n"), 0);
  settle(hub, conns, links);
  hub.takeOutput(sender);
  drainActions();
  const say = (i: number) =>
    utf8.encode(JSON.stringify({ type: "say", text: `${i} ${text}` }) + "\n");
  const round = (i: number) => {
    hub.receive(sender, say(i), 1);
    hub.takeOutput(sender);
    drainActions();
    for (const conn of conns) {
      const out = hub.takeOutput(conn);
      const link = links.get(conn);
      if (link === undefined || out === null) continue;
      link.fromHub(1, out);
      link.takeClientOutput();
    }
  };
  for (let i = 0; i < Math.min(messages, 500); i++) round(i);
  const start = performance.now();
  for (let i = 0; i < messages; i++) round(i);
  return (performance.now() - start) * 1000 / (messages * members);
}

/** Moves every link's requests to the hub and the hub's output back until all is quiet. */
function settle(hub: Hub, conns: ConnId[], links: Map<ConnId, IrcHubLink>): void {
  for (let busy = true; busy;) {
    busy = false;
    while (hub.pollAction() !== null);
    for (const conn of conns) {
      const link = links.get(conn);
      const out = hub.takeOutput(conn);
      if (link === undefined) continue;
      if (out !== null) link.fromHub(0, out);
      link.takeClientOutput();
      const input = link.takeHubInput();
      if (input !== null) {
        busy = true;
        hub.receive(conn, input, 0);
      }
    }
  }
}

for (const kind of ["chat", "irc shared", "irc unshared"] as const) {
  console.log(
    `${kind.padEnd(14)} ${members} members: ${run(kind).toFixed(2).padStart(6)} µs per delivery`,
  );
}
