import assert from "node:assert/strict";
import { join } from "node:path";
import { HistoryFile, historyPath, MAX_HISTORY_LINES } from "../../lib/cli/history_file.ts";

Deno.test("historyPath prefers XDG_CONFIG_HOME, then ~/.config, else none", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(historyPath(env({ XDG_CONFIG_HOME: "/x", HOME: "/h" })), "/x/deno-chat/history");
  assert.equal(historyPath(env({ HOME: "/h" })), "/h/.config/deno-chat/history");
  assert.equal(historyPath(env({})), null);
  assert.equal(
    historyPath(() => {
      throw new Deno.errors.NotCapable("no env");
    }),
    null,
  );
});

Deno.test("HistoryFile keeps entries across opens, line breaks included, in a private file", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "deno-chat", "history");
  try {
    const first = await HistoryFile.open(path);
    assert.deepEqual(first.entries, []);
    first.file.append("hello");
    first.file.append("two\nlines");
    await first.file.flushed();
    assert.deepEqual((await HistoryFile.open(path)).entries, ["hello", "two\nlines"]);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HistoryFile keeps the last entries, skips bad lines and compacts a long file", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "history");
  try {
    const lines = Array.from({ length: 2 * MAX_HISTORY_LINES + 5 }, (_, i) => `"line ${i}"`);
    await Deno.writeTextFile(path, ["not json", "42", ...lines, ""].join("\n"));
    const { file, entries } = await HistoryFile.open(path);
    assert.equal(entries.length, MAX_HISTORY_LINES);
    assert.equal(entries.at(-1), `line ${2 * MAX_HISTORY_LINES + 4}`);
    await file.flushed();
    const kept = (await Deno.readTextFile(path)).trimEnd().split("\n");
    assert.equal(kept.length, MAX_HISTORY_LINES, "rewritten with the entries kept");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
