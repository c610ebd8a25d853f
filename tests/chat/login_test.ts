import assert from "node:assert/strict";
import { loginRefusal, welcomeMessage } from "../../lib/chat/login.ts";
import { MAX_WELCOME_NAMES } from "../../lib/chat/limits.ts";

const login = (name: string, protocol = 1) => ({ type: "login" as const, name, protocol });

Deno.test("loginRefusal lets a valid, free name in", () => {
  assert.equal(loginRefusal(null, login("ann"), () => false), null);
});

Deno.test("loginRefusal gives each refusal its code, the first rule broken first", () => {
  const free = () => false;
  assert.equal(loginRefusal("bob", login("ann"), free)?.code, "ALREADY_LOGGED_IN");
  assert.equal(loginRefusal(null, login("ann", 6), free)?.code, "PROTOCOL_VERSION");
  assert.equal(loginRefusal(null, login("ann", 0), free)?.code, "PROTOCOL_VERSION");
  assert.equal(loginRefusal(null, login("a b"), free)?.code, "NAME_INVALID");
  assert.equal(loginRefusal(null, login("server"), free)?.code, "NAME_RESERVED");
  assert.equal(loginRefusal(null, login("a b", 6), free)?.code, "PROTOCOL_VERSION");
});

Deno.test("loginRefusal lets in both protocol 1 (no rooms) and protocol 2", () => {
  assert.equal(loginRefusal(null, login("ann", 1), () => false), null);
  assert.equal(loginRefusal(null, login("ann", 2), () => false), null);
});

Deno.test("loginRefusal asks about the name ignoring case", () => {
  const asked: string[] = [];
  const refusal = loginRefusal(null, login("Ann"), (key) => (asked.push(key), true));
  assert.equal(refusal?.code, "NAME_TAKEN");
  assert.deepEqual(asked, ["ann"]);
});

Deno.test("welcomeMessage lists the first names only and counts them all", () => {
  const members = Array.from({ length: 250 }, (_, i) => ({ name: `u${i}` }));
  const welcome = welcomeMessage("u249", members, members.length, 42);
  assert.equal(welcome.users.length, MAX_WELCOME_NAMES);
  assert.deepEqual(welcome.users.slice(0, 2), ["u0", "u1"]);
  assert.deepEqual([welcome.type, welcome.name, welcome.userCount, welcome.ts], [
    "welcome",
    "u249",
    250,
    42,
  ]);
});
