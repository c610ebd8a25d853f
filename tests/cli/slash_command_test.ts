import assert from "node:assert/strict";
import { COMMANDS, helpLines, type Input, parseInput } from "../../lib/cli/slash_command.ts";
import { oddLines } from "./_odd_lines.ts";

Deno.test("parseInput sends plain text to everyone and // escapes a leading slash", () => {
  assert.deepEqual(parseInput("hello all"), { kind: "say", text: "hello all" });
  assert.deepEqual(parseInput("//not a command"), { kind: "say", text: "/not a command" });
  assert.deepEqual(parseInput("   "), { kind: "empty" });
});

Deno.test("parseInput reads each command, ignoring case and trailing spaces", () => {
  assert.deepEqual(parseInput("/msg bob see  you"), { kind: "msg", to: "bob", text: "see  you" });
  assert.deepEqual(parseInput("/USERS "), { kind: "users" });
  assert.deepEqual(parseInput("/who"), { kind: "users" });
  assert.deepEqual(parseInput("/files"), { kind: "files" });
  assert.deepEqual(parseInput("/get my file.txt "), { kind: "get", name: "my file.txt" });
  assert.deepEqual(parseInput("/put ./a b"), { kind: "put", path: "./a b" });
  assert.deepEqual(parseInput("/pause #3"), { kind: "pause", transfer: 3 });
  assert.deepEqual(parseInput("/cancel 12"), { kind: "cancel", transfer: 12 });
  assert.deepEqual(parseInput("/clear"), { kind: "clear" });
  assert.deepEqual(parseInput("/quit"), { kind: "quit" });
  assert.deepEqual(parseInput("/exit"), { kind: "quit" });
});

Deno.test("parseInput reads /me as an action and /get -f as a download that replaces", () => {
  assert.deepEqual(parseInput("/me waves at  bob"), {
    kind: "say",
    text: "waves at  bob",
    action: true,
  });
  assert.deepEqual(parseInput("/ME  nods"), { kind: "say", text: "nods", action: true });
  assert.deepEqual(parseInput("/me  "), { kind: "invalid", message: "Usage: /me ACTION" });
  assert.deepEqual(parseInput("/get -f notes.txt"), {
    kind: "get",
    name: "notes.txt",
    overwrite: true,
  });
  assert.deepEqual(parseInput("/get -f"), { kind: "invalid", message: "Usage: /get [-f] FILE" });
  assert.deepEqual(parseInput("/get -file.txt"), { kind: "get", name: "-file.txt" });
});

Deno.test("parseInput keeps the line breaks of a pasted message", () => {
  assert.deepEqual(parseInput("one\ntwo"), { kind: "say", text: "one\ntwo" });
  assert.deepEqual(parseInput("/msg bob one\ntwo"), { kind: "msg", to: "bob", text: "one\ntwo" });
  assert.deepEqual(parseInput("pasted\n\n"), { kind: "say", text: "pasted" });
  assert.deepEqual(parseInput("\n\n"), { kind: "empty" });
});

Deno.test("parseInput explains a missing argument and an unknown command", () => {
  assert.deepEqual(parseInput("/msg bob"), { kind: "invalid", message: "Usage: /msg NAME TEXT" });
  assert.deepEqual(parseInput("/msg bob   "), {
    kind: "invalid",
    message: "Usage: /msg NAME TEXT",
  });
  assert.deepEqual(parseInput("/get"), { kind: "invalid", message: "Usage: /get [-f] FILE" });
  assert.deepEqual(parseInput("/resume x"), { kind: "invalid", message: "Usage: /resume ID" });
  assert.match((parseInput("/dance") as { message: string }).message, /Unknown command '\/dance'/);
});

Deno.test("parseInput answers a lone slash, or a slash and a space, with a message", () => {
  for (const line of ["/", "/ ", "/  hello", "/\t", "/\u3000x"]) {
    const input = parseInput(line);
    assert.equal(input.kind, "invalid", JSON.stringify(line));
    assert.match((input as { message: string }).message, /command after '\/'/);
  }
});

Deno.test("parseInput never throws, whatever the line", () => {
  const kinds = new Set<Input["kind"]>();
  for (const line of oddLines(1, 5000)) {
    const input = parseInput(line);
    kinds.add(input.kind);
    if (input.kind === "invalid") assert.ok(input.message.length < 200, input.message);
  }
  assert.ok(kinds.has("invalid") && kinds.has("say") && kinds.has("msg"), [...kinds].join());
});

Deno.test("helpLines aligns the descriptions in one column and lists every command", () => {
  const lines = helpLines();
  const commandLines = lines.slice(0, COMMANDS.length + 1);
  const column = commandLines.map((l) => l.search(/ {2}\S/) + 2);
  assert.equal(new Set(column).size, 1, commandLines.join("\n"));
  for (const command of COMMANDS) {
    assert.ok(lines.some((l) => l.startsWith(`${command.name} `)), command.name);
  }
  assert.ok(lines.some((l) => l.startsWith("//TEXT")));
});

Deno.test("parseInput reads /nick, /away, /whois and a /quit message", () => {
  assert.deepEqual(parseInput("/nick  Alicia "), { kind: "nick", name: "Alicia" });
  assert.deepEqual(parseInput("/away out for lunch"), { kind: "away", text: "out for lunch" });
  assert.deepEqual(parseInput("/away  "), { kind: "away" });
  assert.deepEqual(parseInput("/whois bob"), { kind: "whois", name: "bob" });
  assert.deepEqual(parseInput("/quit see you tomorrow"), {
    kind: "quit",
    text: "see you tomorrow",
  });
  assert.deepEqual(parseInput("/exit bye"), { kind: "quit", text: "bye" });
});

Deno.test("parseInput explains /nick and /whois without one name", () => {
  assert.deepEqual(parseInput("/nick"), { kind: "invalid", message: "Usage: /nick NAME" });
  assert.deepEqual(parseInput("/nick a b"), { kind: "invalid", message: "Usage: /nick NAME" });
  assert.deepEqual(parseInput("/whois"), { kind: "invalid", message: "Usage: /whois NAME" });
});
