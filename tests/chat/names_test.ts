import assert from "node:assert/strict";
import { checkName, MAX_NAME_CHARS, nameKey, RESERVED_NAMES } from "../../lib/chat/names.ts";

Deno.test("checkName accepts letters, digits, '_', '-' and '.' up to 32 characters", () => {
  for (const name of ["a", "alice", "Bob_2", "x-y.z", "a.", ".a", "..a", "0", "a".repeat(32)]) {
    assert.equal(checkName(name), null, name);
  }
  assert.equal(MAX_NAME_CHARS, 32);
});

Deno.test("checkName refuses an empty name and one over 32 characters", () => {
  for (const name of ["", "a".repeat(33), "a".repeat(1000)]) {
    assert.equal(checkName(name)?.code, "NAME_INVALID", `${name.length} characters`);
  }
});

Deno.test("checkName refuses spaces, punctuation, control and non-ASCII characters", () => {
  const bad = [
    "bad name",
    " alice",
    "alice ",
    "alice\n",
    "al\u0000ice",
    "a/b",
    "a\\b",
    "a@b",
    "a:b",
    "a,b",
    "a*",
    "<b>",
    "élise",
    "аlice", // Cyrillic а
    "alice\u200b",
    "ａｌｉｃｅ",
    "😀",
  ];
  for (const name of bad) {
    assert.equal(checkName(name)?.code, "NAME_INVALID", JSON.stringify(name));
  }
});

Deno.test("checkName refuses names made of dots alone", () => {
  for (const name of [".", "..", "...", ".".repeat(32)]) {
    assert.equal(checkName(name)?.code, "NAME_INVALID", name);
  }
});

Deno.test("checkName refuses every reserved name in any case", () => {
  const reserved = [
    "server",
    "system",
    "admin",
    "root",
    "all",
    "everyone",
    "me",
    "nobody",
    "anonymous",
    "chat",
    "hub",
  ];
  assert.deepEqual([...RESERVED_NAMES].sort(), [...reserved].sort());
  for (const name of reserved) {
    for (const variant of [name, name.toUpperCase(), name[0]!.toUpperCase() + name.slice(1)]) {
      const error = checkName(variant);
      assert.ok(error !== null, variant);
      assert.equal(error.code, "NAME_RESERVED", variant);
      assert.ok(error.message.includes(variant), error.message);
    }
  }
});

Deno.test("checkName accepts names that merely contain a reserved word", () => {
  for (const name of ["admins", "root2", "chatter", "me.too", "the_hub"]) {
    assert.equal(checkName(name), null, name);
  }
});

Deno.test("nameKey makes names that differ only in case collide", () => {
  assert.equal(nameKey("Alice"), nameKey("alice"));
  assert.equal(nameKey("ALICE"), nameKey("aLiCe"));
  assert.notEqual(nameKey("alice"), nameKey("alice2"));
  assert.notEqual(nameKey("a-b"), nameKey("a_b"));
});

Deno.test("checkName refuses bidi controls and zero-width characters, naming the code point", () => {
  const cases: [string, string][] = [
    ["alice\u202e", "U+202E"], // right-to-left override
    ["al\u2066ice", "U+2066"], // left-to-right isolate
    ["bob\u200f", "U+200F"], // right-to-left mark
    ["\u200balice", "U+200B"], // zero-width space
    ["ad\u200dmin", "U+200D"], // zero-width joiner
    ["bob\ufeff", "U+FEFF"], // byte-order mark
    ["ro\u00adot", "U+00AD"], // soft hyphen
  ];
  for (const [name, label] of cases) {
    const error = checkName(name);
    assert.equal(error?.code, "NAME_INVALID", JSON.stringify(name));
    assert.ok(error.message.includes(label), error.message);
  }
  assert.equal(
    checkName("alice\u202e")?.message,
    "Name must not contain U+202E, a bidirectional control",
  );
});

Deno.test("checkName refuses look-alikes of names: Cyrillic letters and fullwidth forms", () => {
  // Names are ASCII only, so no look-alike of a taken or reserved name gets through.
  for (
    const name of [
      "\u0430dmin",
      "\u0430lice",
      "ＡＤＭＩＮ",
      "ａｄｍｉｎ",
      "r\u043eot",
      "\u03b1dmin",
    ]
  ) {
    assert.equal(checkName(name)?.code, "NAME_INVALID", name);
  }
});
