/**
 * The programs as users run them: real processes, signals and exit codes.
 */
import assert from "node:assert/strict";
import { client, DENO, ROOT, RUN, startServer, text } from "./_processes.ts";

/** Runs the server and client programs end to end; returns after SIGTERM stops the server. */
async function endToEnd(server: string[], clientCommand: string[]): Promise<void> {
  const started = await startServer(server);
  const users = await client(clientCommand, [
    "--port",
    String(started.port),
    "--name",
    "probe",
    "users",
  ]);
  assert.equal(users.code, 0, text(users.stderr));
  assert.match(text(users.stdout), /^probe /);
  const files = await client(clientCommand, [
    "--port",
    String(started.port),
    "--name",
    "probe",
    "--json",
    "files",
  ]);
  assert.equal(files.code, 0, text(files.stderr));
  assert.ok(text(files.stdout).split("\n").some((l) => l.startsWith('{"name":')));
  const noUser = await client(clientCommand, [
    "--port",
    String(started.port),
    "--name",
    "p",
    "msg",
    "ghost",
    "hi",
  ]);
  assert.equal(noUser.code, 5);
  const downloads = await Deno.makeTempDir({ prefix: "chat-downloads-" });
  try {
    const get = await client(clientCommand, [
      ...["--port", String(started.port), "--name", "getter", "--downloads", downloads],
      ...["get", "readme.txt"],
    ]);
    assert.equal(get.code, 0, text(get.stderr));
    assert.deepEqual(
      await Deno.readFile(`${downloads}/readme.txt`),
      await Deno.readFile(`${ROOT}files/readme.txt`),
    );
  } finally {
    await Deno.remove(downloads, { recursive: true });
  }
  started.child.kill("SIGTERM");
  const status = await started.child.status;
  assert.equal(status.code, 0);
  assert.match(started.stderr.join(""), /"event":"shutdown"/);
}

Deno.test("server and client run as processes; SIGTERM stops the server cleanly", async () => {
  await endToEnd([DENO, ...RUN, "server.ts"], [DENO, ...RUN, "client.ts"]);
});

Deno.test("server and client work under exactly the permissions baked into the binaries", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const bakedFlags = (name: string) => {
    const words: string[] = config.tasks[`compile:${name}`].split(/\s+/);
    // `--output` and `--include` (the history's Worker module) only mean something to compile.
    return words.filter((w) => w.startsWith("--") && w !== "--output" && w !== "--include");
  };
  await endToEnd(
    [DENO, "run", "--no-prompt", ...bakedFlags("server"), "server.ts"],
    [DENO, "run", "--no-prompt", ...bakedFlags("client"), "client.ts"],
  );
});

Deno.test("server and client reject bad flags with usage errors (exit 2)", async () => {
  const server = await client([DENO, ...RUN, "server.ts"], ["--port", "99999"]);
  assert.equal(server.code, 2);
  assert.match(text(server.stderr), /Invalid port '99999'/);
  const clientRun = await client([DENO, ...RUN, "client.ts"], ["--bogus"]);
  assert.equal(clientRun.code, 2);
  assert.match(text(clientRun.stderr), /bogus/);
});

Deno.test("client cannot connect: exit 3 with the reason", async () => {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = probe.addr.port;
  probe.close();
  const result = await client([DENO, ...RUN, "client.ts"], [
    "--port",
    String(port),
    "--name",
    "x",
    "users",
  ]);
  assert.equal(result.code, 3);
  assert.match(text(result.stderr), /connection refused/);
});

// The compiled binaries need Deno's runtime (denort), which `deno compile` downloads unless
// DENORT_BIN points at one. Build them with the exact flags of the compile tasks.
const compiled = await compileBinaries();
if (compiled.skipped !== undefined) {
  console.log(`Skipping the compiled-binary test: ${compiled.skipped}`);
}

Deno.test({
  name: "compiled chat-server and chat-client work with their baked-in permissions",
  ignore: compiled.skipped !== undefined,
  async fn() {
    await endToEnd([compiled.server!], [compiled.client!]);
  },
});

async function compileBinaries(): Promise<{ server?: string; client?: string; skipped?: string }> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const out = await Deno.makeTempDir({ prefix: "chat-compiled-" });
  const built: Record<string, string> = {};
  for (const name of ["server", "client"]) {
    const task: string = config.tasks[`compile:${name}`];
    const args = task.split(/\s+/).slice(1).map((a) =>
      a === `dist/chat-${name}` ? `${out}/chat-${name}` : a
    );
    const result = await new Deno.Command(DENO, {
      args,
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!result.success) {
      await Deno.remove(out, { recursive: true });
      const lines = text(result.stderr).split("\n").map((l) => l.trim());
      const cause = lines.find((l) => /^\d+: /.test(l) && /url|download|denort/i.test(l)) ??
        lines.find((l) => l.startsWith("error:")) ?? "unknown error";
      return {
        skipped: `deno compile cannot get its runtime (denort): ${cause.replace(/^\d+: /, "")}. ` +
          "Set DENORT_BIN to a denort binary to run it",
      };
    }
    built[name] = `${out}/chat-${name}`;
  }
  return { server: built.server!, client: built.client! };
}
