import assert from "node:assert/strict";
import { MAX_PASSWORD_BYTES } from "../../lib/chat/limits.ts";
import { readSecretFile } from "../../lib/cli/secret_file.ts";

function file(content: string): string {
  const path = Deno.makeTempFileSync();
  Deno.writeTextFileSync(path, content);
  return path;
}

Deno.test("readSecretFile takes the first line without its break", async () => {
  assert.deepEqual(await readSecretFile(file("pass word\r\nrest"), "password"), {
    ok: true,
    secret: "pass word",
  });
  assert.deepEqual(await readSecretFile(file("no break"), "password"), {
    ok: true,
    secret: "no break",
  });
});

Deno.test("readSecretFile refuses a missing, empty or over-long file without printing it", async () => {
  const missing = await readSecretFile("/nonexistent/pw", "password");
  assert.equal(missing.ok, false);
  const empty = await readSecretFile(file("\n"), "password");
  assert.match(empty.ok ? "" : empty.message, /empty/);
  const long = "s".repeat(MAX_PASSWORD_BYTES + 10);
  const tooLong = await readSecretFile(file(long), "password");
  assert.equal(tooLong.ok, false);
  assert.ok(!(tooLong.ok ? "" : tooLong.message).includes("sss"));
});
