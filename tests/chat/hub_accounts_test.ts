import assert from "node:assert/strict";
import { HubHarness } from "./_hub_harness.ts";
import type { HubOptions } from "../../lib/chat/hub_types.ts";
import { MAX_PASSWORD_BYTES, MAX_PENDING_AUTHENTICATIONS } from "../../lib/chat/limits.ts";

const LAN = "192.0.2.7";
const OTHER = "198.51.100.9";

function harness(options: HubOptions = {}): HubHarness {
  return new HubHarness({
    accounts: { registered: ["Ann"], lockout: { perName: 3, perAddress: 5, windowMs: 60_000 } },
    ...options,
  });
}

/** Connects (reading the hello) and sends a login; returns the conn. */
function tryLogin(
  h: HubHarness,
  login: Record<string, unknown>,
  options: { address?: string; secure?: boolean; now?: number } = {},
): number {
  const now = options.now ?? 0;
  const conn = h.connect(now, options.address ?? "127.0.0.1", options.secure);
  h.read(conn);
  h.send(conn, { type: "login", protocol: 4, ...login }, now);
  return conn;
}

/** Sends a wrong password for `name` from `address` and answers it as the driver would. */
function failOnce(h: HubHarness, name: string, address: string, now: number): void {
  const conn = tryLogin(h, { name, password: "wrong-one" }, { address, secure: true, now });
  const [action] = h.takeActionsOf("authenticate");
  assert.ok(action, `a check of ${name}'s password`);
  h.accountDone({ conn, outcome: "bad_password" }, now);
  assert.equal(h.readOne(conn).code, "BAD_PASSWORD");
}

Deno.test("hub refuses a guest login of a registered name, in any case", () => {
  const h = harness();
  const conn = tryLogin(h, { name: "ANN" });
  assert.equal(h.readOne(conn).code, "NAME_REGISTERED");
  assert.deepEqual(h.takeActionsOf("authenticate"), []);
});

Deno.test("hub logs in a registered name once the driver says its password opens it", () => {
  const h = harness();
  const conn = tryLogin(h, { name: "ann", password: "s3cret-pw", id: 1 });
  assert.deepEqual(h.read(conn), [], "nothing until the password is checked");
  const [action] = h.takeActionsOf("authenticate");
  assert.deepEqual(action, { kind: "authenticate", conn, account: "ann", password: "s3cret-pw" });
  h.accountDone({ conn, outcome: "ok" }, 5);
  const welcome = h.readOne(conn);
  assert.equal(welcome.type, "welcome");
  assert.equal(welcome.re, 1);
  assert.equal(welcome.name, "ann");
});

Deno.test("hub answers a wrong account password with BAD_PASSWORD and keeps the connection", () => {
  const h = harness();
  const conn = tryLogin(h, { name: "ann", password: "nope-nope" });
  h.accountDone({ conn, outcome: "bad_password" }, 0);
  assert.equal(h.readOne(conn).code, "BAD_PASSWORD");
  h.send(conn, { type: "login", name: "guest1" }, 1);
  assert.equal(h.readOne(conn).type, "welcome");
});

Deno.test("hub refuses a password over plaintext from another host, before any hashing", () => {
  const h = harness();
  const conn = tryLogin(h, { name: "ann", password: "s3cret-pw" }, { address: LAN });
  assert.equal(h.readOne(conn).code, "INSECURE_LOGIN");
  assert.deepEqual(h.takeActionsOf("authenticate"), []);
});

Deno.test("hub takes a password over TLS, from loopback, or when insecure logins are allowed", () => {
  const cases = [
    { h: harness(), address: LAN, secure: true },
    { h: harness(), address: "127.0.0.2", secure: false },
    { h: harness(), address: "::1", secure: false },
    { h: harness({ allowInsecureLogin: true }), address: LAN, secure: false },
  ];
  for (const { h, address, secure } of cases) {
    tryLogin(h, { name: "ann", password: "s3cret-pw" }, { address, secure });
    assert.equal(h.takeActionsOf("authenticate").length, 1, `${address} secure=${secure}`);
  }
});

