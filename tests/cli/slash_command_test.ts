import assert from "node:assert/strict";
import { parseInput } from "../../lib/cli/slash_command.ts";

Deno.test("parseInput sends plain text to everyone and // escapes a leading slash", () => {
  assert.deepEqual(parseInput("hello all"), { kind: "say", text: "hello all" });
  assert.deepEqual(parseInput("//not a command"), { kind: "say", text: "/not a command" });
  assert.deepEqual(parseInput("   "), { kind: "empty" });
});

Deno.test("parseInput reads each command, ignoring case and trailing spaces", () => {
  assert.deepEqual(parseInput("/msg bob see  you"), { kind: "msg", to: "bob", text: "see  you" });
  assert.deepEqual(parseInput("/USERS "), { kind: "users" });
  assert.deepEqual(parseInput("/files"), { kind: "files" });
  assert.deepEqual(parseInput("/get my file.txt "), { kind: "get", name: "my file.txt" });
  assert.deepEqual(parseInput("/put ./a b"), { kind: "put", path: "./a b" });
  assert.deepEqual(parseInput("/pause #3"), { kind: "pause", transfer: 3 });
  assert.deepEqual(parseInput("/cancel 12"), { kind: "cancel", transfer: 12 });
  assert.deepEqual(parseInput("/quit"), { kind: "quit" });
});

Deno.test("parseInput explains a missing argument and an unknown command", () => {
  assert.deepEqual(parseInput("/msg bob"), { kind: "invalid", message: "Usage: /msg NAME TEXT" });
  assert.deepEqual(parseInput("/get"), { kind: "invalid", message: "Usage: /get FILE" });
  assert.deepEqual(parseInput("/resume x"), { kind: "invalid", message: "Usage: /resume ID" });
  assert.match((parseInput("/dance") as { message: string }).message, /Unknown command '\/dance'/);
});
