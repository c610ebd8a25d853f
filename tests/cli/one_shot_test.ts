import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ClientConfig, OneShot } from "../../lib/cli/client_config.ts";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { runScripted } from "../../lib/cli/one_shot.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { LineClient } from "../net/_line_client.ts";
import { testConfig } from "./_chat_screen.ts";
import { until } from "../_until.ts";

async function run(
  port: number,
  name: string | undefined,
  command: OneShot | null,
  lines?: string[],
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runScripted(testConfig(port, name), command, {
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

/** Runs a scripted command with settings of its own; `interrupt` stops it like a signal. */
async function runWith(
  settings: Partial<ClientConfig> & { port: number; name: string },
  command: OneShot | null,
  options: { lines?: AsyncIterable<string>; interrupt?: Promise<"SIGINT" | "SIGTERM"> } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runScripted(
    { ...testConfig(settings.port, settings.name), ...settings },
    command,
    {
      printer: { print: (...l) => out.push(...l), error: (l) => err.push(l) },
      interrupted: options.interrupt ?? new Promise(() => {}),
      ...(options.lines === undefined ? {} : { lines: options.lines }),
    },
  );
  return { code, out, err };
}

Deno.test("--json prints results and errors as JSON lines, with the same exit codes", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const port = server.port;
  const holder = await LineClient.login(port, "holder");
  const json = { port, json: true };
  const users = await runWith({ ...json, name: "bot" }, { kind: "users" });
  assert.equal(users.code, EXIT.OK);
  assert.deepEqual(users.out.map((l) => JSON.parse(l).name), ["holder", "bot"]);
  const say = await runWith({ ...json, name: "bot" }, { kind: "say", text: "hi" });
  assert.equal(say.code, EXIT.OK);
  assert.deepEqual(Object.keys(JSON.parse(say.out[0]!)), ["type", "room", "text", "ts"]);
  assert.equal(JSON.parse(say.out[0]!).room, "#lobby");
  assert.equal(JSON.parse(say.out[0]!).type, "sent");
  const msg = await runWith({ ...json, name: "bot" }, { kind: "msg", to: "HOLDER", text: "yo" });
  // The target as the hub knows it, not as typed.
  assert.deepEqual({ ...JSON.parse(msg.out[0]!), ts: 0 }, {
    type: "sent",
    to: "holder",
    text: "yo",
    ts: 0,
  });
  const ghost = await runWith({ ...json, name: "bot" }, { kind: "msg", to: "ghost", text: "x" });
  assert.equal(ghost.code, EXIT.NO_SUCH_USER);
  assert.deepEqual(JSON.parse(ghost.err[0]!), {
    type: "error",
    code: "NO_SUCH_USER",
    message: "No user named 'ghost'",
  });
  const taken = await runWith({ ...json, name: "holder" }, { kind: "users" });
  assert.equal(taken.code, EXIT.NAME_REJECTED);
  assert.equal(JSON.parse(taken.err[0]!).code, "NAME_TAKEN");
  const piped = await runWith({ ...json, name: "piper" }, null, {
    lines: toAsync(["/bogus", "hello"]),
  });
  assert.equal(piped.code, EXIT.USAGE);
  assert.equal(JSON.parse(piped.err[0]!).code, "USAGE");
  assert.equal(JSON.parse(piped.out[0]!).type, "sent");
  await holder.close();
  await server.shutdown();
  const down = await runWith({ ...json, name: "bot" }, { kind: "users" });
  assert.equal(down.code, EXIT.CONNECT_FAILED);
  assert.equal(JSON.parse(down.err[0]!).code, "CONNECT_FAILED");
});

Deno.test("listen --json prints events as the hub sent them, and a signal ends it with 130", async () => {
  const hub = new Hub();
  const server = new HubServer(hub, { port: 0 });
  const stop = Promise.withResolvers<"SIGINT" | "SIGTERM">();
  const out: string[] = [];
  const listening = runScripted({ ...testConfig(server.port, "ear"), json: true }, {
    kind: "listen",
  }, {
    printer: { print: (...l) => out.push(...l), error: () => {} },
    interrupted: stop.promise,
  });
  // The listener must be in before the speaker comes, to see the speaker's join.
  await until(() => hub.userNames.includes("ear"));
  const speaker = await LineClient.login(server.port, "speaker");
  await until(() => out.some((l) => JSON.parse(l).type === "join"));
  await speaker.send({ type: "say", text: "hello ear" });
  await until(() => out.some((l) => JSON.parse(l).type === "message"));
  assert.deepEqual(
    { ...JSON.parse(out.find((l) => JSON.parse(l).type === "message")!), ts: 0 },
    { type: "message", from: "speaker", text: "hello ear", room: "#lobby", id: 1, ts: 0 },
  );
  stop.resolve("SIGINT");
  assert.equal(await listening, EXIT.INTERRUPTED);
  await speaker.close();
  await server.shutdown();
});

Deno.test("piped input exits with the most serious failure's code, not the last one", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const result = await run(server.port, "piper", null, ["/msg ghost x", "/bogus", "hello"]);
  assert.equal(result.code, EXIT.NO_SUCH_USER, result.err.join("\n"));
  await server.shutdown();
});

Deno.test("scripted listen exits 4 when its name was taken while it reconnected", async () => {
  const hub = new Hub();
  let server = new HubServer(hub, { port: 0 });
  const port = server.port;
  const errors: string[] = [];
  const listening = runScripted(testConfig(port, "bot"), { kind: "listen" }, {
    printer: { print: () => {}, error: (l) => errors.push(l) },
    interrupted: new Promise(() => {}),
  });
  await until(() => hub.userNames.includes("bot"));
  await server.shutdown();
  server = new HubServer(new Hub(), { port });
  const thief = await LineClient.login(port, "BOT");
  assert.equal(await listening, EXIT.NAME_REJECTED);
  assert.match(errors.join("\n"), /Cannot log in again as 'bot'.*taken \(NAME_TAKEN\)/);
  await thief.close();
  await server.shutdown();
});

Deno.test("piped input exits 4 when its name was taken while it reconnected", async () => {
  let server = new HubServer(new Hub(), { port: 0 });
  const port = server.port;
  const more = Promise.withResolvers<void>();
  async function* lines() {
    yield "before the outage";
    await more.promise; // the pipe stays open, idle
  }
  const errors: string[] = [];
  const piping = runScripted(testConfig(port, "bot"), null, {
    printer: { print: () => {}, error: (l) => errors.push(l) },
    interrupted: new Promise(() => {}),
    lines: lines(),
  });
  const watcher = await LineClient.login(port, "watcher");
  await watcher.nextOfType("message");
  await server.shutdown();
  await watcher.close();
  server = new HubServer(new Hub(), { port });
  const thief = await LineClient.login(port, "bot");
  assert.equal(await piping, EXIT.NAME_REJECTED);
  assert.equal(errors.filter((l) => /NAME_TAKEN/.test(l)).length, 1, errors.join("\n"));
  more.resolve();
  await thief.close();
  await server.shutdown();
});

Deno.test("a signal stops piped input waiting for the hub within a second: 143 after SIGTERM", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const port = server.port;
  const gone = Promise.withResolvers<void>();
  async function* lines() {
    yield "first";
    await gone.promise;
    yield "typed while the hub is away";
  }
  const stop = Promise.withResolvers<"SIGINT" | "SIGTERM">();
  const err: string[] = [];
  const piping = runScripted(testConfig(port, "bot"), null, {
    printer: { print: () => {}, error: (l) => err.push(l) },
    interrupted: stop.promise,
    lines: lines(),
  });
  const watcher = await LineClient.login(port, "watcher");
  await watcher.nextOfType("message");
  await server.shutdown();
  await watcher.close();
  gone.resolve();
  await until(() => err.some((l) => /Reconnecting/.test(l)));
  const started = performance.now();
  stop.resolve("SIGTERM");
  assert.equal(await piping, EXIT.TERMINATED);
  const took = performance.now() - started;
  assert.ok(took < 1000, `stopped in ${took.toFixed(0)} ms`);
  assert.match(err.join("\n"), /Stopped by SIGTERM/);
});

Deno.test("a bad --out is reported in plain words naming the folder, exit 7", async () => {
  const server = new HubServer(new Hub(), { port: 0 });
  const dir = await Deno.makeTempDir({ prefix: "chat-out-" });
  const file = `${dir}/a-file`;
  await Deno.writeTextFile(file, "x");
  try {
    const result = await runWith(
      { port: server.port, name: "bot", downloads: `${file}/inbox` },
      { kind: "get", name: "readme.txt" },
    );
    assert.equal(result.code, EXIT.TRANSFER_FAILED);
    const said = result.err.join("\n");
    assert.match(said, /Cannot save downloads in '.*a-file\/inbox': part of the path is a file/);
    assert.doesNotMatch(said, /os error|Not a directory|mkdir/);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.shutdown();
  }
});