Deno.test("hub refuses a password over the limit unread, and an empty one", () => {
  const h = harness();
  const long = tryLogin(h, { name: "ann", password: "x".repeat(MAX_PASSWORD_BYTES + 1) });
  assert.equal(h.readOne(long).code, "PASSWORD_INVALID");
  const multibyte = tryLogin(h, { name: "ann", password: "é".repeat(MAX_PASSWORD_BYTES / 2 + 1) });
  assert.equal(h.readOne(multibyte).code, "PASSWORD_INVALID", "counted in UTF-8 bytes");
  const empty = tryLogin(h, { name: "ann", password: "" });
  assert.equal(h.readOne(empty).code, "PASSWORD_INVALID");
  assert.deepEqual(h.takeActionsOf("authenticate"), []);
  const longest = tryLogin(h, { name: "ann", password: "x".repeat(MAX_PASSWORD_BYTES) });
  assert.deepEqual(h.read(longest), []);
  assert.equal(h.takeActionsOf("authenticate").length, 1);
});

Deno.test("hub refuses a password for a name nobody registered", () => {
  const h = harness();
  const conn = tryLogin(h, { name: "bob", password: "s3cret-pw" });
  assert.equal(h.readOne(conn).code, "NOT_REGISTERED");
});

Deno.test("hub locks a name out after failed logins, from any address, others unaffected", () => {
  const h = harness();
  failOnce(h, "ann", LAN, 0);
  failOnce(h, "ann", OTHER, 1000);
  failOnce(h, "ann", "203.0.113.5", 2000);
  const locked = tryLogin(h, { name: "ann", password: "right-one" }, { secure: true, now: 3000 });
  const error = h.readOne(locked);
  assert.equal(error.code, "LOCKED_OUT");
  assert.equal(error.retryMs, 57_000, "until the first failure leaves the window");
  assert.deepEqual(h.takeActionsOf("authenticate"), [], "no hashing while locked");
  const guest = tryLogin(h, { name: "bob" }, { address: LAN, now: 3000 });
  assert.equal(h.readOne(guest).type, "welcome", "a guest from a guessing address is not locked");
  const later = tryLogin(h, { name: "ann", password: "right-one" }, { secure: true, now: 60_000 });
  assert.deepEqual(h.read(later), []);
  assert.equal(h.takeActionsOf("authenticate").length, 1, "free again after the window");
});

Deno.test("hub locks an address out after failures across names; other addresses go on", () => {
  const h = new HubHarness({
    accounts: {
      registered: ["a1", "a2", "a3", "a4", "a5", "a6"],
      lockout: { perName: 100, perAddress: 5, windowMs: 60_000 },
    },
  });
  for (let i = 1; i <= 5; i++) failOnce(h, `a${i}`, LAN, i);
  const locked = tryLogin(h, { name: "a6", password: "whatever" }, { address: LAN, secure: true });
  assert.equal(h.readOne(locked).code, "LOCKED_OUT");
  tryLogin(h, { name: "a6", password: "whatever" }, { address: OTHER, secure: true });
  assert.equal(h.takeActionsOf("authenticate").length, 1);
});

Deno.test("hub counts a failed check whose connection left meanwhile", () => {
  const h = harness();
  for (let i = 0; i < 3; i++) {
    const conn = tryLogin(h, { name: "ann", password: "guess-" + i }, {
      address: LAN,
      secure: true,
    });
    h.disconnect(conn, i);
    h.accountDone({ conn, outcome: "bad_password" }, i);
  }
  const next = tryLogin(h, { name: "ann", password: "right-one" }, { now: 10 });
  assert.equal(h.readOne(next).code, "LOCKED_OUT");
});

Deno.test("hub bounds the password checks waiting for the driver", () => {
  const h = harness();
  for (let i = 0; i < MAX_PENDING_AUTHENTICATIONS; i++) {
    tryLogin(h, { name: "ann", password: "try-" + i }, { address: `10.0.${i}.1`, secure: true });
  }
  assert.equal(h.takeActionsOf("authenticate").length, MAX_PENDING_AUTHENTICATIONS);
  const busy = tryLogin(h, { name: "ann", password: "one-more" }, {
    address: "10.1.0.1",
    secure: true,
  });
  const error = h.readOne(busy);
  assert.equal(error.code, "SERVER_BUSY");
  assert.ok(typeof error.retryMs === "number" && error.retryMs > 0);
});

