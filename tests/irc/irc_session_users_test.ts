import assert from "node:assert/strict";
import { ok, registered } from "./_session_harness.ts";

Deno.test("IrcSession WHOIS asks the hub and answers 311, 319, 312, 301, 317, 318", () => {
  const h = registered().send("WHOIS bob");
  const whois = h.request();
  assert.deepEqual(whois, { type: "whois", name: "bob", id: whois.id });
  h.event({
    type: "whois",
    re: whois.id,
    name: "bob",
    since: 1_000_000,
    idleMs: 61_500,
    rooms: ["#lobby", "#dev"],
    away: "lunch",
  });
  assert.deepEqual(h.take(), [
    ":deno-chat 311 ann bob bob deno-chat * :bob",
    ":deno-chat 319 ann bob :#lobby #dev",
    ":deno-chat 312 ann bob deno-chat :deno-chat chat hub",
    ":deno-chat 301 ann bob :lunch",
    ":deno-chat 317 ann bob 61 1000 :seconds idle, signon time",
    ":deno-chat 318 ann bob :End of /WHOIS list",
  ]);
});

Deno.test("IrcSession WHOIS of nobody answers 401 then 318", () => {
  const h = registered().send("WHOIS zed");
  h.event({ type: "error", re: h.request().id, code: "NO_SUCH_USER", message: "No such nick" });
  assert.deepEqual(h.numerics(), ["401", "318"]);
  assert.deepEqual(h.send("WHOIS").numerics(), ["431"]);
});

Deno.test("IrcSession AWAY marks the user away (306) and back (305)", () => {
  const h = registered().send("AWAY :lunch");
  assert.deepEqual(h.lines, []);
  const away = h.requests[0]!;
  assert.deepEqual(away, { type: "away", text: "lunch", id: away.id });
  assert.deepEqual(ok(h).numerics(), ["306"]);
  h.send("AWAY");
  assert.deepEqual(h.requests[0], { type: "away", id: h.requests[0]!.id });
  assert.deepEqual(ok(h).numerics(), ["305"]);
});

Deno.test("IrcSession shows others going away only with away-notify", () => {
  const plain = registered("ann", { others: ["bob"] });
  plain.event({ type: "away", name: "bob", text: "lunch", ts: 0 });
  assert.deepEqual(plain.take(), []);
  const notified = registered("ann", { caps: "away-notify", others: ["bob"] });
  notified.event({ type: "away", name: "bob", text: "lunch", ts: 0 });
  notified.event({ type: "away", name: "bob", ts: 0 });
  assert.deepEqual(notified.take(), [":bob!bob@deno-chat AWAY :lunch", ":bob!bob@deno-chat AWAY"]);
});

Deno.test("IrcSession NICK renames through the hub, shown once, 433 when taken", () => {
  const h = registered("ann", { others: ["bob"] }).send("NICK bob");
  h.event({ type: "error", re: h.request().id, code: "NAME_TAKEN", message: "Name taken" });
  assert.deepEqual(h.take(), [":deno-chat 433 ann bob :Name taken"]);
  h.send("NICK Anna");
  const nick = h.request();
  h.event({ type: "ok", re: nick.id, ts: 0 });
  h.event({ type: "nick", old: "ann", name: "Anna", ts: 0 });
  assert.deepEqual(h.take(), [":ann!ann@deno-chat NICK Anna"]);
  assert.equal(h.session.nick, "Anna");
  h.send("PRIVMSG #lobby :hi");
  assert.equal(h.request().type, "say");
});

Deno.test("IrcSession shows another user's rename the hub tells it of", () => {
  const h = registered("ann", { others: ["bob"] });
  h.event({ type: "nick", old: "bob", name: "rob", ts: 0 });
  assert.deepEqual(h.take(), [":bob!bob@deno-chat NICK rob"]);
});

Deno.test("IrcSession WHO nick asks the hub and shows G for a user who is away", () => {
  const h = registered("ann", { others: ["bob"] }).send("WHO bob");
  const whois = h.request();
  assert.deepEqual(whois, { type: "whois", name: "bob", id: whois.id });
  const user = { type: "whois", re: whois.id, name: "bob", rooms: ["#lobby"], since: 0 };
  h.event({ ...user, type: "whois", idleMs: 0, away: "lunch" });
  assert.deepEqual(h.take(), [
    ":deno-chat 352 ann * bob deno-chat deno-chat bob G :0 bob",
    ":deno-chat 315 ann bob :End of WHO list",
  ]);
  h.send("WHO bob").event({ ...user, type: "whois", re: h.request().id, idleMs: 0 });
  assert.ok(h.take()[0]!.includes(" bob H :0 bob"));
  h.send("WHO nobody");
  h.event({ type: "error", re: h.request().id, code: "NO_SUCH_USER", message: "No such user" });
  assert.deepEqual(h.take(), [":deno-chat 315 ann nobody :End of WHO list"]);
  assert.deepEqual(h.send("WHO *").numerics(), ["315"]);
});

Deno.test("IrcSession MOTD sends the message of the day again", () => {
  assert.deepEqual(registered().send("MOTD").numerics(), ["375", "372", "372", "376"]);
});

Deno.test("IrcSession shows its own rename once when the hub's event comes before the reply", () => {
  const h = registered().send("NICK Anna");
  const nick = h.request();
  h.event({ type: "nick", old: "ann", name: "Anna", ts: 0 });
  h.event({ type: "ok", re: nick.id, ts: 0 });
  assert.deepEqual(h.take(), [":ann!ann@deno-chat NICK Anna"]);
});

Deno.test("IrcSession answers 301 to a PRIVMSG the hub says reached an away user, not to a NOTICE", () => {
  const h = registered().send("PRIVMSG Bob :hi");
  h.event({ type: "ok", re: h.request().id, ts: 0, to: "bob", away: "lunch" });
  assert.deepEqual(h.take(), [":deno-chat 301 ann bob :lunch"]);
  h.send("NOTICE bob :hi");
  h.event({ type: "ok", re: h.request().id, ts: 0, to: "bob", away: "lunch" });
  assert.deepEqual(h.take(), []);
});
