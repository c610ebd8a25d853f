/**
 * Many at once, as users run it: fifty client processes download one file from one server
 * process at the same moment, and every copy is intact.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Arrivals } from "../_arrivals.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUN = ["run", "--allow-net", "--allow-read", "--allow-write", "--allow-env"];
const CLIENTS = 50;
const FILE_BYTES = 4 * 1024 * 1024;

/** The server's JSON log lines as they come, and a way to wait for a count of some event. */
class ServerLog {
  readonly lines: string[] = [];
  #pending = "";
  readonly #arrivals = new Arrivals();

  async read(stream: ReadableStream<Uint8Array>): Promise<void> {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      const parts = (this.#pending + chunk).split("\n");
      this.#pending = parts.pop()!;
      this.lines.push(...parts);
      this.#arrivals.arrived();
    }
  }

  count(event: string): number {
    return this.lines.filter((line) => line.includes(`"event":"${event}"`)).length;
  }

  async until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!check()) {
      if (performance.now() > deadline) {
        throw new Error(`Timed out waiting for ${what}:\n${this.lines.slice(-5).join("\n")}`);
      }
      await this.#arrivals.next(200);
    }
  }
}

Deno.test("fifty client processes download from one server at once, every file intact", async () => {
  const dir = await Deno.makeTempDir({ prefix: "many-clients-" });
  const file = new Uint8Array(FILE_BYTES);
  for (let i = 0; i < file.length; i += 65_536) {
    crypto.getRandomValues(file.subarray(i, i + 65_536));
  }
  await Deno.mkdir(`${dir}/files`);
  await Deno.writeFile(`${dir}/files/big.bin`, file);
  const expected = createHash("sha256").update(file).digest("hex");
  const server = new Deno.Command(Deno.execPath(), {
    args: [
      ...RUN,
      "server.ts",
      ...["--port", "0", "--log", "json", "--files", `${dir}/files`, "--data", `${dir}/data`],
      // Every client comes from 127.0.0.1: the default of 16 per address would refuse most.
      ...["--max-per-address", String(CLIENTS + 4)],
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log = new ServerLog();
  const reading = log.read(server.stderr);
  try {
    await log.until(() => log.count("listening") === 1, "the server to listen");
    const port = /"listening","detail":"[^"]*:(\d+) /.exec(log.lines.join("\n"))![1]!;
    // Piped clients log in first; every download is then asked for in the same instant.
    const clients = Array.from({ length: CLIENTS }, (_, i) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          ...RUN,
          "client.ts",
          ...["--port", port, "--name", `getter${i}`, "--downloads", `${dir}/d${i}`],
        ],
        cwd: ROOT,
        stdin: "piped",
        stdout: "null",
        stderr: "piped",
      }).spawn());
    let early: Deno.CommandOutput | null = null;
    const outputs = clients.map((child) => child.output().then((out) => (early ??= out, out)));
    await log.until(() => {
      if (early !== null) {
        throw new Error(`A client ended early: ${new TextDecoder().decode(early.stderr)}`);
      }
      return log.count("login") === CLIENTS;
    }, `${CLIENTS} logins`);
    const ask = new TextEncoder().encode("/get big.bin\n");
    await Promise.all(clients.map(async (child) => {
      const writer = child.stdin.getWriter();
      await writer.write(ask);
      await writer.close();
    }));
    const results = await Promise.all(outputs);
    for (const [i, result] of results.entries()) {
      assert.equal(result.code, 0, `client ${i}: ${new TextDecoder().decode(result.stderr)}`);
      const copy = await Deno.readFile(`${dir}/d${i}/big.bin`);
      assert.equal(createHash("sha256").update(copy).digest("hex"), expected, `copy ${i}`);
    }
    assert.equal(log.count("download_done"), CLIENTS);
    assert.ok(
      peakTransfers(log.lines) >= CLIENTS * 0.8,
      `at most ${peakTransfers(log.lines)} at once`,
    );
  } finally {
    server.kill("SIGTERM");
    await server.status;
    await reading;
    await Deno.remove(dir, { recursive: true });
  }
});

/** Most downloads the server held at once, from its log. */
function peakTransfers(lines: string[]): number {
  let live = 0;
  let peak = 0;
  for (const line of lines) {
    if (line.includes('"event":"download_start"')) peak = Math.max(peak, ++live);
    if (/"event":"download_(done|ended)"/.test(line)) live--;
  }
  return peak;
}
