import assert from "node:assert/strict";
import {
  MAX_HELD_LINES,
  MAX_IRC_ERRORS_IN_ROW,
  REGISTRATION_TIMEOUT_MS,
} from "../../lib/irc/limits.ts";
import { Harness, registered } from "./_session_harness.ts";

Deno.test("IrcSession logs in to the hub after NICK and USER, and sends the welcome burst", () => {
  const h = new Harness().send("NICK ann", "USER u 0 * :Ann");
  const login = h.request();
  assert.deepEqual(login, { type: "login", name: "ann", id: login.id });
  assert.deepEqual(h.take(), []);
  h.event({ type: "welcome", re: login.id, name: "ann", ts: 1 });
  const numerics = h.numerics();
  assert.deepEqual(numerics.slice(0, 5), ["001", "002", "003", "004", "005"]);
  assert.equal(numerics.at(-1), "376");
  assert.ok(h.session.registered);
});

Deno.test("IrcSession shows the automatic #lobby join with the names and no 331", () => {
  const h = new Harness().send("NICK ann", "USER u 0 * :Ann");
  h.event({ type: "welcome", re: h.request().id, name: "ann", ts: 1 }).take();
  h.event({ type: "join", room: "#lobby", name: "ann", ts: 2 });
  assert.deepEqual(h.take(), [":ann!ann@deno-chat JOIN #lobby"]);
  const [topic, names] = h.takeRequests();
  assert.deepEqual([topic?.type, names?.type], ["topic", "names"]);
  h.event({ type: "topic", re: topic!.id, room: "#lobby", text: "", ts: 2 });
  h.event({ type: "names", re: names!.id, room: "#lobby", names: ["ann", "bob"] });
  assert.deepEqual(h.take(), [
    ":deno-chat 353 ann = #lobby :ann bob",
    ":deno-chat 366 ann #lobby :End of /NAMES list",
  ]);
});

Deno.test("IrcSession answers 433 to a nick the hub says is taken, and logs in with the next", () => {
  const h = new Harness().send("NICK bob", "USER u 0 * :Bob");
  h.event({ type: "error", re: h.request().id, code: "NAME_TAKEN", message: "Name taken" });
  assert.deepEqual(h.take(), [":deno-chat 433 * bob :Name taken"]);
  h.send("NICK bob_");
  assert.deepEqual(h.request().type, "login");
});

Deno.test("IrcSession answers 432 to a nick that breaks the name rules, asking the hub nothing", () => {
  const h = new Harness().send("NICK b@d", "USER u 0 * :x");
  assert.deepEqual(h.numerics(), ["432"]);
  assert.deepEqual(h.takeRequests(), []);
  h.send("NICK");
  assert.deepEqual(h.numerics(), ["431"]);
});

Deno.test("IrcSession holds registration during CAP negotiation until CAP END", () => {
  const h = new Harness().send("CAP LS 302");
  assert.deepEqual(h.take(), [
    ":deno-chat CAP * LS :server-time message-tags echo-message away-notify batch draft/chathistory sasl=PLAIN",
  ]);
  h.send("NICK ann", "USER u 0 * :Ann", "CAP REQ :server-time echo-message");
  assert.deepEqual(h.take(), [":deno-chat CAP ann ACK :server-time echo-message"]);
  assert.deepEqual(h.takeRequests(), []);
  h.send("CAP END");
  assert.equal(h.request().type, "login");
});