Deno.test("hub refuses a second login on a connection while its password is checked", () => {
  const h = harness();
  const conn = tryLogin(h, { name: "ann", password: "s3cret-pw" });
  h.send(conn, { type: "login", name: "ann", password: "s3cret-pw" }, 1);
  assert.equal(h.readOne(conn).code, "AUTH_PENDING");
  assert.equal(h.takeActionsOf("authenticate").length, 1);
});

Deno.test("hub lets one of two proven logins of an account in; the other finds it taken", () => {
  const h = harness();
  const first = tryLogin(h, { name: "ann", password: "s3cret-pw" });
  const second = tryLogin(h, { name: "ann", password: "s3cret-pw" });
  h.accountDone({ conn: first, outcome: "ok" }, 1);
  h.accountDone({ conn: second, outcome: "ok" }, 1);
  assert.equal(h.readOne(first).type, "welcome");
  assert.equal(h.readOne(second).code, "NAME_TAKEN");
  h.send(second, { type: "login", name: "bob" }, 2);
  assert.equal(h.readOne(second).type, "welcome", "a proof of ann is no proof of anyone else");
});

Deno.test("hub asks for the server password of a private hub, and checks it", () => {
  const h = harness({ serverPassword: "letmein-1" });
  const none = tryLogin(h, { name: "bob" });
  assert.equal(h.readOne(none).code, "SERVER_PASSWORD_REQUIRED");
  const wrong = tryLogin(h, { name: "bob", serverPassword: "letmein-2" });
  assert.equal(h.readOne(wrong).code, "BAD_PASSWORD");
  const right = tryLogin(h, { name: "bob", serverPassword: "letmein-1" });
  assert.equal(h.readOne(right).type, "welcome");
  const remote = tryLogin(h, { name: "carl", serverPassword: "letmein-1" }, { address: LAN });
  assert.equal(h.readOne(remote).code, "INSECURE_LOGIN", "the server password is a password");
});

Deno.test("hub locks an address out after wrong server passwords", () => {
  const h = harness({ serverPassword: "letmein-1" });
  for (let i = 0; i < 5; i++) {
    const conn = tryLogin(h, { name: "bob", serverPassword: "guess" + i }, { now: i });
    assert.equal(h.readOne(conn).code, "BAD_PASSWORD");
  }
  const right = tryLogin(h, { name: "bob", serverPassword: "letmein-1" }, { now: 10 });
  assert.equal(h.readOne(right).code, "LOCKED_OUT");
});

Deno.test("hub announces accounts and a server password in hello", () => {
  const h = harness({ serverPassword: "letmein-1" });
  const hello = h.readOne(h.connect(0));
  assert.equal(hello.protocol, 5);
  assert.equal(hello.accounts, true);
  assert.equal(hello.serverPassword, true);
  const plain = new HubHarness();
  const bare = plain.readOne(plain.connect(0));
  assert.equal(bare.accounts, undefined);
  assert.equal(bare.serverPassword, undefined);
});

Deno.test("hub registers a guest's name, reserving it while it is stored", () => {
  const h = harness();
  const bob = h.login("bob", 0, "127.0.0.1");
  h.send(bob, { type: "register", id: 2, password: "long-enough" }, 1);
  const [action] = h.takeActionsOf("register");
  assert.deepEqual(action, {
    kind: "register",
    conn: bob,
    account: "bob",
    name: "bob",
    password: "long-enough",
  });
  h.disconnect(bob, 2);
  const meanwhile = tryLogin(h, { name: "Bob" });
  assert.equal(h.readOne(meanwhile).code, "NAME_REGISTERED", "reserved before it is stored");
  h.accountDone({ conn: bob, outcome: "ok" }, 3);
  const after = tryLogin(h, { name: "bob" });
  assert.equal(h.readOne(after).code, "NAME_REGISTERED");
});

