import assert from "node:assert/strict";
import type { ClientAction } from "../../lib/chat/client_actions.ts";
import { ClientCore } from "../../lib/chat/client_core.ts";
import { LoginCredentials } from "../../lib/chat/client_login.ts";

const utf8 = new TextEncoder();
const HELLO = { type: "hello", protocol: 4, server: "fake", heartbeatMs: 15000, accounts: true };

/** A core on a virtual clock; the test plays the hub. */
function rig() {
  const core = new ClientCore(0);
  let now = 0;
  const actions: ClientAction[] = [];
  const drain = () => {
    for (let a = core.pollAction(); a !== null; a = core.pollAction()) actions.push(a);
  };
  const hub = (line: object) => {
    core.receive(now, utf8.encode(JSON.stringify(line) + "\n"));
    drain();
  };
  const sent = (): Record<string, unknown>[] => {
    const bytes = core.takeOutput();
    if (bytes === null) return [];
    return new TextDecoder().decode(bytes).trim().split("\n").map((l) => JSON.parse(l));
  };
  const greet = () => {
    core.connected(now);
    hub(HELLO);
  };
  const reconnect = () => {
    core.lost(now, "reset");
    for (let at = core.pollTimeout(); at !== null && core.phase === "backoff";) {
      now = at;
      core.handleTimeout(now);
      drain();
      at = core.pollTimeout();
    }
    greet();
  };
  drain();
  return { core, actions, hub, sent, greet, reconnect, now: () => now };
}

Deno.test("LoginCredentials sends the account password only with the name it was given for", () => {
  const credentials = new LoginCredentials();
  credentials.keep("Ann", { password: "correct horse", serverPassword: "hub-pw" });
  assert.deepEqual(credentials.login("ANN"), {
    type: "login",
    name: "ANN",
    protocol: 5,
    password: "correct horse",
    serverPassword: "hub-pw",
  });
  assert.deepEqual(credentials.login("bob", { replay: 0 }), {
    type: "login",
    name: "bob",
    protocol: 5,
    replay: 0,
    serverPassword: "hub-pw",
  });
});

Deno.test("ClientCore logs in with its passwords again after reconnecting", () => {
  const r = rig();
  r.greet();
  r.core.login(r.now(), "ann", { password: "correct horse" });
  const [first] = r.sent();
  assert.equal(first!.password, "correct horse");
  r.hub({ type: "welcome", re: first!.id, name: "ann", users: ["ann"], userCount: 1, ts: 0 });
  r.reconnect();
  const [again] = r.sent();
  assert.equal(again!.type, "login");
  assert.equal(again!.password, "correct horse");
});

Deno.test("ClientCore uses a password it was told to remember (after /register) on reconnecting", () => {
  const r = rig();
  r.greet();
  r.core.login(r.now(), "bob");
  const [first] = r.sent();
  assert.equal(first!.password, undefined);
  r.hub({ type: "welcome", re: first!.id, name: "bob", users: ["bob"], userCount: 1, ts: 0 });
  r.core.rememberPassword("bob", "new password");
  r.reconnect();
  assert.equal(r.sent()[0]!.password, "new password");
});

Deno.test("ClientCore ends, not retries, when its password is refused after reconnecting", () => {
  const r = rig();
  r.greet();
  r.core.login(r.now(), "ann", { password: "old password" });
  const [first] = r.sent();
  r.hub({ type: "welcome", re: first!.id, name: "ann", users: ["ann"], userCount: 1, ts: 0 });
  r.reconnect();
  const [again] = r.sent();
  r.hub({ type: "error", re: again!.id, code: "BAD_PASSWORD", message: "Wrong password" });
  const ended = r.actions.find((a) => a.kind === "ended");
  assert.equal(ended?.kind === "ended" && ended.error?.code, "BAD_PASSWORD");
  assert.equal(r.core.phase, "closed");
  assert.equal(r.core.pollTimeout(), null, "no more attempts, so no lockout");
});
