import assert from "node:assert/strict";
import { MAX_IRC_LINE_BYTES } from "../../lib/irc/limits.ts";
import { utf8Length } from "../../lib/irc/utf8_length.ts";
import { ok, registered } from "./_session_harness.ts";

Deno.test("IrcSession JOIN asks the hub, then shows JOIN, the topic and the names", () => {
  const h = registered().send("JOIN #Dev");
  const join = h.request();
  assert.deepEqual(join, { type: "join", room: "#Dev", id: join.id });
  h.event({ type: "ok", re: join.id, ts: 0, room: "#dev" });
  assert.deepEqual(h.take(), [":ann!ann@deno-chat JOIN #dev"]);
  const [topic, names] = h.takeRequests();
  h.event({ type: "topic", re: topic!.id, room: "#dev", text: "Ship it", by: "bob", ts: 5000 });
  h.event({ type: "names", re: names!.id, room: "#dev", names: ["ann", "bob"] });
  assert.deepEqual(h.take(), [
    ":deno-chat 332 ann #dev :Ship it",
    ":deno-chat 333 ann #dev bob :5",
    ":deno-chat 353 ann = #dev :ann bob",
    ":deno-chat 366 ann #dev :End of /NAMES list",
  ]);
});

Deno.test("IrcSession JOIN shows 332 then 333 from the hub's joined reply, asking nothing more", () => {
  const h = registered().send("JOIN #dev");
  const join = h.request();
  const topic = { topic: "Ship it", topicBy: "bob", topicTs: 7000 };
  const members = { members: ["bob", "ann"], memberCount: 2 };
  h.event({ type: "ok", re: join.id, ts: 0, room: "#dev", ...topic, ...members });
  assert.deepEqual(h.take(), [
    ":ann!ann@deno-chat JOIN #dev",
    ":deno-chat 332 ann #dev :Ship it",
    ":deno-chat 333 ann #dev bob :7",
    ":deno-chat 353 ann = #dev :bob ann",
    ":deno-chat 366 ann #dev :End of /NAMES list",
  ]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession shows its own JOIN once when both the reply and the event tell of it", () => {
  const h = registered().send("JOIN #dev");
  const join = h.request();
  h.event({ type: "join", room: "#dev", name: "ann", ts: 0 });
  h.event({ type: "ok", re: join.id, ts: 0 });
  assert.deepEqual(h.take(), [":ann!ann@deno-chat JOIN #dev"]);
});

Deno.test("IrcSession answers 403 to a bad room name and 461 to JOIN without one", () => {
  const h = registered().send(
    "JOIN lobby",
    "JOIN #",
    `JOIN #${"x".repeat(33)}`,
    "JOIN #a b",
    "JOIN",
  );
  assert.deepEqual(h.numerics(), ["403", "403", "403", "461"]);
  // "#a b" is the room "#a" with the key "b": keys are ignored.
  assert.deepEqual(h.takeRequests().map((r) => r.type), ["join"]);
});

Deno.test("IrcSession answers 405 when the hub says the user is in too many rooms", () => {
  const h = registered().send("JOIN #more");
  h.event({ type: "error", re: h.request().id, code: "TOO_MANY_ROOMS", message: "Too many rooms" });
  assert.deepEqual(h.take(), [":deno-chat 405 ann #more :Too many rooms"]);
});

Deno.test("IrcSession PART leaves a room, 442 for a room the user is not in", () => {
  const h = registered().send("PART #nope");
  assert.deepEqual(h.numerics(), ["442"]);
  h.send("PART #LOBBY :bye");
  const part = h.request();
  assert.deepEqual(part, { type: "part", room: "#lobby", id: part.id });
  h.event({ type: "ok", re: part.id, ts: 0 });
  assert.deepEqual(h.take(), [":ann!ann@deno-chat PART #lobby"]);
  h.send("PRIVMSG #lobby :still here?");
  assert.deepEqual(h.numerics(), ["404"]);
});

Deno.test("IrcSession JOIN 0 leaves every room", () => {
  const h = registered().send("JOIN 0");
  assert.deepEqual(h.takeRequests().map((r) => r), [{ type: "part", room: "#lobby", id: 4 }]);
});

Deno.test("IrcSession shows others joining, parting and quitting, a QUIT once", () => {
  const h = registered("ann", { others: ["bob"] });
  h.event({ type: "join", room: "#lobby", name: "cy", ts: 0 });
  h.event({ type: "leave", room: "#lobby", name: "cy", reason: "part", ts: 0 });
  h.event({ type: "leave", room: "#lobby", name: "bob", reason: "quit", text: "bye", ts: 0 });
  h.event({ type: "leave", name: "bob", reason: "quit", ts: 0 });
  h.event({ type: "leave", room: "#elsewhere", name: "stranger", reason: "timeout", ts: 0 });
  assert.deepEqual(h.take(), [
    ":cy!cy@deno-chat JOIN #lobby",
    ":cy!cy@deno-chat PART #lobby",
    ":bob!bob@deno-chat QUIT :Quit: bye",
  ]);
  const g = registered("ann", { others: ["cy", "dee", "eve"] });
  g.event({ type: "leave", name: "cy", reason: "timeout", ts: 0 });
  g.event({ type: "leave", name: "dee", reason: "strange", ts: 0 });
  g.event({ type: "leave", name: "eve", reason: "constructor", ts: 0 });
  assert.deepEqual(g.take(), [
    ":cy!cy@deno-chat QUIT :Ping timeout",
    ":dee!dee@deno-chat QUIT :strange",
    ":eve!eve@deno-chat QUIT :constructor",
  ]);
});

Deno.test("IrcSession cuts a NAMES reply into 353 lines that fit 512 bytes", () => {
  const h = registered().send("NAMES #lobby");
  const names = Array.from({ length: 200 }, (_, i) => `user_${i}_${"x".repeat(20)}`);
  h.event({ type: "names", re: h.request().id, room: "#lobby", names });
  const lines = h.take();
  assert.ok(lines.length > 10);
  const listed = lines.filter((l) => l.includes(" 353 ")).flatMap((l) =>
    l.split(" :")[1]!.split(" ")
  );
  assert.deepEqual(listed, names);
  for (const line of lines) assert.ok(utf8Length(line) + 2 <= MAX_IRC_LINE_BYTES);
  assert.ok(lines.at(-1)!.includes(" 366 "));
});

Deno.test("IrcSession TOPIC reads (331 when empty) and sets, showing the change once", () => {
  const h = registered().send("TOPIC #lobby");
  h.event({ type: "topic", re: h.request().id, room: "#lobby", text: "", ts: 0 });
  assert.deepEqual(h.numerics(), ["331"]);
  h.send("TOPIC #lobby :New topic");
  const set = h.request();
  assert.deepEqual(set, { type: "topic", room: "#lobby", text: "New topic", id: set.id });
  h.event({ type: "ok", re: set.id, ts: 0 });
  h.event({ type: "topic", room: "#lobby", text: "New topic", by: "ann", ts: 0 });
  h.event({ type: "topic", room: "#lobby", text: "Bob's", by: "bob", ts: 0 });
  assert.deepEqual(h.take(), [
    ":ann!ann@deno-chat TOPIC #lobby :New topic",
    ":bob!bob@deno-chat TOPIC #lobby :Bob's",
  ]);
  h.send("TOPIC #other :x", "TOPIC");
  assert.deepEqual(h.numerics(), ["442", "461"]);
});

Deno.test("IrcSession cuts a topic too long for one 332 line instead of dropping it", () => {
  const h = registered().send("TOPIC #lobby");
  const text = "ü".repeat(300);
  h.event({ type: "topic", re: h.request().id, room: "#lobby", text, ts: 0 });
  const [line] = h.take();
  assert.ok(line!.startsWith(":deno-chat 332 ann #lobby :üüü"));
  assert.ok(utf8Length(line!) + 2 <= MAX_IRC_LINE_BYTES);
  assert.equal(h.session.stats.unwritable, 0);
});

Deno.test("IrcSession LIST shows the hub's rooms, filtered to those named", () => {
  const rooms = [
    { name: "#lobby", members: 3, topic: "Welcome" },
    { name: "#dev", members: 1, topic: "" },
  ];
  const all = registered().send("LIST");
  all.event({ type: "rooms", re: all.request().id, rooms });
  assert.deepEqual(all.take(), [
    ":deno-chat 321 ann Channel :Users  Name",
    ":deno-chat 322 ann #lobby 3 :Welcome",
    ":deno-chat 322 ann #dev 1 :",
    ":deno-chat 323 ann :End of /LIST",
  ]);
  const some = registered().send("LIST #DEV");
  some.event({ type: "rooms", re: some.request().id, rooms });
  assert.deepEqual(some.numerics(), ["321", "322", "323"]);
});

Deno.test("IrcSession WHO #room lists the room's members as the hub names them, then 315", () => {
  const h = registered("ann", { others: ["bob"] }).send("AWAY :out");
  ok(h);
  h.take();
  h.send("WHO #lobby");
  const names = h.request();
  assert.deepEqual(names, { type: "names", room: "#lobby", id: names.id });
  h.event({ type: "names", re: names.id, room: "#lobby", names: ["ann", "bob"] });
  assert.deepEqual(h.take(), [
    ":deno-chat 352 ann #lobby ann deno-chat deno-chat ann G :0 ann",
    ":deno-chat 352 ann #lobby bob deno-chat deno-chat bob H :0 bob",
    ":deno-chat 315 ann #lobby :End of WHO list",
  ]);
  h.send("WHO #nowhere");
  h.event({ type: "error", re: h.request().id, code: "NO_SUCH_ROOM", message: "No such room" });
  assert.deepEqual(h.take(), [":deno-chat 315 ann #nowhere :End of WHO list"]);
});

Deno.test("IrcSession shows a user gone from several shared rooms as one QUIT, each time", () => {
  const h = registered("ann", { others: ["bob"] });
  ok(h.send("JOIN #dev"), 5, { room: "#dev" });
  h.take();
  const gone = { name: "bob", reason: "quit", ts: 9 } as const;
  h.event({ type: "leave", room: "#lobby", ...gone });
  h.event({ type: "leave", room: "#gone", ...gone });
  h.event({ type: "leave", room: "#dev", ...gone });
  h.event({ type: "join", room: "#lobby", name: "bob", ts: 10 });
  h.event({ type: "leave", room: "#lobby", ...gone });
  assert.deepEqual(h.take(), [
    ":bob!bob@deno-chat QUIT :Quit",
    ":bob!bob@deno-chat JOIN #lobby",
    ":bob!bob@deno-chat QUIT :Quit",
  ]);
});

Deno.test("IrcSession MODE answers queries and refuses changes with 472 or 501", () => {
  const h = registered();
  h.send("MODE #lobby", "MODE #lobby b", "MODE #lobby +o bob", "MODE #lobby +kl key 5");
  assert.deepEqual(h.numerics(), ["324", "368", "472", "472", "472"]);
  h.send("MODE ann", "MODE ann +x", "MODE bob +i", "MODE #bad!name", "MODE");
  assert.deepEqual(h.numerics(), ["221", "501", "502", "403", "461"]);
  h.send("MODE ann +i");
  assert.deepEqual(h.take(), [":ann!ann@deno-chat MODE ann +i"]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession shows a topic change the hub answers with the topic instead of ok", () => {
  const h = registered().send("TOPIC #lobby :New");
  h.event({ type: "topic", re: h.request().id, room: "#lobby", text: "New", by: "ann", ts: 0 });
  assert.deepEqual(h.take(), [":ann!ann@deno-chat TOPIC #lobby :New"]);
});

Deno.test("IrcSession shows no error when its own asking after a JOIN fails", () => {
  const h = registered().send("JOIN #dev");
  h.event({ type: "ok", re: h.request().id, ts: 0 }).take();
  for (const request of h.takeRequests()) {
    h.event({ type: "error", re: request.id, code: "BAD_REQUEST", message: "No such request" });
  }
  assert.deepEqual(h.take(), []);
});

Deno.test("IrcSession cuts the hub's names text at spaces, filling each 353 line to 512 bytes", () => {
  const h = registered().send("NAMES #lobby");
  // ":deno-chat 353 ann = #lobby :" and CRLF leave 481 bytes: 59 names of 7 and a space, then
  // one of 9 fill the first line exactly; one of 10 in its place would not fit the second.
  const sevens = (from: number) =>
    Array.from({ length: 59 }, (_, i) => `u${String(from + i).padStart(6, "0")}`);
  const names = [...sevens(0), "v00000000", ...sevens(100), "w000000000", "x"];
  const text = names.join(" ");
  h.event({ type: "members", re: h.request().id, room: "#lobby", text, away: [] });
  const lines = h.take();
  const replies = lines.filter((l) => l.includes(" 353 "));
  assert.deepEqual(replies.map((l) => utf8Length(l) + 2), [512, 502, 43]);
  assert.deepEqual(replies.flatMap((l) => l.split(" :")[1]!.split(" ")), names);
  assert.equal(lines.at(-1), ":deno-chat 366 ann #lobby :End of /NAMES list");
});

Deno.test("IrcSession lists an empty names text as 366 alone", () => {
  const h = registered().send("NAMES #lobby");
  h.event({ type: "members", re: h.request().id, room: "#lobby", text: "", away: [] });
  assert.deepEqual(h.take(), [":deno-chat 366 ann #lobby :End of /NAMES list"]);
});
