import assert from "node:assert/strict";
import { JoinBatches } from "../../lib/chat/join_batches.ts";

const limits = { holdMs: 250, maxJoins: 3 };

Deno.test("JoinBatches holds a room's joins until holdMs after the first", () => {
  const batches = new JoinBatches<string, string>(limits);
  assert.equal(batches.pollTimeout(), null);
  assert.equal(batches.add(100, "#a", "ann", "ann"), null);
  assert.equal(batches.add(300, "#a", "bob", "Bob"), null);
  assert.equal(batches.pollTimeout(), 350, "the first join's time, not the last's");
  assert.deepEqual(batches.takeDue(349), []);
  const [due] = batches.takeDue(350);
  assert.deepEqual(due?.joiners.map((j) => j.name), ["ann", "Bob"]);
  assert.equal(due?.places.get("bob"), 1);
  assert.ok(batches.empty);
  assert.equal(batches.pollTimeout(), null);
});

Deno.test("JoinBatches gives the oldest room's deadline and takes the due rooms in order", () => {
  const batches = new JoinBatches<string, string>(limits);
  batches.add(0, "#a", "ann", "ann");
  batches.add(10, "#b", "bob", "bob");
  batches.add(20, "#a", "cat", "cat");
  assert.equal(batches.pollTimeout(), 250);
  assert.deepEqual(batches.takeDue(255).map((b) => b.room), ["#a"]);
  assert.equal(batches.pollTimeout(), 260);
  assert.equal(batches.take("#b")?.joiners.length, 1);
  assert.equal(batches.take("#b"), null);
});

Deno.test("JoinBatches hands a batch out at once when it reaches maxJoins", () => {
  const batches = new JoinBatches<string, string>(limits);
  batches.add(0, "#a", "ann", "ann");
  batches.add(0, "#a", "bob", "bob");
  const full = batches.add(0, "#a", "cat", "cat");
  assert.deepEqual(full?.joiners.map((j) => j.name), ["ann", "bob", "cat"]);
  assert.ok(batches.empty, "taken out");
});

Deno.test("JoinBatches with holdMs 0 holds nothing", () => {
  const batches = new JoinBatches<string, string>({ holdMs: 0, maxJoins: 10 });
  assert.equal(batches.add(5, "#a", "ann", "ann")?.joiners.length, 1);
  assert.ok(batches.empty);
});

Deno.test("JoinBatches refuses a negative hold and an empty batch size", () => {
  assert.throws(() => new JoinBatches({ holdMs: -1, maxJoins: 1 }), RangeError);
  assert.throws(() => new JoinBatches({ holdMs: 0, maxJoins: 0 }), RangeError);
});