Deno.test("IrcSession answers 451 to commands before registration and 421 to unknown ones", () => {
  const h = new Harness().send("JOIN #lobby", "PRIVMSG #lobby :hi", "FROB x");
  assert.deepEqual(h.numerics(), ["451", "451", "421"]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession ignores irssi's JOIN with no room before registration, not a bad line", () => {
  const h = new Harness();
  for (let i = 0; i < MAX_IRC_ERRORS_IN_ROW + 1; i++) h.send("JOIN :");
  assert.deepEqual(h.take(), []);
  assert.equal(h.session.closed, false);
  h.send("NICK ann", "USER u 0 * :Ann");
  assert.equal(h.request().type, "login");
});

Deno.test("IrcSession logs in with PASS as both passwords; a second USER gets 462", () => {
  const h = new Harness().send("PASS secret", "NICK ann", "USER u 0 * :Ann");
  const login = h.request();
  assert.deepEqual(login, {
    type: "login",
    name: "ann",
    password: "secret",
    serverPassword: "secret",
    id: login.id,
  });
  h.event({ type: "welcome", re: login.id, name: "ann", ts: 1 }).take();
  h.send("USER u 0 * :Ann");
  assert.deepEqual(h.numerics(), ["462"]);
});

Deno.test("IrcSession answers PING with PONG before and after registration", () => {
  assert.deepEqual(new Harness().send("PING :tok 1").take(), [":deno-chat PONG deno-chat :tok 1"]);
  assert.deepEqual(registered().send("PING x").take(), [":deno-chat PONG deno-chat :x"]);
  assert.deepEqual(new Harness().send("PING").numerics(), ["461"]);
});

Deno.test("IrcSession closes a connection that has not registered by its deadline", () => {
  const h = new Harness(1000).send("NICK ann");
  assert.equal(h.session.pollTimeout(), 1000 + REGISTRATION_TIMEOUT_MS);
  h.session.handleTimeout(1000 + REGISTRATION_TIMEOUT_MS - 1);
  assert.deepEqual(h.drain().closes, []);
  h.session.handleTimeout(1000 + REGISTRATION_TIMEOUT_MS);
  h.drain();
  assert.deepEqual(h.closes, ["Registration timed out"]);
  assert.deepEqual(h.take(), [":deno-chat ERROR :Closing link: Registration timed out"]);
  assert.equal(h.session.pollTimeout(), null);
});

Deno.test("IrcSession has no deadline once registered", () => {
  const h = registered();
  assert.equal(h.session.pollTimeout(), null);
  h.session.handleTimeout(10 * REGISTRATION_TIMEOUT_MS);
  assert.deepEqual(h.drain().closes, []);
});

Deno.test("IrcSession QUIT tells the hub the reason and closes", () => {
  const h = registered().send("QUIT :gone fishing");
  assert.deepEqual(h.takeRequests().map((r) => [r.type, "text" in r ? r.text : ""]), [
    ["quit", "gone fishing"],
  ]);
  assert.deepEqual(h.closes, ["Quit: gone fishing"]);
  h.send("PRIVMSG #lobby :after quit");
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession relays the hub's heartbeat as PING and the client's PONG back", () => {
  const h = registered().event({ type: "ping", ts: 5 });
  assert.deepEqual(h.take(), [":deno-chat PING deno-chat"]);
  h.send("PONG deno-chat");
  assert.equal(h.request().type, "pong");
});

Deno.test("IrcSession closes with ERROR when the hub shuts down or ends the session", () => {
  const h = registered().event({ type: "shutdown", reason: "Server is shutting down" });
  assert.deepEqual(h.closes, ["Server is shutting down"]);
  const g = registered();
  g.session.hubClosed(0, "Too slow");
  assert.deepEqual(g.drain().closes, ["Too slow"]);
});

Deno.test("IrcSession holds commands sent before the hub's welcome, and runs them after it", () => {
  const h = new Harness().send("NICK ann", "USER u 0 * :Ann", "JOIN #dev", "PRIVMSG bob :early");
  const login = h.request();
  assert.deepEqual(h.take(), []);
  h.event({ type: "welcome", re: login.id, name: "ann", ts: 1 }).take();
  assert.deepEqual(h.takeRequests().map((r) => r.type), ["join", "msg"]);
});

Deno.test("IrcSession answers 451 to held commands when the login is refused", () => {
  const h = new Harness().send("NICK bob", "USER u 0 * :Bob", "JOIN #dev");
  h.event({ type: "error", re: h.request().id, code: "NAME_TAKEN", message: "Name taken" });
  assert.deepEqual(h.numerics(), ["433", "451"]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession holds at most MAX_HELD_LINES commands while logging in", () => {
  const h = new Harness().send("NICK ann", "USER u 0 * :Ann");
  for (let i = 0; i < MAX_HELD_LINES + 2; i++) h.send(`PRIVMSG bob :${i}`);
  assert.deepEqual(h.numerics(), ["451", "451"]);
  h.event({ type: "welcome", re: h.request().id, name: "ann", ts: 1 }).take();
  assert.equal(h.takeRequests().length, MAX_HELD_LINES);
});

Deno.test("IrcSession lets no NICK change the name being logged in with", () => {
  const h = new Harness().send("NICK ann", "USER u 0 * :Ann", "NICK zed");
  const login = h.request();
  assert.equal(h.session.nick, "ann");
  h.event({ type: "welcome", re: login.id, name: "ann", ts: 1 }).take();
  // Once in, the held NICK asks the hub to rename.
  assert.deepEqual(h.takeRequests().map((r) => r.type), ["nick"]);
});
