import assert from "node:assert/strict";
import { findMixedScripts, SCRIPT_NAMES } from "../../lib/text/mixed_script.ts";

Deno.test("findMixedScripts refuses a Cyrillic letter inside a Latin word", () => {
  const mix = findMixedScripts("\u0430dmin.txt"); // Cyrillic а, then Latin
  assert.deepEqual(mix, {
    first: { script: "Cyrillic", codePoint: 0x0430 },
    second: { script: "Latin", codePoint: 0x64 },
  });
});

Deno.test("findMixedScripts refuses Latin mixed with Greek, Armenian or Cherokee in one word", () => {
  const cases: [string, string][] = [
    ["p\u03b1ypal.html", "Greek"], // α
    ["g\u0585ogle", "Armenian"], // օ
    ["\u13a0ebian.iso", "Cherokee"], // Ꭰ
    ["report\u0660.txt", "Arabic"], // Arabic-Indic zero
  ];
  for (const [name, script] of cases) {
    const mix = findMixedScripts(name);
    assert.ok(mix !== null, name);
    assert.deepEqual([mix.first.script, mix.second.script].sort(), ["Latin", script].sort(), name);
  }
});

Deno.test("findMixedScripts passes words of one script each, split by spaces, digits, dots", () => {
  const names = [
    "notes.txt",
    "Отчёт 2024.pdf",
    "Отчёт.pdf",
    "Ελληνικά_Greek.doc",
    "résumé.txt",
    "cafe\u0301.txt", // combining mark takes the script of its letter
    "هذا ملف.txt",
    "データ.bin",
    "שלום-world",
  ];
  for (const name of names) assert.equal(findMixedScripts(name), null, name);
});

Deno.test("findMixedScripts passes the mixes of Japanese, Chinese and Korean writing", () => {
  const names = [
    "ファイルfile.txt",
    "資料ファイル.txt",
    "日本語のtext",
    "한국어file漢字.txt",
    "ㄅㄆ中文abc",
  ];
  for (const name of names) assert.equal(findMixedScripts(name), null, name);
});

Deno.test("findMixedScripts refuses mixes outside those three", () => {
  for (const name of ["한국어ファイル", "ㄅㄆ한국어", "日本\u0430"]) {
    assert.notEqual(findMixedScripts(name), null, name);
  }
});

Deno.test("SCRIPT_NAMES with Common and Inherited cover every assigned code point", () => {
  const known = new RegExp(
    [...SCRIPT_NAMES, "Common", "Inherited"].map((name) => `\\p{scx=${name}}`).join("|"),
    "u",
  );
  const missing: string[] = [];
  for (let cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp < 0xe000) continue;
    const ch = String.fromCodePoint(cp);
    if (!known.test(ch) && !/[\p{Cn}\p{Co}]/u.test(ch)) missing.push(cp.toString(16));
  }
  assert.deepEqual(missing.slice(0, 10), []);
});