Deno.test("hub answers register with ok, and frees the name when the store fails", () => {
  const h = harness();
  const bob = h.login("bob", 0, "127.0.0.1");
  h.send(bob, { type: "register", id: 2, password: "long-enough" }, 1);
  h.accountDone({ conn: bob, outcome: "ok" }, 1);
  assert.deepEqual(h.readOne(bob), { type: "ok", re: 2, ts: 1 });
  const carl = h.login("carl", 0, "127.0.0.1");
  h.send(carl, { type: "register", id: 3, password: "long-enough" }, 1);
  h.accountDone({ conn: carl, outcome: "unavailable" }, 1);
  assert.equal(h.readOne(carl).code, "ACCOUNTS_UNAVAILABLE");
  h.send(carl, { type: "quit" }, 2);
  const again = tryLogin(h, { name: "carl" });
  assert.equal(h.readOne(again).type, "welcome");
});

Deno.test("hub refuses register: short password, plaintext, registered name, no accounts", () => {
  const h = harness();
  const bob = h.login("bob", 0, "127.0.0.1");
  h.send(bob, { type: "register", password: "short" }, 1);
  assert.equal(h.readOne(bob).code, "PASSWORD_INVALID");
  const remote = h.login("carl", 0, LAN);
  h.send(remote, { type: "register", password: "long-enough" }, 1);
  assert.equal(h.readOne(remote).code, "INSECURE_LOGIN");
  const ann = tryLogin(h, { name: "ann", password: "s3cret-pw" });
  h.accountDone({ conn: ann, outcome: "ok" }, 1);
  h.read(ann);
  h.send(ann, { type: "register", password: "long-enough" }, 1);
  assert.equal(h.readOne(ann).code, "NAME_REGISTERED");
  assert.deepEqual(h.takeActionsOf("register"), []);
  const plain = new HubHarness();
  const dan = plain.login("dan", 0, "127.0.0.1");
  plain.send(dan, { type: "register", password: "long-enough" }, 1);
  assert.equal(plain.readOne(dan).code, "ACCOUNTS_UNAVAILABLE");
});

Deno.test("hub changes an account's password for its proven owner only", () => {
  const h = harness();
  const guest = h.login("bob", 0, "127.0.0.1");
  h.send(guest, { type: "password", old: "whatever", new: "long-enough" }, 1);
  assert.equal(h.readOne(guest).code, "NOT_REGISTERED");
  const ann = tryLogin(h, { name: "ann", password: "s3cret-pw" });
  h.accountDone({ conn: ann, outcome: "ok" }, 1);
  h.read(ann);
  h.send(ann, { type: "password", id: 4, old: "s3cret-pw", new: "long-enough" }, 2);
  const [action] = h.takeActionsOf("change_password");
  assert.deepEqual(action, {
    kind: "change_password",
    conn: ann,
    account: "ann",
    old: "s3cret-pw",
    new: "long-enough",
  });
  h.accountDone({ conn: ann, outcome: "bad_password" }, 3);
  assert.equal(h.readOne(ann).code, "BAD_PASSWORD");
  h.send(ann, { type: "password", id: 5, old: "s3cret-pw", new: "short" }, 4);
  assert.equal(h.readOne(ann).code, "PASSWORD_INVALID");
});

Deno.test("hub refuses a rename to someone else's registered name, not to one's own", () => {
  const h = harness();
  const bob = tryLogin(h, { name: "bob" });
  h.read(bob);
  h.send(bob, { type: "nick", name: "ANN" }, 1);
  assert.equal(h.readOne(bob).code, "NAME_REGISTERED");
  const ann = tryLogin(h, { name: "ann", password: "s3cret-pw" });
  h.accountDone({ conn: ann, outcome: "ok" }, 1);
  h.read(ann);
  h.send(ann, { type: "nick", name: "annie" }, 2);
  assert.equal(h.readOne(ann).type, "ok");
  h.send(ann, { type: "nick", name: "Ann" }, 3);
  assert.equal(h.readOne(ann).name, "Ann");
});

Deno.test("hub still lets an old client in as a guest", () => {
  const h = harness();
  const conn = h.connect(0, LAN);
  h.read(conn);
  h.send(conn, { type: "login", name: "old" }, 0);
  assert.equal(h.readOne(conn).type, "welcome");
});

