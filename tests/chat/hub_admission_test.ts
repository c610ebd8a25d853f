import assert from "node:assert/strict";
import { LOGIN_TIMEOUT_MS, MAX_UNAUTHENTICATED } from "../../lib/chat/limits.ts";
import { HubHarness } from "./_hub_harness.ts";

const ATTACKER = "10.66.66.66";

/** Opens `count` idle connections from `address`; returns the codes of those refused. */
function flood(h: HubHarness, address: string, count: number, now: number): string[] {
  const refused: string[] = [];
  for (let i = 0; i < count; i++) {
    const conn = h.connect(now, address);
    const error = h.read(conn).find((line) => line.type === "error");
    if (error !== undefined) refused.push(error.code as string);
  }
  return refused;
}

Deno.test("hub at max-clients 100 lets a new user in past 100 idle sockets from one address", () => {
  const h = new HubHarness({ maxClients: 100 });
  const refused = flood(h, ATTACKER, 100, 0);
  assert.equal(refused.length, 100 - 16, "16 per address by default");
  assert.ok(refused.every((code) => code === "TOO_MANY_CONNECTIONS"), refused.join());
  h.login("alice", 1, "192.0.2.10");
  // The idle sockets are timed out and come straight back: still no lockout.
  h.tick(LOGIN_TIMEOUT_MS);
  assert.equal(h.hub.connectionCount, 1, "the idle sockets were closed at the login timeout");
  flood(h, ATTACKER, 100, LOGIN_TIMEOUT_MS);
  h.login("bob", LOGIN_TIMEOUT_MS + 1, "192.0.2.11");
  assert.deepEqual(h.hub.userNames, ["alice", "bob"]);
});

Deno.test("hub counts a logged-in user's connections from an address toward its limit", () => {
  const h = new HubHarness({ maxPerAddress: 2 });
  h.login("ann", 0, "127.0.0.1");
  h.login("bob", 0, "127.0.0.1");
  const third = h.connect(0, "127.0.0.1");
  assert.deepEqual(h.read(third).map((l) => [l.type, l.code]), [["error", "TOO_MANY_CONNECTIONS"]]);
  assert.deepEqual(h.takeActionsOf("close"), [
    { kind: "close", conn: third, code: "TOO_MANY_CONNECTIONS" },
  ]);
});

Deno.test("hub never holds more than MAX_UNAUTHENTICATED connections waiting to log in", () => {
  assert.equal(MAX_UNAUTHENTICATED, 64);
  const h = new HubHarness();
  const codes: string[] = [];
  // One idle socket from each of 200 addresses: no address is more crowded than another.
  for (let i = 0; i < 200; i++) {
    codes.push(...flood(h, `10.0.${i >> 8}.${i & 255}`, 1, 0));
    assert.ok(h.hub.connectionCount <= MAX_UNAUTHENTICATED);
  }
  assert.equal(h.hub.connectionCount, MAX_UNAUTHENTICATED);
  assert.equal(codes.length, 200 - MAX_UNAUTHENTICATED);
  assert.ok(codes.every((code) => code === "SERVER_FULL"), codes.join());
});

Deno.test("hub lets a newcomer displace the oldest idle socket of a crowded address", () => {
  const h = new HubHarness();
  const first = h.connect(0, "10.1.0.1");
  h.read(first);
  for (let a = 1; a <= 4; a++) flood(h, `10.1.0.${a}`, 16, 0);
  assert.equal(
    h.hub.connectionCount,
    MAX_UNAUTHENTICATED,
    "4 addresses of 16 fill the waiting room",
  );
  h.takeActions();
  h.login("carol", 1, "198.51.100.7");
  assert.deepEqual(h.read(first).map((l) => [l.type, l.code]), [["error", "TOO_MANY_CONNECTIONS"]]);
  assert.deepEqual(h.takeActionsOf("close"), [
    { kind: "close", conn: first, code: "TOO_MANY_CONNECTIONS" },
  ]);
  assert.deepEqual(h.hub.userNames, ["carol"]);
});

Deno.test("hub without an address for a connection does not limit it per address", () => {
  const h = new HubHarness({ maxPerAddress: 1 });
  h.loginAll(["ann", "bob", "cy"], 0);
  assert.equal(h.hub.userNames.length, 3);
});

Deno.test("hub counts the addresses of one IPv6 /64 as one address", () => {
  const h = new HubHarness({ maxPerAddress: 2 });
  h.connect(0, "2001:db8:7:7::1");
  h.connect(0, "2001:db8:7:7::2");
  const third = h.connect(0, "2001:db8:7:7:ffff::3");
  assert.equal(h.read(third).find((l) => l.type === "error")?.code, "TOO_MANY_CONNECTIONS");
  const elsewhere = h.connect(0, "2001:db8:7:8::1");
  assert.equal(h.readOne(elsewhere).type, "hello");
});
