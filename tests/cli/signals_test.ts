/**
 * Signals, as users send them: a one-shot `get` or `put`, or piped input, stops within a second
 * on SIGINT or SIGTERM, keeps a download's `.part`, tells the hub, and exits 130 or 143.
 * Transfers go through the network relay at 4 MB/s, so that they are still running when the
 * signal comes.
 */
import assert from "node:assert/strict";
import {
  DENO,
  ROOT,
  RUN,
  type Running,
  spawn,
  type Started,
  startServer,
  until,
} from "./_processes.ts";

const SIZE = 16 * 1024 * 1024;
const RELAY_HOST = "127.0.0.2";

/** A shared folder with a file of random bytes, and a server sharing it behind a slow relay. */
async function slowServer(): Promise<{ server: Started; relay: Running; folder: string }> {
  const folder = await Deno.makeTempDir({ prefix: "chat-signals-files-" });
  await writeRandom(`${folder}/big.bin`, SIZE);
  const server = await startServer([DENO, ...RUN, "server.ts"], folder);
  const target = `127.0.0.1:${server.port}`;
  const relay = spawn([
    ...["run", "--allow-net", "--allow-env", "tools/netsim.ts"],
    ...["--listen", `${RELAY_HOST}:${server.port}`, "--target", target, "--tcp"],
    ...["--rate", "4MB", "--stats-every", "0"],
  ]);
  await until(() => relay.stderr.join("").includes("relaying"));
  return { server, relay, folder };
}

async function stopAll(setup: { server: Started; relay: Running; folder: string }) {
  setup.relay.child.kill("SIGTERM");
  await setup.relay.done;
  setup.server.child.kill("SIGTERM");
  await setup.server.child.status;
  await Deno.remove(setup.folder, { recursive: true });
}

async function writeRandom(path: string, size: number): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const chunk = new Uint8Array(64 * 1024);
  for (let written = 0; written < size; written += chunk.length) {
    crypto.getRandomValues(chunk);
    await file.write(chunk);
  }
  file.close();
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return null;
  }
}

/** Sends `signal` and returns the exit code and how long the exit took, in ms. */
async function stopWith(running: Running, signal: "SIGINT" | "SIGTERM") {
  const sent = performance.now();
  running.child.kill(signal);
  const status = await running.done;
  return { code: status.code, ms: performance.now() - sent };
}

function clientArgs(port: number, name: string, host = RELAY_HOST): string[] {
  return [...RUN, "client.ts", "--host", host, "--port", String(port), "--name", name];
}

Deno.test("get stopped by SIGINT exits 130 within a second, keeps the .part and cancels", async () => {
  const setup = await slowServer();
  const downloads = await Deno.makeTempDir({ prefix: "chat-signals-dl-" });
  const part = `${downloads}/big.bin.part`;
  try {
    const getter = spawn([
      ...clientArgs(setup.server.port, "getter"),
      "--out",
      downloads,
      "get",
      "big.bin",
    ]);
    await until(async () => ((await sizeOf(part)) ?? 0) > 0);
    const { code, ms } = await stopWith(getter, "SIGINT");
    assert.equal(code, 130, getter.stderr.join(""));
    assert.ok(ms < 1000, `exited ${ms.toFixed(0)} ms after SIGINT`);
    const kept = await sizeOf(part);
    assert.ok(kept !== null && kept > 0 && kept < SIZE, `the .part holds ${kept} bytes`);
    assert.equal(await sizeOf(`${downloads}/big.bin`), null);
    // The hub heard of it: the server's side of the transfer was cancelled.
    await until(() => /"transfer_failed".*CANCELLED/.test(setup.server.stderr.join("")), 5000);
    // The .part resumes: straight to the server this time, with --json.
    const resumed = spawn([
      ...clientArgs(setup.server.port, "getter", "127.0.0.1"),
      ...["--json", "--out", downloads, "get", "big.bin"],
    ]);
    const status = await resumed.done;
    assert.equal(status.code, 0, resumed.stderr.join(""));
    const result = JSON.parse(resumed.stdout.join("").trim());
    assert.deepEqual(result, {
      type: "transfer",
      id: 1,
      direction: "download",
      name: "big.bin",
      state: "done",
      bytes: SIZE,
      size: SIZE,
    });
    assert.deepEqual(
      await Deno.readFile(`${downloads}/big.bin`),
      await Deno.readFile(`${setup.folder}/big.bin`),
    );
  } finally {
    await Deno.remove(downloads, { recursive: true });
    await stopAll(setup);
  }
});

Deno.test("put stopped by SIGTERM exits 143 within a second and nothing is stored", async () => {
  const setup = await slowServer();
  const source = await Deno.makeTempDir({ prefix: "chat-signals-up-" });
  await writeRandom(`${source}/upload.bin`, SIZE);
  try {
    const putter = spawn([
      ...clientArgs(setup.server.port, "putter"),
      "put",
      `${source}/upload.bin`,
    ]);
    // Progress lines on stderr show the upload running.
    await until(() => /↑ upload\.bin/.test(putter.stderr.join("")));
    const { code, ms } = await stopWith(putter, "SIGTERM");
    assert.equal(code, 143, putter.stderr.join(""));
    assert.ok(ms < 1000, `exited ${ms.toFixed(0)} ms after SIGTERM`);
    await until(() => /"upload_failed"/.test(setup.server.stderr.join("")), 5000);
    assert.equal(await sizeOf(`${setup.folder}/upload.bin`), null);
  } finally {
    await Deno.remove(source, { recursive: true });
    await stopAll(setup);
  }
});

Deno.test("piped mode stopped by SIGINT exits 130 within a second", async () => {
  const server = await startServer([DENO, ...RUN, "server.ts"], `${ROOT}files`);
  try {
    const piper = spawn([...clientArgs(server.port, "piper", "127.0.0.1")], { stdin: "piped" });
    const input = piper.child.stdin.getWriter();
    await input.write(new TextEncoder().encode("/users\n"));
    await until(() => piper.stdout.join("").includes("piper"));
    const { code, ms } = await stopWith(piper, "SIGINT");
    assert.equal(code, 130, piper.stderr.join(""));
    assert.ok(ms < 1000, `exited ${ms.toFixed(0)} ms after SIGINT`);
    await input.close().catch(() => {});
  } finally {
    server.child.kill("SIGTERM");
    await server.child.status;
  }
});
