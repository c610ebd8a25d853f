import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ClientConfig, OneShot } from "../../lib/cli/client_config.ts";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { runScripted } from "../../lib/cli/one_shot.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { LineClient } from "../net/_line_client.ts";

function config(port: number, name: string | undefined): ClientConfig {
  return {
    host: "127.0.0.1",
    port,
    name,
    downloads: "downloads",
    overwrite: false,
    json: false,
    mtu: undefined,
  };
}

async function run(
  port: number,
  name: string | undefined,
  command: OneShot | null,
  lines?: string[],
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runScripted(config(port, name), command, {
    printer: { print: (...l) => out.push(...l), error: (l) => err.push(l) },
    interrupted: new Promise(() => {}),
    ...(lines === undefined ? {} : { lines: toAsync(lines) }),
  });
  return { code, out, err };
}

async function* toAsync(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

Deno.test("one-shot exit codes say what happened", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const port = server.port;
  const holder = await LineClient.login(port, "holder");
  assert.equal((await run(port, "bot", { kind: "say", text: "hi" })).code, EXIT.OK);
  assert.equal((await run(port, "holder", { kind: "users" })).code, EXIT.NAME_REJECTED);
  assert.equal(
    (await run(port, "bot", { kind: "msg", to: "ghost", text: "x" })).code,
    EXIT.NO_SUCH_USER,
  );
  assert.equal((await run(port, undefined, { kind: "users" })).code, EXIT.USAGE);
  const users = await run(port, "bot", { kind: "users" });
  assert.deepEqual(users.out.map((l) => l.split(" ")[0]), ["holder", "bot"]);
  await holder.close();
  await server.shutdown();
  assert.equal((await run(port, "bot", { kind: "users" })).code, EXIT.CONNECT_FAILED);
});

Deno.test("piped input under the rate limit waits and loses no line", async () => {
  const server = new HubServer(new Hub({ rate: { perSecond: 50, burst: 3 } }), { port: 0 });
  const listener = await LineClient.login(server.port, "listener");
  const lines = Array.from({ length: 25 }, (_, i) => `line ${i}`);
  const result = await run(server.port, "piper", null, [...lines, "/msg listener done"]);
  assert.equal(result.code, EXIT.OK, result.err.join("\n"));
  for (const line of lines) {
    assert.equal((await listener.nextOfType("message")).text, line);
  }
  assert.equal((await listener.nextOfType("message")).to, "listener");
  await listener.close();
  await server.shutdown();
});

Deno.test("piped input reports a bad command and goes on with the next lines", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const listener = await LineClient.login(server.port, "listener");
  const result = await run(server.port, "piper", null, ["/bogus", "after"]);
  assert.equal(result.code, EXIT.USAGE);
  assert.match(result.err.join("\n"), /Unknown command '\/bogus'/);
  assert.equal((await listener.nextOfType("message")).text, "after");
  await listener.close();
  await server.shutdown();
});

Deno.test("one-shot shows an error relayed from the server with hidden characters escaped", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const result = await run(server.port, "bot", {
    kind: "msg",
    to: "gh\u202eost\x1b[2J",
    text: "x",
  });
  assert.equal(result.code, EXIT.NO_SUCH_USER);
  const shown = result.err.join("\n");
  assert.ok(!shown.includes("\u202e") && !shown.includes("\x1b"), JSON.stringify(shown));
  assert.match(shown, /No user named 'gh<U\+202E>ost\^\[\[2J'/);
  await server.shutdown();
});

Deno.test("one-shot escapes a hostile server's refusal of the login", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const utf8 = new TextEncoder();
  const serving = (async () => {
    const conn = await listener.accept();
    await conn.write(
      utf8.encode('{"type":"hello","protocol":1,"server":"fake","heartbeatMs":15000}\n'),
    );
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    const id = JSON.parse(new TextDecoder().decode(buffer.subarray(0, n ?? 0)).split("\n")[0]!).id;
    const message = "evil\u202etxt.exe\x1b[2J";
    await conn.write(
      utf8.encode(JSON.stringify({ type: "error", re: id, code: "NAME_INVALID", message }) + "\n"),
    );
    await conn.read(buffer).catch(() => null);
    conn.close();
  })();
  const result = await run(listener.addr.port, "bot", { kind: "users" });
  assert.equal(result.code, EXIT.NAME_REJECTED);
  const shown = result.err.join("\n");
  assert.ok(!shown.includes("\u202e") && !shown.includes("\x1b"), JSON.stringify(shown));
  assert.match(shown, /evil<U\+202E>txt\.exe\^\[\[2J/);
  await serving;
  listener.close();
});
