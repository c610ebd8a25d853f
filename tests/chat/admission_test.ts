import assert from "node:assert/strict";
import { Admission, type AdmissionLimits } from "../../lib/chat/admission.ts";

type Peer = { readonly address: string | null; readonly label: string };

const peer = (address: string | null, label = "") => ({ address, label });

function admission(limits: Partial<AdmissionLimits> = {}): Admission<Peer> {
  return new Admission({ maxClients: 1000, maxPerAddress: 16, maxUnauthenticated: 64, ...limits });
}

Deno.test("Admission refuses the 17th connection from one address with TOO_MANY_CONNECTIONS", () => {
  const a = admission();
  for (let i = 0; i < 16; i++) assert.equal(a.admit(peer("10.0.0.1")).kind, "admit");
  const refused = a.admit(peer("10.0.0.1"));
  assert.equal(refused.kind, "refuse");
  assert.equal(refused.kind === "refuse" && refused.error.code, "TOO_MANY_CONNECTIONS");
  assert.equal(a.admit(peer("10.0.0.2")).kind, "admit", "another address is not held back");
});

Deno.test("Admission counts loopback like any address and frees a place when one leaves", () => {
  const a = admission({ maxPerAddress: 2 });
  const first = peer("127.0.0.1");
  a.admit(first);
  a.admit(peer("127.0.0.1"));
  const third = peer("127.0.0.1");
  assert.equal(a.admit(third).kind, "refuse");
  a.left(third);
  a.left(first);
  assert.equal(a.fromAddress("127.0.0.1"), 1);
  assert.equal(a.admit(peer("127.0.0.1")).kind, "admit");
});

Deno.test("Admission limits logged-in connections per address too", () => {
  const a = admission({ maxPerAddress: 2 });
  for (const p of [peer("10.0.0.1"), peer("10.0.0.1")]) {
    a.admit(p);
    a.loggedIn(p);
  }
  assert.equal(a.waiting, 0);
  assert.equal(a.admit(peer("10.0.0.1")).kind, "refuse");
});

Deno.test("Admission does not limit connections of unknown address per address", () => {
  const a = admission({ maxPerAddress: 1 });
  for (let i = 0; i < 10; i++) assert.equal(a.admit(peer(null)).kind, "admit");
});

Deno.test("Admission never lets more than maxUnauthenticated wait to log in", () => {
  const a = admission({ maxUnauthenticated: 4 });
  for (let i = 0; i < 4; i++) assert.equal(a.admit(peer(`10.0.0.${i}`)).kind, "admit");
  const late = peer("10.0.0.9");
  const verdict = a.admit(late);
  assert.equal(
    verdict.kind,
    "refuse",
    "one waiting each: nobody is more crowded than the newcomer",
  );
  assert.equal(verdict.kind === "refuse" && verdict.error.code, "SERVER_FULL");
  a.left(late);
  assert.equal(a.waiting, 4);
});

Deno.test("Admission lets a newcomer displace the oldest waiting connection of a crowded address", () => {
  const a = admission({ maxUnauthenticated: 6 });
  const crowd = Array.from({ length: 4 }, (_, i) => peer("10.6.6.6", `crowd${i}`));
  for (const p of crowd) a.admit(p);
  a.admit(peer("10.0.0.1"));
  a.admit(peer("10.0.0.2"));
  const verdict = a.admit(peer("10.0.0.3"));
  assert.equal(verdict.kind, "displace");
  assert.equal(verdict.kind === "displace" && verdict.victim, crowd[0]);
  assert.equal(verdict.kind === "displace" && verdict.error.code, "TOO_MANY_CONNECTIONS");
  a.left(crowd[0]!);
  assert.equal(a.waiting, 6);
});

Deno.test("Admission does not let an address displace one only one connection less crowded", () => {
  const a = admission({ maxUnauthenticated: 3 });
  a.admit(peer("10.0.0.1"));
  a.admit(peer("10.0.0.1"));
  a.admit(peer("10.0.0.2"));
  // 10.0.0.2 would have two waiting after displacing one of 10.0.0.1's two: refused instead.
  assert.equal(a.admit(peer("10.0.0.2")).kind, "refuse");
});

Deno.test("Admission refuses SERVER_FULL past maxClients when everyone is logged in", () => {
  const a = admission({ maxClients: 2 });
  for (const p of [peer("10.0.0.1"), peer("10.0.0.2")]) {
    a.admit(p);
    a.loggedIn(p);
  }
  const verdict = a.admit(peer("10.0.0.3"));
  assert.equal(verdict.kind === "refuse" && verdict.error.code, "SERVER_FULL");
  assert.match(verdict.kind === "refuse" ? verdict.error.message : "", /2 clients/);
});

Deno.test("Admission frees a place in a full room by displacing a crowded waiting connection", () => {
  const a = admission({ maxClients: 4 });
  const member = peer("10.0.0.1");
  a.admit(member);
  a.loggedIn(member);
  for (let i = 0; i < 3; i++) a.admit(peer("10.6.6.6"));
  assert.equal(a.admit(peer("10.0.0.2")).kind, "displace");
});

Deno.test("Admission refuses limits below 1", () => {
  assert.throws(() => admission({ maxPerAddress: 0 }), RangeError);
});
