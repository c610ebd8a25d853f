import assert from "node:assert/strict";
import { completeLine, type CompletionSources } from "../../lib/tui/completion.ts";

const sources: CompletionSources = {
  commands: [
    "/msg",
    "/users",
    "/files",
    "/get",
    "/put",
    "/pause",
    "/resume",
    "/cancel",
    "/help",
    "/quit",
  ],
  users: ["alice", "Alan", "bob", "alice"],
  files: ["notes.txt", "notes-2024.txt", "readme.md", "my file.txt"],
};

function complete(line: string, cursor = line.length) {
  return completeLine(line, cursor, sources);
}

Deno.test("completeLine completes a unique command and adds a space", () => {
  assert.deepEqual(complete("/ms"), { line: "/msg ", cursor: 5, candidates: [] });
  assert.deepEqual(complete("/RE"), { line: "/resume ", cursor: 8, candidates: [] });
});

Deno.test("completeLine accepts command names given without their slash", () => {
  const result = completeLine("/q", 2, { commands: ["quit", "help"], users: [], files: [] });
  assert.deepEqual(result, { line: "/quit ", cursor: 6, candidates: [] });
});

Deno.test("completeLine lists several commands and keeps the line when they share no more", () => {
  assert.deepEqual(complete("/p"), { line: "/p", cursor: 2, candidates: ["/pause", "/put"] });
});

Deno.test("completeLine inserts the longest common prefix of several commands", () => {
  const result = completeLine("/", 1, { commands: ["/files", "/filter"], users: [], files: [] });
  assert.deepEqual(result, { line: "/fil", cursor: 4, candidates: ["/files", "/filter"] });
});

Deno.test("completeLine completes a user name after /msg, ignoring case, with a space", () => {
  assert.deepEqual(complete("/msg b"), { line: "/msg bob ", cursor: 9, candidates: [] });
  assert.deepEqual(complete("/msg ALI"), { line: "/msg alice ", cursor: 11, candidates: [] });
  assert.deepEqual(complete("/MSG   bo"), { line: "/MSG   bob ", cursor: 11, candidates: [] });
});

Deno.test("completeLine grows several user matches to their common prefix and lists them", () => {
  // "Alan" and "alice" share "al" only when case is ignored: what was typed is kept.
  assert.deepEqual(complete("/msg a"), {
    line: "/msg a",
    cursor: 6,
    candidates: ["Alan", "alice"],
  });
  const exact = completeLine("/msg a", 6, {
    commands: [],
    users: ["alice", "alicia", "bob"],
    files: [],
  });
  assert.deepEqual(exact, { line: "/msg alic", cursor: 9, candidates: ["alice", "alicia"] });
});

Deno.test("completeLine lists every user after a bare /msg", () => {
  assert.deepEqual(complete("/msg ").candidates, ["Alan", "alice", "bob"]);
});

Deno.test("completeLine completes file names after /get without a trailing space", () => {
  assert.deepEqual(complete("/get r"), { line: "/get readme.md", cursor: 14, candidates: [] });
  assert.deepEqual(complete("/get my"), { line: "/get my file.txt", cursor: 16, candidates: [] });
  assert.deepEqual(complete("/get no"), {
    line: "/get notes",
    cursor: 10,
    candidates: ["notes-2024.txt", "notes.txt"],
  });
});

Deno.test("completeLine changes nothing when nothing matches", () => {
  assert.deepEqual(complete("/x"), { line: "/x", cursor: 2, candidates: [] });
  assert.deepEqual(complete("/msg zed"), { line: "/msg zed", cursor: 8, candidates: [] });
  assert.deepEqual(complete("/get zz"), { line: "/get zz", cursor: 7, candidates: [] });
});

Deno.test("completeLine completes a user name anywhere in the text, followed by a space", () => {
  assert.deepEqual(complete("hello bo"), { line: "hello bob ", cursor: 10, candidates: [] });
  assert.deepEqual(complete("hello al"), {
    line: "hello al",
    cursor: 8,
    candidates: ["Alan", "alice"],
  });
  assert.deepEqual(complete("/msg alice bo"), {
    line: "/msg alice bob ",
    cursor: 15,
    candidates: [],
  });
  assert.deepEqual(complete("/me waves at B"), {
    line: "/me waves at bob ",
    cursor: 17,
    candidates: [],
  });
  assert.deepEqual(complete("hello "), { line: "hello ", cursor: 6, candidates: [] });
});

Deno.test("completeLine addresses a user completed at the start of a line with a colon", () => {
  assert.deepEqual(complete("bo"), { line: "bob: ", cursor: 5, candidates: [] });
  assert.deepEqual(complete("ALIC"), { line: "alice: ", cursor: 7, candidates: [] });
  assert.deepEqual(complete("bo how are you", 2), {
    line: "bob: how are you",
    cursor: 5,
    candidates: [],
  });
});

Deno.test("completeLine completes file names after /get -f", () => {
  assert.deepEqual(complete("/get -f r"), {
    line: "/get -f readme.md",
    cursor: 17,
    candidates: [],
  });
});

Deno.test("completeLine keeps the text after the cursor and steps over an existing space", () => {
  assert.deepEqual(complete("/msg bo hello", 7), {
    line: "/msg bob hello",
    cursor: 9,
    candidates: [],
  });
  assert.deepEqual(complete("/ms", 2), { line: "/msg s", cursor: 5, candidates: [] });
});

Deno.test("completeLine counts the cursor in UTF-16 code units", () => {
  const result = completeLine("/msg 😀é", 8, { commands: [], users: ["😀éva"], files: [] });
  assert.deepEqual(result, { line: "/msg 😀éva ", cursor: 11, candidates: [] });
});

Deno.test("completeLine rejects a cursor outside the line", () => {
  assert.throws(() => complete("/ms", 4), RangeError);
});

Deno.test("completeLine completes a room after /join, /part and /switch, # optional", () => {
  const sources = {
    commands: [],
    users: ["devon"],
    files: [],
    rooms: ["#lobby", "#dev", "#design"],
  };
  assert.equal(completeLine("/switch #l", 10, sources).line, "/switch #lobby");
  assert.equal(completeLine("/part dev", 9, sources).line, "/part #dev");
  const both = completeLine("/join de", 8, sources);
  assert.deepEqual(both.candidates, ["#design", "#dev"]);
  assert.equal(both.line, "/join #de");
  assert.equal(completeLine("hi de", 5, sources).line, "hi devon ", "elsewhere: users");
});
