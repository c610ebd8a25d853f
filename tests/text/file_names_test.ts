import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkFileName,
  MAX_FILE_NAME_BYTES,
  normalizeFileName,
} from "../../lib/text/file_names.ts";
import { SharedFolder } from "../../lib/files/shared_folder.ts";

Deno.test("checkFileName accepts plain names, with spaces, dots and non-ASCII inside", () => {
  const names = [
    "notes.txt",
    "a",
    "archive.tar.gz",
    "my report (final).pdf",
    "résumé.txt",
    "データ.bin",
    "trailing.dot.",
    "x".repeat(MAX_FILE_NAME_BYTES),
  ];
  for (const name of names) assert.equal(checkFileName(name), null, name);
});

Deno.test("checkFileName refuses an empty name and one over 255 bytes", () => {
  assert.equal(MAX_FILE_NAME_BYTES, 255);
  for (const name of ["", "x".repeat(MAX_FILE_NAME_BYTES + 1)]) {
    assert.match(checkFileName(name) ?? "", /1 to 255 bytes of UTF-8/, `${name.length}`);
  }
});

Deno.test("checkFileName refuses names that could climb out of the folder", () => {
  const names = ["../etc/passwd", "..\\boot.ini", "a/b", "/etc/passwd", "sub\\file", "..", "."];
  for (const name of names) assert.notEqual(checkFileName(name), null, name);
});

Deno.test("checkFileName refuses hidden files", () => {
  for (const name of [".env", ".bashrc", "...", ". x"]) {
    assert.equal(checkFileName(name), "Hidden files are not shared", name);
  }
});

Deno.test("checkFileName refuses control characters and the characters Windows refuses", () => {
  const bad = ["a\u0000b", "a\nb", "a\rb", "tab\there", "esc\u001b[31m", "del\u007f"];
  bad.push(...[":", "*", "?", '"', "<", ">", "|"].map((c) => `a${c}b`));
  for (const name of bad) {
    assert.match(checkFileName(name) ?? "", /must not contain/, JSON.stringify(name));
  }
});

Deno.test("checkFileName refuses leading and trailing spaces", () => {
  for (const name of [" notes.txt", "notes.txt ", "  ", "notes.txt\u00a0"]) {
    assert.match(checkFileName(name) ?? "", /spaces/, JSON.stringify(name));
  }
});

Deno.test("checkFileName refuses bidi controls, naming the code point", () => {
  assert.equal(
    checkFileName("evil\u202etxt.exe"),
    "File name must not contain U+202E, a bidirectional control",
  );
  for (const cp of [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x2066, 0x2069]) {
    const label = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
    const name = `a${String.fromCodePoint(cp)}b.txt`;
    assert.equal(
      checkFileName(name),
      `File name must not contain ${label}, a bidirectional control`,
    );
  }
});

Deno.test("checkFileName refuses zero-width, invisible and look-alike characters", () => {
  const cases: [string, RegExp][] = [
    ["pay\u200bpal.txt", /U\+200B, an invisible character/],
    ["a\u200cb", /U\+200C/],
    ["a\u200db", /U\+200D/],
    ["a\u2060b", /U\+2060/],
    ["a\u2064b", /U\+2064/],
    ["notes\ufeff.txt", /U\+FEFF/],
    ["ma\u00adlware.exe", /U\+00AD/],
    ["a\u180eb", /U\+180E/],
    ["a\ufe0fb", /U\+FE0F/],
    ["a\u{e0041}b", /U\+E0041/],
    ["a\u3164b", /U\+3164/],
    ["a\u2800b", /U\+2800/],
    ["my\u00a0report.pdf", /U\+00A0, a space other than U\+0020/],
    ["a\ue000b", /U\+E000, a private-use or unassigned character/],
    ["a\u2028b", /U\+2028/],
    ["a\ud800b", /U\+D800/],
  ];
  for (const [name, expected] of cases) {
    assert.match(checkFileName(name) ?? "", expected, JSON.stringify(name));
  }
});

Deno.test("checkFileName refuses a name not in NFC; normalizeFileName makes it the NFC twin", () => {
  const nfc = "caf\u00e9.txt";
  const nfd = "cafe\u0301.txt";
  assert.equal(checkFileName(nfc), null);
  assert.equal(checkFileName(nfd), "File name must be in Unicode normal form C (NFC)");
  assert.equal(normalizeFileName(nfd), nfc);
  assert.equal(normalizeFileName(nfc), nfc);
  assert.equal(checkFileName(normalizeFileName(nfd)), null);
});

Deno.test("an NFD upload name resolves to its NFC twin, which is taken, so no second café", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "caf\u00e9.txt"), "first");
    const folder = new SharedFolder(dir);
    const nfd = "cafe\u0301.txt";
    await assert.rejects(folder.resolveNew(normalizeFileName(nfd)), /exists already/);
    await assert.rejects(folder.resolveNew(nfd), /NFC/); // unnormalised: refused, never stored
    assert.deepEqual((await folder.list()).map((f) => f.name), ["caf\u00e9.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SharedFolder.list leaves out files whose names fool the eye", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const name of ["ok.txt", "evil\u202etxt.exe", "cafe\u0301.txt", "\u0430dmin.txt"]) {
      await Deno.writeTextFile(join(dir, name), "x");
    }
    assert.deepEqual((await new SharedFolder(dir).list()).map((f) => f.name), ["ok.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkFileName refuses a word mixing Latin with Cyrillic or Greek, naming both", () => {
  assert.equal(
    checkFileName("\u0430dmin.txt"),
    "File name must not mix Cyrillic (U+0430) and Latin (U+0064) in one word",
  );
  assert.match(
    checkFileName("p\u03b1ypal.html") ?? "",
    /mix Latin \(U\+0070\) and Greek \(U\+03B1\)/,
  );
  assert.match(checkFileName("invoice.ex\u0435") ?? "", /mix Latin .* and Cyrillic/);
});

Deno.test("checkFileName accepts names in one script per word, and Japanese, Chinese, Korean", () => {
  const names = ["Отчёт 2024.pdf", "Отчёт.pdf", "Ελληνικά.txt", "ファイルfile.txt", "한국어.doc"];
  for (const name of names) assert.equal(checkFileName(name), null, name);
});
