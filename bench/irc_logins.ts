/**
 * What a storm of IRC logins into one room costs the hub and its IRC links, without sockets:
 * one `Hub`, N IRC links bound as the IRC listener binds them (shared parse and formatting, each
 * link the hub's gateway for `names`), one login per simulated millisecond, joins held as the hub
 * holds them. Each login registers, is welcomed, put in `#lobby` and shown its NAMES (353, 366);
 * every member is written the JOINs. Prints µs of CPU per login, from the client's bytes to the
 * bytes the driver would write; with `--hash`, also a hash of everything written to the clients
 * (to compare two versions' output; hashing takes longer than the logins, so no time is printed). The socket driver's costs (writes, reads, promises) are not in it: see
 * `bench/chat/login_storm.ts --irc` for those.
 *
 * `deno run bench/irc_logins.ts [LOGINS] [--hash]` (default 5,000 logins)
 * @module
 */

import { Hub } from "../lib/chat/hub.ts";
import type { ConnId } from "../lib/chat/hub_types.ts";
import { DeliveryCache } from "../lib/irc/delivery_cache.ts";
import { IrcHubLink } from "../lib/irc/irc_hub_link.ts";
import { SharedMeaning } from "../lib/irc/shared_meaning.ts";

const logins = Number(Deno.args.find((arg) => !arg.startsWith("--")) ?? 5_000);
const hashing = Deno.args.includes("--hash");
const utf8 = new TextEncoder();

if (import.meta.main) {
  const hub = new Hub({
    rate: null,
    maxClients: logins + 10,
    maxPerAddress: logins + 10,
    maxUnauthenticated: logins + 10,
  });
  const links = new Map<ConnId, IrcHubLink>();
  const meanings = new SharedMeaning();
  const session = { deliveryCache: new DeliveryCache() };
  const output = { bytes: 0, hash: hashing ? 2166136261 : null as number | null };
  const dirty = new Set<ConnId>();
  const pump = () => {
    for (let a = hub.pollAction(); a !== null; a = hub.pollAction()) {
      if (a.kind === "write") dirty.add(a.conn);
    }
  };
  const flush = (now: number) => {
    while (dirty.size > 0) {
      const ids = [...dirty];
      dirty.clear();
      for (const id of ids) carry(hub, links.get(id)!, id, now, output);
      pump();
    }
  };
  // The first millisecond of a monotonic clock that reads like the wall clock.
  let now = 1_000_000;
  const started = performance.now();
  for (let i = 0; i < logins; i++) {
    now++;
    const link = new IrcHubLink(now, { meanings, session });
    const id = hub.connect(now, "127.0.0.1", { gateway: link });
    links.set(id, link);
    link.fromClient(now, utf8.encode(`NICK u${i}\r\nUSER u${i} 0 * :bench\r\n`));
    const input = link.takeHubInput();
    if (input !== null) hub.receive(id, input, now);
    const due = hub.pollTimeout();
    if (due !== null && due <= now) hub.handleTimeout(now);
    pump();
    flush(now);
  }
  const ms = performance.now() - started;
  const written = `${(output.bytes / 1e6).toFixed(0)} MB written to clients`;
  console.log(
    output.hash === null
      ? `${logins} IRC logins into one room: ${
        (ms * 1000 / logins).toFixed(0)
      } µs per login, ${written}`
      : `${logins} IRC logins into one room: ${written}, hash ${output.hash.toString(16)}`,
  );
}

/** Moves the hub's output for `id` through its link, and the link's requests to the hub. */
function carry(
  hub: Hub,
  link: IrcHubLink,
  id: ConnId,
  now: number,
  output: { bytes: number; hash: number | null },
): void {
  const out = hub.takeOutput(id);
  if (out !== null) link.fromHub(now, out);
  const lines = link.takeClientOutput();
  if (lines !== null) {
    output.bytes += lines.length;
    if (output.hash === null) return carryInput(hub, link, id, now);
    let hash = output.hash;
    for (let k = 0; k < lines.length; k++) hash = Math.imul(hash ^ lines[k]!, 16777619) >>> 0;
    output.hash = hash;
  }
  carryInput(hub, link, id, now);
}

function carryInput(hub: Hub, link: IrcHubLink, id: ConnId, now: number): void {
  const input = link.takeHubInput();
  if (input !== null) hub.receive(id, input, now);
}
