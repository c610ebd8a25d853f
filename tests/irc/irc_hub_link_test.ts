import assert from "node:assert/strict";
import { type ConnId, GATEWAY_NAMES_LINE } from "../../lib/chat/hub_types.ts";
import { MAX_ROOMS_PER_USER, MAX_TOPIC_CHARS, PROTOCOL_VERSION } from "../../lib/chat/limits.ts";
import { MAX_ROOM_NAME_CHARS } from "../../lib/chat/room_rules.ts";
import { SharedMeaning } from "../../lib/irc/shared_meaning.ts";
import { DeliveryCache } from "../../lib/irc/delivery_cache.ts";
import { HubHarness, ofType } from "../chat/_hub_harness.ts";
import { IrcOnHub } from "./_link_on_hub.ts";
import { IrcHubLink } from "../../lib/irc/irc_hub_link.ts";

const utf8 = new TextEncoder();

/** A chat client speaking the rooms protocol (the harness's `login` is a version 1 client). */
function chatUser(hub: HubHarness, name: string): ConnId {
  const conn = hub.connect(0);
  hub.send(conn, { type: "login", name, protocol: PROTOCOL_VERSION }, 0);
  hub.read(conn);
  return conn;
}

function register(
  hub: HubHarness,
  nick: string,
  options = {},
  binding: { gateway?: boolean } = {},
): IrcOnHub {
  const irc = new IrcOnHub(hub, 0, options, undefined, binding)
    .write(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`);
  irc.read();
  return irc;
}

Deno.test("IrcHubLink logs in with the rooms protocol and JOIN shows the room's topic and names", () => {
  const hub = new HubHarness({ rate: null });
  const bob = chatUser(hub, "bob");
  hub.send(bob, { type: "join", room: "#dev" }, 0);
  hub.send(bob, { type: "topic", room: "#dev", topic: "Release Friday" }, 0);
  hub.read(bob);
  const ann = register(hub, "ann");
  ann.write("JOIN #Dev\r\n");
  const lines = ann.read();
  assert.ok(lines.includes(":ann!ann@deno-chat JOIN #dev"), lines.join("\n"));
  assert.ok(lines.includes(":deno-chat 332 ann #dev :Release Friday"), lines.join("\n"));
  // `joined` says who set the topic and when: 333 right after 332, with no request more.
  const at = lines.indexOf(":deno-chat 332 ann #dev :Release Friday");
  assert.match(lines[at + 1]!, /^:deno-chat 333 ann #dev bob :\d+$/);
  assert.ok(lines.includes(":deno-chat 353 ann = #dev :bob ann"), lines.join("\n"));
  assert.deepEqual(ofType(hub.read(bob), "join").map((l) => [l.name, l.room]), [
    ["ann", "#lobby"],
    ["ann", "#dev"],
  ]);
});

Deno.test("IrcHubLink: PART, a topic set by IRC and a say in a room reach the chat client", () => {
  const hub = new HubHarness({ rate: null });
  const bob = chatUser(hub, "bob");
  hub.send(bob, { type: "join", room: "#dev" }, 0);
  const ann = register(hub, "ann");
  ann.write("JOIN #dev\r\n").read();
  hub.read(bob);
  ann.write("TOPIC #dev :ship it\r\nPRIVMSG #dev :done\r\nPART #dev :bye\r\n");
  const got = hub.read(bob).map((l) => [l.type, l.room, l.topic ?? l.text ?? l.reason]);
  assert.deepEqual(got, [
    ["topic", "#dev", "ship it"],
    ["message", "#dev", "done"],
    ["leave", "#dev", "part"],
  ]);
  const lines = ann.read();
  assert.ok(lines.includes(":ann!ann@deno-chat TOPIC #dev :ship it"), lines.join("\n"));
  assert.ok(lines.includes(":ann!ann@deno-chat PART #dev"), lines.join("\n"));
});

Deno.test("IrcHubLink: a chat client's part of a room is a PART, its join a JOIN", () => {
  const hub = new HubHarness({ rate: null });
  const bob = chatUser(hub, "bob");
  const ann = register(hub, "ann");
  ann.write("JOIN #dev\r\n").read();
  hub.send(bob, { type: "join", room: "#dev" }, 0);
  hub.send(bob, { type: "say", room: "#dev", text: "hi" }, 0);
  hub.send(bob, { type: "part", room: "#dev" }, 0);
  assert.deepEqual(ann.read(), [
    ":bob!bob@deno-chat JOIN #dev",
    ":bob!bob@deno-chat PRIVMSG #dev :hi",
    ":bob!bob@deno-chat PART #dev",
  ]);
});

Deno.test("IrcHubLink: a JOIN costs one request of the rate limit, so 16 at once all sync", () => {
  const hub = new HubHarness(); // the default rate limit: a burst of 40 requests
  const ann = register(hub, "ann");
  const rooms = Array.from({ length: 16 }, (_, i) => `#room${i}`);
  for (let i = 0; i < rooms.length; i += 4) {
    ann.write(`JOIN ${rooms.slice(i, i + 4).join(",")}\r\n`);
  }
  const ends = ann.read().filter((l) => / 366 ann #room/.test(l));
  assert.equal(ends.length, rooms.length);
});

Deno.test("IrcHubLink: the hub's room refusals are the IRC numerics", () => {
  const hub = new HubHarness({ rate: null });
  const ann = register(hub, "ann");
  // A name the gateway lets through (it checks characters) but the hub refuses: dots alone.
  ann.write("JOIN #...\r\nTOPIC #lobby :\x07bell\r\n");
  const lines = ann.read();
  assert.ok(lines.some((l) => / 403 ann #\.\.\. /.test(l)), lines.join("\n"));
  assert.ok(lines.some((l) => / NOTICE ann :TOPIC #lobby: /.test(l)), lines.join("\n"));
});

Deno.test("IrcHubLink: a join past MAX_ROOMS_PER_USER gets 405", () => {
  const hub = new HubHarness({ rate: null });
  const ann = register(hub, "ann");
  for (let i = 1; i < MAX_ROOMS_PER_USER; i++) ann.write(`JOIN #r${i}\r\n`, i * 1000).read();
  ann.write("JOIN #onemore\r\n", 100_000);
  assert.ok(ann.read().some((l) => / 405 ann #onemore /.test(l)));
});

Deno.test("IrcHubLink: NAMES and LIST longer than one hub line are joined from their pages", () => {
  const hub = new HubHarness({ rate: null, maxPerAddress: 10_000, maxClients: 10_000 });
  const names: string[] = [];
  for (let i = 0; i < 3000; i++) names.push(`user${String(i).padStart(26, "0")}`);
  for (const name of names) hub.login(name, 0);
  // Bound as a chat client: the hub's names come as JSON pages.
  const ann = register(hub, "ann", {}, { gateway: false });
  ann.write("NAMES #lobby\r\n");
  const listed = ann.read().filter((l) => / 353 /.test(l)).flatMap((l) =>
    l.slice(l.indexOf(" :") + 2).split(" ")
  );
  assert.equal(listed.length, names.length + 1);
  assert.deepEqual(listed.slice(0, 3), names.slice(0, 3));
  ann.write("LIST\r\n");
  assert.ok(ann.read().includes(`:deno-chat 322 ann #lobby ${names.length + 1} :`));
});

Deno.test("IrcHubLink: ISUPPORT announces the hub's room name and topic limits", () => {
  const hub = new HubHarness();
  const irc = new IrcOnHub(hub, 0).write("NICK ann\r\nUSER ann 0 * :Ann\r\n");
  const isupport = irc.read().filter((l) => / 005 /.test(l)).join(" ");
  assert.ok(isupport.includes(` CHANNELLEN=${MAX_ROOM_NAME_CHARS + 1} `), isupport);
  assert.ok(isupport.includes(` TOPICLEN=${MAX_TOPIC_CHARS} `), isupport);
});

Deno.test("IrcHubLink: the hub ending the session is an ERROR line and a close", () => {
  const hub = new HubHarness();
  const irc = new IrcOnHub(hub, 0);
  hub.tick(60_000); // no login: LOGIN_TIMEOUT
  const lines = irc.read(60_000);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^:deno-chat ERROR :Closing link: /);
  assert.notEqual(irc.link.closeReason, null);
});

/** Link options sharing one parse, with a count of the lines formatted through its cache. */
function countingParse() {
  const meanings = new SharedMeaning();
  let formatted = 0;
  const cache = new (class extends DeliveryCache {
    override lines(event: object, key: string, make: () => string[]): readonly string[] {
      return super.lines(event, key, () => (formatted++, make()));
    }
  })();
  const options = { meanings, session: { deliveryCache: cache } };
  return { meanings, options, formatted: () => formatted };
}

Deno.test("IrcHubLink: with a shared parse, a room message is parsed and formatted once", () => {
  const hub = new HubHarness({ rate: null });
  const bob = chatUser(hub, "bob");
  const { meanings, options, formatted } = countingParse();
  const members = [register(hub, "ann", options), register(hub, "cy", options)];
  hub.read(bob);
  members[0]!.read();
  hub.send(bob, { type: "say", text: "hi all" }, 0);
  const [madeBefore, formattedBefore] = [meanings.stats.made, formatted()];
  const [a, c] = members.map((m) => m.read());
  assert.deepEqual(a, [":bob!bob@deno-chat PRIVMSG #lobby :hi all"]);
  assert.deepEqual(c, a);
  assert.deepEqual([meanings.stats.made - madeBefore, formatted() - formattedBefore], [1, 1]);
});

Deno.test("IrcHubLink: WHOIS, AWAY, NICK and a QUIT's goodbye go through the hub's presence", () => {
  const hub = new HubHarness({ rate: null });
  const bob = chatUser(hub, "bob");
  hub.send(bob, { type: "away", text: "lunch" }, 0);
  hub.read(bob);
  const ann = register(hub, "ann");
  const whois = ann.write("WHOIS bob\r\n").read();
  assert.ok(whois.some((l) => l.startsWith(":deno-chat 311 ann bob ")), whois.join("\n"));
  assert.ok(whois.includes(":deno-chat 301 ann bob :lunch"), whois.join("\n"));
  assert.ok(whois.includes(":deno-chat 318 ann bob :End of /WHOIS list"), whois.join("\n"));
  ann.write("AWAY :brb\r\nNICK anna\r\n").read();
  const told = hub.read(bob).map((l) => [l.type, l.name, l.text ?? l.old]);
  assert.deepEqual(told.filter(([type]) => type !== "join"), [
    ["away", "ann", "brb"],
    ["nick", "anna", "ann"],
  ]);
  ann.write("QUIT :see you\r\n").read();
  assert.deepEqual(ofType(hub.read(bob), "leave").map((l) => [l.name, l.text]), [[
    "anna",
    "see you",
  ]]);
});

Deno.test("IrcHubLink: a joins is a JOIN per user, made once, and a newcomer skips to its own", () => {
  const hub = new HubHarness({ rate: null, presenceCoalesceMs: 250 });
  const { meanings, options, formatted } = countingParse();
  const [ann, cy] = [register(hub, "ann", options), register(hub, "cy", options)];
  hub.handleTimeout(250);
  ann.read();
  cy.read();
  chatUser(hub, "bob");
  const dee = register(hub, "dee", options);
  chatUser(hub, "eve");
  dee.read();
  const [madeBefore, formattedBefore] = [meanings.stats.made, formatted()];
  hub.handleTimeout(500);
  const all = [":bob!bob@deno-chat JOIN #lobby", ":dee!dee@deno-chat JOIN #lobby"];
  assert.deepEqual(ann.read(), [...all, ":eve!eve@deno-chat JOIN #lobby"]);
  assert.deepEqual(cy.read(), [...all, ":eve!eve@deno-chat JOIN #lobby"]);
  assert.deepEqual(dee.read(), [":eve!eve@deno-chat JOIN #lobby"]);
  assert.deepEqual([meanings.stats.made - madeBefore, formatted() - formattedBefore], [1, 1]);
});

Deno.test("IrcHubLink: as the hub's gateway, NAMES of thousands is 353 lines of at most 512 bytes", () => {
  const hub = new HubHarness({ rate: null, maxPerAddress: 10_000, maxClients: 10_000 });
  const names: string[] = [];
  for (let i = 0; i < 3000; i++) names.push(`u${String(i).padStart(i % 32, "0")}`);
  for (const name of names) hub.login(name, 0);
  const ann = register(hub, "ann");
  ann.write("NAMES #lobby\r\n");
  const lines = ann.read();
  const replies = lines.filter((l) => / 353 /.test(l));
  for (const line of replies) assert.ok(utf8.encode(line).length + 2 <= 512, line);
  // Full lines: the next name would not have fitted.
  assert.ok(utf8.encode(replies[0]!).length + 2 > 512 - 33, replies[0]);
  const listed = replies.flatMap((l) => l.slice(l.indexOf(" :") + 2).split(" "));
  assert.deepEqual(listed, [...names, "ann"]);
  assert.equal(lines.at(-1), ":deno-chat 366 ann #lobby :End of /NAMES list");
  assert.equal(ann.link.stats.badHubLines, 0);
});

Deno.test("IrcHubLink: as the hub's gateway, NAMES follows parts and renames in the room", () => {
  const hub = new HubHarness({ rate: null });
  const [bob, cy] = [chatUser(hub, "bob"), chatUser(hub, "cy")];
  const ann = register(hub, "ann");
  const namesOf = () => ann.write("NAMES #lobby\r\n").read().filter((l) => / 353 /.test(l));
  assert.deepEqual(namesOf(), [":deno-chat 353 ann = #lobby :bob cy ann"]);
  hub.send(bob, { type: "nick", name: "rob" }, 0);
  assert.deepEqual(namesOf(), [":deno-chat 353 ann = #lobby :rob cy ann"]);
  hub.disconnect(cy, 0);
  assert.deepEqual(namesOf(), [":deno-chat 353 ann = #lobby :rob ann"]);
  chatUser(hub, "dee");
  assert.deepEqual(namesOf(), [":deno-chat 353 ann = #lobby :rob ann dee"]);
});

Deno.test("IrcHubLink: WHO #room says G for the members away on the hub, H for the others", () => {
  const hub = new HubHarness({ rate: null });
  const bob = chatUser(hub, "bob");
  chatUser(hub, "cy");
  hub.send(bob, { type: "away", text: "lunch" }, 0);
  const ann = register(hub, "ann");
  ann.write("WHO #lobby\r\n");
  const flags = ann.read().filter((l) => / 352 /.test(l)).map((l) => l.split(" ").slice(7, 9));
  assert.deepEqual(flags, [["bob", "G"], ["cy", "H"], ["ann", "H"]]);
  ann.write("AWAY :brb\r\n").read();
  hub.send(bob, { type: "away" }, 0);
  ann.write("WHO #lobby\r\n");
  const again = ann.read().filter((l) => / 352 /.test(l)).map((l) => l.split(" ").slice(7, 9));
  assert.deepEqual(again, [["bob", "H"], ["cy", "H"], ["ann", "G"]]);
});

Deno.test("IrcHubLink: a names marker with no answer handed over is counted and dropped", () => {
  const link = new IrcHubLink(0);
  link.fromHub(0, utf8.encode(`${GATEWAY_NAMES_LINE}\n`));
  assert.equal(link.stats.badHubLines, 1);
  assert.equal(link.takeClientOutput(), null);
});

Deno.test("IrcHubLink: replies to one link's requests do not push broadcasts out of the shared parse", () => {
  const meanings = new SharedMeaning(2);
  const hub = new HubHarness({ rate: null });
  const bob = chatUser(hub, "bob");
  const [ann, cy] = [register(hub, "ann", { meanings }), register(hub, "cy", { meanings })];
  hub.send(bob, { type: "say", text: "hello" }, 0);
  assert.ok(ann.read().some((l) => l.endsWith("PRIVMSG #lobby :hello")));
  ann.write("TOPIC #lobby\r\nWHOIS bob\r\nLIST\r\n").read();
  const made = meanings.stats.made;
  assert.ok(cy.read().some((l) => l.endsWith("PRIVMSG #lobby :hello")));
  assert.equal(meanings.stats.made, made, "the message was parsed once, for both");
});
