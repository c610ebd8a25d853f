import assert from "node:assert/strict";
import { MAX_SASL_MESSAGE_CHARS, SASL_CHUNK_CHARS } from "../../lib/irc/limits.ts";
import { Harness } from "./_session_harness.ts";

const plain = (authzid: string, account: string, password: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(`${authzid}\0${account}\0${password}`)));

/** A session that asked for `sasl` and gave NICK and USER, output taken. */
function negotiating(): Harness {
  const h = new Harness().send("CAP LS 302", "NICK ann", "USER u 0 * :Ann", "CAP REQ :sasl");
  h.take();
  return h;
}

Deno.test("IrcSession offers sasl=PLAIN in CAP LS 302 and plain sasl in CAP LS", () => {
  assert.match(new Harness().send("CAP LS 302").take()[0]!, / sasl=PLAIN$/);
  assert.match(new Harness().send("CAP LS").take()[0]!, / sasl$/);
});

Deno.test("IrcSession SASL PLAIN asks the hub, answers 900 and 903, then logs in as the account", () => {
  const h = negotiating();
  h.send("AUTHENTICATE PLAIN");
  assert.deepEqual(h.take(), ["AUTHENTICATE +"]);
  h.send(`AUTHENTICATE ${plain("", "Ann", "correct horse")}`);
  const check = h.request();
  assert.deepEqual(check, {
    type: "authenticate",
    name: "Ann",
    password: "correct horse",
    id: check.id,
  });
  h.send("CAP END");
  assert.deepEqual(h.takeRequests(), [], "registration waits for the check");
  h.event({ type: "ok", re: check.id, ts: 1 });
  assert.deepEqual(h.take(), [
    ":deno-chat 900 ann ann!ann@deno-chat Ann :You are now logged in as Ann",
    ":deno-chat 903 ann :SASL authentication successful",
  ]);
  const login = h.request();
  assert.deepEqual(login, { type: "login", name: "Ann", id: login.id });
});

Deno.test("IrcSession closes the link when the SASL account's name is in use: no other nick can help", () => {
  const h = negotiating();
  h.send("AUTHENTICATE PLAIN", `AUTHENTICATE ${plain("", "Ann", "correct horse")}`);
  h.event({ type: "ok", re: h.request().id, ts: 1 });
  h.send("CAP END").take();
  const login = h.request();
  h.event({ type: "error", re: login.id, code: "NAME_TAKEN", message: "Name 'Ann' is taken" });
  h.drain();
  assert.deepEqual(h.closes, ["Ann is logged in on another connection (NAME_TAKEN)"]);
  assert.deepEqual(h.take(), [
    ":deno-chat ERROR :Closing link: Ann is logged in on another connection (NAME_TAKEN)",
  ]);
  h.send("NICK ann_");
  assert.deepEqual(h.takeRequests(), [], "no login is tried under another nick");
});

Deno.test("IrcSession SASL failure answers 904 with the hub's reason and registers as a guest", () => {
  const h = negotiating();
  h.send("AUTHENTICATE PLAIN", `AUTHENTICATE ${plain("ann", "ann", "wrong")}`).take();
  const check = h.request();
  h.event({ type: "error", re: check.id, code: "LOCKED_OUT", message: "try again in 60 s" });
  assert.deepEqual(h.take(), [
    ":deno-chat 904 ann :SASL authentication failed: try again in 60 s",
  ]);
  h.send("CAP END");
  assert.deepEqual(h.request().type, "login");
});

Deno.test("IrcSession SASL refuses what it cannot use: no cap, other mechanisms, bad messages, abort", () => {
  const bare = new Harness().send("NICK ann", "AUTHENTICATE PLAIN");
  assert.deepEqual(bare.numerics(), ["904"]);
  const h = negotiating();
  assert.deepEqual(h.send("AUTHENTICATE SCRAM-SHA-256").numerics(), ["908", "904"]);
  h.send("AUTHENTICATE PLAIN").take();
  assert.deepEqual(h.send("AUTHENTICATE !!!notbase64").numerics(), ["904"]);
  h.send("AUTHENTICATE PLAIN").take();
  assert.deepEqual(h.send(`AUTHENTICATE ${plain("bob", "ann", "pw")}`).numerics(), ["904"]);
  h.send("AUTHENTICATE PLAIN").take();
  assert.deepEqual(h.send("AUTHENTICATE *").numerics(), ["906"]);
  assert.deepEqual(h.takeRequests(), [], "the hub was asked nothing");
});

Deno.test("IrcSession SASL gathers 400-character chunks and refuses a message past its bound", () => {
  const h = negotiating();
  h.send("AUTHENTICATE PLAIN").take();
  const message = plain("", "ann", "p".repeat(600));
  assert.ok(message.length > SASL_CHUNK_CHARS);
  for (let at = 0; at < message.length; at += SASL_CHUNK_CHARS) {
    h.send(`AUTHENTICATE ${message.slice(at, at + SASL_CHUNK_CHARS)}`);
  }
  if (message.length % SASL_CHUNK_CHARS === 0) h.send("AUTHENTICATE +");
  const check = h.request();
  assert.equal(check.type === "authenticate" && check.password.length, 600);
  h.event({ type: "error", re: check.id, code: "BAD_PASSWORD", message: "Wrong password" }).take();
  h.send("AUTHENTICATE PLAIN").take();
  const chunk = "A".repeat(SASL_CHUNK_CHARS);
  for (let sent = 0; sent <= MAX_SASL_MESSAGE_CHARS; sent += SASL_CHUNK_CHARS) {
    h.send(`AUTHENTICATE ${chunk}`);
  }
  assert.deepEqual(h.numerics(), ["905"]);
  assert.deepEqual(h.takeRequests(), []);
});

Deno.test("IrcSession retries a PASS login as a guest when the nick is not registered", () => {
  const h = new Harness().send("PASS hub-secret", "NICK bob", "USER u 0 * :Bob");
  const first = h.request();
  h.event({ type: "error", re: first.id, code: "NOT_REGISTERED", message: "not registered" });
  assert.deepEqual(h.take(), []);
  const second = h.request();
  assert.deepEqual(second, {
    type: "login",
    name: "bob",
    serverPassword: "hub-secret",
    id: second.id,
  });
});

Deno.test("IrcSession answers 464 to a wrong password and 433 to a registered nick", () => {
  const h = new Harness().send("PASS nope", "NICK ann", "USER u 0 * :Ann");
  h.event({ type: "error", re: h.request().id, code: "BAD_PASSWORD", message: "Wrong password" });
  assert.deepEqual(h.take(), [":deno-chat 464 * :Wrong password"]);
  const g = new Harness().send("NICK ann", "USER u 0 * :Ann");
  g.event({ type: "error", re: g.request().id, code: "NAME_REGISTERED", message: "registered" });
  assert.deepEqual(g.take(), [":deno-chat 433 * ann :registered"]);
});

Deno.test("IrcSession answers AUTHENTICATE after registration with 907", () => {
  const h = new Harness().send("CAP REQ :sasl", "NICK ann", "USER u 0 * :Ann", "CAP END");
  h.event({ type: "welcome", re: h.request().id, name: "ann", ts: 1 }).take();
  assert.deepEqual(h.send("AUTHENTICATE PLAIN").numerics(), ["907"]);
});
