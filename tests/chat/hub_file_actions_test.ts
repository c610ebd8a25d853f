import assert from "node:assert/strict";
import { HubHarness } from "./_hub_harness.ts";

const SHA = "0123456789abcdef".repeat(4);

Deno.test("hub turns files into an action and delivers the driver's reply with re", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.send(ann!, { type: "files", id: 8 }, 1);
  assert.deepEqual(h.takeActions(), [{ kind: "files", conn: ann, re: 8 }]);
  assert.deepEqual(h.read(ann!), [], "the hub itself does not answer");
  h.hub.reply(ann!, { type: "files", re: 8, files: [{ name: "notes.txt", size: 1234 }] }, 2);
  assert.deepEqual(h.read(ann!), [{
    type: "files",
    re: 8,
    files: [{ name: "notes.txt", size: 1234 }],
  }]);
  assert.deepEqual(h.read(bob!), []);
});

Deno.test("hub leaves re out of a files action without an id", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "files" }, 1);
  assert.deepEqual(h.takeActions(), [{ kind: "files", conn: ann }]);
});

Deno.test("hub turns get into an action naming the user, file and offset", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, {
    type: "get",
    id: "g",
    name: "notes.txt",
    offset: 100,
    prefixSha256: "abababababababababababababababababababababababababababababababab",
  }, 1);
  h.send(ann!, { type: "get", name: "other.bin" }, 1);
  assert.deepEqual(h.takeActions(), [
    {
      kind: "get",
      conn: ann,
      user: "ann",
      re: "g",
      name: "notes.txt",
      offset: 100,
      prefixSha256: "abababababababababababababababababababababababababababababababab",
    },
    { kind: "get", conn: ann, user: "ann", name: "other.bin", offset: 0 },
  ]);
});

Deno.test("hub turns put into an action naming the user, file, size and hash", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "put", id: 3, name: "up.bin", size: 4096, sha256: SHA }, 1);
  assert.deepEqual(h.takeActions(), [
    { kind: "put", conn: ann, user: "ann", re: 3, name: "up.bin", size: 4096, sha256: SHA },
  ]);
});

Deno.test("hub answers malformed get and put itself, asking nothing of the driver", () => {
  const h = new HubHarness();
  const [ann] = h.loginAll(["ann"], 0);
  h.send(ann!, { type: "get", id: 1, offset: 5 }, 1);
  h.send(ann!, { type: "put", id: 2, name: "x", size: -1, sha256: SHA }, 1);
  h.send(ann!, { type: "put", id: 3, name: "x", size: 1, sha256: "nothex" }, 1);
  assert.deepEqual(h.read(ann!).map((l) => [l.code, l.re]), [
    ["BAD_REQUEST", 1],
    ["BAD_REQUEST", 2],
    ["BAD_REQUEST", 3],
  ]);
  assert.deepEqual(h.takeActions().filter((a) => a.kind !== "write"), []);
});

Deno.test("hub delivers a transfer grant from the driver to its connection only", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  const grant = {
    type: "transfer" as const,
    re: "g",
    transfer: 7,
    name: "notes.txt",
    size: 1234,
    sha256: SHA,
    offset: 0,
    udpPort: 40000,
    token: "abc",
    key: "def",
    direction: "download" as const,
  };
  h.hub.reply(ann!, grant, 5);
  assert.deepEqual(h.read(ann!), [grant]);
  assert.deepEqual(h.read(bob!), []);
});

Deno.test("hub ignores a reply for a connection that has gone", () => {
  const h = new HubHarness();
  const [ann, bob] = h.loginAll(["ann", "bob"], 0);
  h.send(ann!, { type: "files", id: 1 }, 1);
  h.takeActions();
  h.disconnect(ann!, 2);
  h.read(bob!);
  h.takeActions();
  h.hub.reply(ann!, { type: "files", re: 1, files: [] }, 3);
  h.hub.reply(999, { type: "files", files: [] }, 3);
  assert.deepEqual(h.takeActions(), []);
  assert.equal(h.hub.takeOutput(ann!), null);
  assert.deepEqual(h.read(bob!), []);
});

Deno.test("hub reports gone when a logged-in user leaves, whatever the way", () => {
  const h = new HubHarness({ heartbeatMs: 100 });
  const [quits, drops, idles] = h.loginAll(["quits", "drops", "idles"], 0);
  h.send(quits!, { type: "quit" }, 1);
  h.disconnect(drops!, 1);
  h.tick(300);
  assert.deepEqual(h.takeActionsOf("gone"), [
    { kind: "gone", conn: quits, user: "quits" },
    { kind: "gone", conn: drops, user: "drops" },
    { kind: "gone", conn: idles, user: "idles" },
  ]);
});

Deno.test("hub reports no gone for a connection that never logged in", () => {
  const h = new HubHarness({ loginTimeoutMs: 10 });
  const a = h.connect(0);
  const b = h.connect(0);
  h.send(a, { type: "quit" }, 1);
  h.disconnect(b, 1);
  h.connect(0);
  h.tick(10);
  assert.deepEqual(h.takeActionsOf("gone"), []);
});
