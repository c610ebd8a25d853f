import assert from "node:assert/strict";
import { QuitGuard } from "../../lib/cli/quit_guard.ts";

Deno.test("QuitGuard asks once before /quit stops running transfers", () => {
  const guard = new QuitGuard();
  assert.equal(guard.check("quit", 2), "ask");
  assert.equal(guard.check("quit", 2), "go");
});

Deno.test("QuitGuard lets /quit go at once when nothing runs", () => {
  assert.equal(new QuitGuard().check("quit", 0), "go");
});

Deno.test("QuitGuard asks again after another input came in between", () => {
  const guard = new QuitGuard();
  assert.equal(guard.check("quit", 1), "ask");
  assert.equal(guard.check("say", 1), "go");
  assert.equal(guard.check("quit", 1), "ask");
});
