/**
 * A grant's transfer key seals the file channel: it must never reach a log, the server's or the
 * client's, in any form the grant carries it (hex).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { Harness, writeRandomFile } from "./_harness.ts";
import { client, DENO, RUN, startServer, text } from "../cli/_processes.ts";

Deno.test("a grant's key appears in no log record of the server, at any level", async () => {
  const harness = await Harness.start();
  try {
    await writeRandomFile(join(harness.folder, "a.bin"), 100_000);
    const alice = await harness.connect("alice");
    assert.equal(await alice.transfers.wait(alice.transfers.download("a.bin")), "done");
    const grant = harness.grants[0]!;
    assert.match(grant.key, /^[0-9a-f]{64}$/);
    assert.ok(harness.logs.length > 0);
    const logged = harness.logs.map((record) => JSON.stringify(record)).join("\n").toLowerCase();
    assert.equal(logged.includes(grant.key.toLowerCase()), false, "the key is in a log record");
    assert.equal(logged.includes(grant.token.toLowerCase()), false, "the token is too");
  } finally {
    await harness.close();
  }
});

Deno.test("no 64-hex-digit string but a file's SHA-256 appears in the server's or client's output", async () => {
  const root = await Deno.makeTempDir({ prefix: "key-log-" });
  const files = join(root, "files");
  await Deno.mkdir(files);
  const bytes = crypto.getRandomValues(new Uint8Array(50_000));
  await Deno.writeFile(join(files, "a.bin"), bytes);
  const fileHash = createHash("sha256").update(bytes).digest("hex");
  const server = await startServer([DENO, ...RUN, "server.ts"], files, join(root, "data"));
  try {
    const run = await client([DENO, ...RUN, "client.ts"], [
      ...["--port", String(server.port), "--name", "getter", "--downloads", join(root, "down")],
      ...["get", "a.bin"],
    ]);
    const clientOutput = text(run.stdout) + text(run.stderr);
    assert.equal(run.code, 0, clientOutput);
    assert.deepEqual(await Deno.readFile(join(root, "down", "a.bin")), bytes);
    // The transfer key travels as 64 hex digits: any such run in a log that is not the file's
    // hash could be it.
    const output = server.stderr.join("") + clientOutput;
    const strays = (output.match(/[0-9a-fA-F]{64,}/g) ?? []).filter((hex) => hex !== fileHash);
    assert.deepEqual(strays, []);
  } finally {
    server.child.kill();
    await server.child.status;
    await Deno.remove(root, { recursive: true });
  }
});