Deno.test("hub tells an old client a registered name is taken, a code it knows", () => {
  const h = harness();
  const conn = h.connect(0, LAN);
  h.read(conn);
  h.send(conn, { type: "login", name: "Ann", protocol: 3 }, 0);
  assert.equal(h.readOne(conn).code, "NAME_TAKEN");
  h.send(conn, { type: "login", name: "old", protocol: 3 }, 0);
  assert.equal(h.readOne(conn).type, "welcome");
  h.send(conn, { type: "nick", id: 1, name: "ann" }, 1);
  assert.equal(h.readOne(conn).code, "NAME_TAKEN");
});

Deno.test("hub authenticate proves an account before login, then the login needs no password", () => {
  const h = harness();
  const conn = h.connect(0, "127.0.0.1");
  h.read(conn);
  h.send(conn, { type: "authenticate", id: "sasl", name: "ANN", password: "s3cret-pw" }, 0);
  const [action] = h.takeActionsOf("authenticate");
  assert.deepEqual(action, { kind: "authenticate", conn, account: "ann", password: "s3cret-pw" });
  h.accountDone({ conn, outcome: "ok" }, 1);
  assert.deepEqual(h.readOne(conn), { type: "ok", re: "sasl", ts: 1 });
  h.send(conn, { type: "login", id: 1, name: "Ann", protocol: 4 }, 2);
  assert.equal(h.readOne(conn).type, "welcome");
  assert.deepEqual(h.takeActionsOf("authenticate"), [], "checked once");
});

Deno.test("hub authenticate refuses a wrong password, a guest name, plaintext, and after login", () => {
  const h = harness();
  const conn = h.connect(0, "127.0.0.1");
  h.read(conn);
  h.send(conn, { type: "authenticate", id: 1, name: "ann", password: "wrong-one" }, 0);
  h.accountDone({ conn, outcome: "bad_password" }, 1);
  assert.equal(h.readOne(conn).code, "BAD_PASSWORD");
  h.send(conn, { type: "login", id: 2, name: "ann", protocol: 4 }, 2);
  assert.equal(h.readOne(conn).code, "NAME_REGISTERED", "a failed check proves nothing");
  h.send(conn, { type: "authenticate", id: 3, name: "bob", password: "whatever1" }, 3);
  assert.equal(h.readOne(conn).code, "NOT_REGISTERED");
  const remote = h.connect(0, LAN);
  h.read(remote);
  h.send(remote, { type: "authenticate", id: 4, name: "ann", password: "s3cret-pw" }, 0);
  assert.equal(h.readOne(remote).code, "INSECURE_LOGIN");
  const bob = h.login("bob", 0, "127.0.0.1");
  h.send(bob, { type: "authenticate", id: 5, name: "ann", password: "s3cret-pw" }, 1);
  assert.equal(h.readOne(bob).code, "ALREADY_LOGGED_IN");
});

Deno.test("hub authenticate on a private hub checks the server password too", () => {
  const h = harness({ serverPassword: "letmein-1" });
  const conn = h.connect(0, "127.0.0.1");
  h.read(conn);
  h.send(conn, { type: "authenticate", id: 1, name: "ann", password: "s3cret-pw" }, 0);
  assert.equal(h.readOne(conn).code, "SERVER_PASSWORD_REQUIRED");
  const fields = { name: "ann", password: "s3cret-pw", serverPassword: "letmein-1" };
  h.send(conn, { type: "authenticate", id: 2, ...fields }, 1);
  h.accountDone({ conn, outcome: "ok" }, 1);
  assert.equal(h.readOne(conn).type, "ok");
});

Deno.test("hub answers a second authenticate while the first is checked with AUTH_PENDING", () => {
  const h = harness();
  const conn = h.connect(0, "127.0.0.1");
  h.read(conn);
  h.send(conn, { type: "authenticate", id: 1, name: "ann", password: "s3cret-pw" }, 0);
  h.send(conn, { type: "authenticate", id: 2, name: "ann", password: "other-pw" }, 0);
  assert.equal(h.readOne(conn).code, "AUTH_PENDING");
  assert.equal(h.takeActionsOf("authenticate").length, 1, "one check at a time");
});
