import assert from "node:assert/strict";
import { checkFileName, MAX_FILE_NAME_BYTES } from "../../lib/files/file_names.ts";

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
