import assert from "node:assert/strict";
import { callsForAttention, mentions } from "../../lib/cli/highlight.ts";

Deno.test("mentions finds the name as a word of its own, ignoring case", () => {
  for (
    const text of ["alice", "hi Alice, lunch?", "@alice", "ALICE: look", "bye alice.", "(alice)"]
  ) {
    assert.ok(mentions(text, "alice"), text);
  }
  for (const text of ["malice", "alice_b", "alices", "alice-2", "see alice.txt", "x.alice"]) {
    assert.ok(!mentions(text, "alice"), text);
  }
  assert.ok(mentions("ping j.doe now", "j.doe"), "a name with a dot");
  assert.ok(!mentions("ping jxdoe", "j.doe"), "the dot is no wildcard");
});

Deno.test("callsForAttention flags private messages and mentions from others only", () => {
  const from = (sender: string, text: string, to?: string) => ({
    type: "message" as const,
    from: sender,
    text,
    ts: 0,
    ...(to === undefined ? {} : { to }),
  });
  assert.ok(callsForAttention(from("bob", "psst", "alice"), "alice"));
  assert.ok(callsForAttention(from("bob", "hey alice"), "Alice"));
  assert.ok(!callsForAttention(from("bob", "hello all"), "alice"));
  assert.ok(!callsForAttention(from("Alice", "note to alice", "alice"), "alice"), "own message");
  assert.ok(!callsForAttention({ type: "join", name: "alice", ts: 0 }, "alice"));
});
