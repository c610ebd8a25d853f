import assert from "node:assert/strict";
import { HubHarness } from "../chat/_hub_harness.ts";
import { IrcOnHub } from "./_link_on_hub.ts";

const plain = (account: string, password: string) => btoa(`\0${account}\0${password}`);

function hub(options: { serverPassword?: string } = {}): HubHarness {
  return new HubHarness({ rate: null, accounts: { registered: ["ann"] }, ...options });
}

/** Answers the hub's one pending account check: `ok` when the password is `right`. */
function answerCheck(h: HubHarness, right: string): void {
  const [check] = h.takeActionsOf("authenticate");
  assert.ok(check, "the hub asked for a check");
  h.accountDone({ conn: check.conn, outcome: check.password === right ? "ok" : "bad_password" }, 1);
}

Deno.test("An IRC client logs in to a registered nick with SASL PLAIN on the real hub", () => {
  const h = hub();
  const irc = new IrcOnHub(h, 0, {}, "127.0.0.1");
  irc.write("CAP LS 302\r\nNICK ann\r\nUSER a 0 * :A\r\nCAP REQ :sasl\r\nAUTHENTICATE PLAIN\r\n");
  assert.ok(irc.read().includes("AUTHENTICATE +"));
  irc.write(`AUTHENTICATE ${plain("ann", "correct horse")}\r\n`);
  answerCheck(h, "correct horse");
  const lines = irc.read();
  assert.ok(lines.some((l) => / 903 /.test(l)), lines.join("\n"));
  irc.write("CAP END\r\n");
  assert.ok(irc.read().some((l) => / 001 ann /.test(l)));
});

Deno.test("An IRC client logs in to a registered nick with PASS; a wrong one gets 464", () => {
  const h = hub();
  const wrong = new IrcOnHub(h, 0, {}, "127.0.0.1");
  wrong.write("PASS guess\r\nNICK ann\r\nUSER a 0 * :A\r\n");
  answerCheck(h, "correct horse");
  assert.ok(wrong.read().some((l) => / 464 \* :Wrong password/.test(l)));
  const right = new IrcOnHub(h, 0, {}, "127.0.0.1");
  right.write("PASS :correct horse\r\nNICK ann\r\nUSER a 0 * :A\r\n");
  answerCheck(h, "correct horse");
  assert.ok(right.read().some((l) => / 001 ann /.test(l)));
});

Deno.test("An IRC client without a password gets 433 for a registered nick and may take another", () => {
  const h = hub();
  const irc = new IrcOnHub(h, 0, {}, "127.0.0.1");
  irc.write("NICK Ann\r\nUSER a 0 * :A\r\n");
  assert.ok(irc.read().some((l) => / 433 \* Ann /.test(l)));
  irc.write("NICK bob\r\n");
  assert.ok(irc.read().some((l) => / 001 bob /.test(l)));
});

Deno.test("An IRC client on a private hub gives the server password with PASS, as a guest", () => {
  const h = hub({ serverPassword: "hub-secret" });
  const none = new IrcOnHub(h, 0, {}, "127.0.0.1").write("NICK bob\r\nUSER b 0 * :B\r\n");
  assert.ok(none.read().some((l) => / 464 \* :This server needs its password/.test(l)));
  const given = new IrcOnHub(h, 0, {}, "127.0.0.1");
  given.write("PASS hub-secret\r\nNICK bob\r\nUSER b 0 * :B\r\n");
  assert.ok(given.read().some((l) => / 001 bob /.test(l)));
});

Deno.test("An IRC client's password over plaintext from another host is refused unread", () => {
  const h = hub();
  const irc = new IrcOnHub(h, 0, {}, "192.0.2.7");
  irc.write("CAP REQ :sasl\r\nNICK ann\r\nUSER a 0 * :A\r\nAUTHENTICATE PLAIN\r\n");
  irc.write(`AUTHENTICATE ${plain("ann", "correct horse")}\r\n`);
  assert.ok(
    irc.read().some((l) => / 904 ann :SASL authentication failed: Cannot send a password/.test(l)),
  );
  assert.deepEqual(h.takeActionsOf("authenticate"), []);
});

Deno.test("An IRC client with a PASS on plaintext from another host still gets in as a guest", () => {
  const h = hub();
  const irc = new IrcOnHub(h, 0, {}, "192.0.2.7");
  irc.write("PASS habit\r\nNICK bob\r\nUSER b 0 * :B\r\n");
  const lines = irc.read();
  assert.ok(lines.some((l) => /NOTICE bob :PASS ignored/.test(l)), lines.join("\n"));
  assert.ok(lines.some((l) => / 001 bob /.test(l)));
  const owner = new IrcOnHub(h, 0, {}, "192.0.2.7").write(
    "PASS :correct horse\r\nNICK ann\r\nUSER a 0 * :A\r\n",
  );
  assert.ok(
    owner.read().some((l) => / 433 \* ann /.test(l)),
    "a registered nick is not given away",
  );
  assert.deepEqual(h.takeActionsOf("authenticate"), [], "no password was checked");
});
