import assert from "node:assert/strict";
import { LineClient } from "../net/_line_client.ts";
import { DENO, ROOT, RUN, startServer, text } from "./_processes.ts";

const SERVER = [DENO, ...RUN, `${ROOT}server.ts`];

async function stop(server: { child: Deno.ChildProcess }): Promise<void> {
  server.child.kill("SIGTERM");
  await server.child.status;
}

async function login(port: number, fields: object) {
  const client = await LineClient.connect(port);
  await client.nextOfType("hello");
  await client.send({ type: "login", id: "in", protocol: 4, ...fields });
  const reply = await client.next((m) => m.re === "in");
  return { client, reply };
}

function accounts(args: string[]) {
  return new Deno.Command(DENO, {
    args: [...RUN, `${ROOT}server.ts`, "accounts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("chat-server keeps an account across restarts, and the operator lists and removes it", async () => {
  let server = await startServer(SERVER);
  const { data } = server;
  const ann = await LineClient.login(server.port, "Ann");
  await ann.send({ type: "register", id: "reg", password: "correct horse" });
  assert.equal((await ann.next((m) => m.re === "reg")).type, "ok");
  await ann.close();
  await stop(server);

  server = await startServer(SERVER, undefined, data);
  const guest = await login(server.port, { name: "ann" });
  assert.equal(guest.reply.code, "NAME_REGISTERED");
  await guest.client.close();
  const wrong = await login(server.port, { name: "ann", password: "not it at all" });
  assert.equal(wrong.reply.code, "BAD_PASSWORD");
  await wrong.client.close();
  const right = await login(server.port, { name: "ann", password: "correct horse" });
  assert.equal(right.reply.type, "welcome");
  await right.client.close();
  const busy = await accounts(["list", "--data", data]);
  assert.equal(busy.code, 1);
  assert.match(text(busy.stderr), /DATABASE_IN_USE/);
  await stop(server);

  const listed = await accounts(["list", "--data", data]);
  assert.equal(listed.code, 0, text(listed.stderr));
  assert.match(text(listed.stdout), /^Ann\tregistered /);
  assert.ok(!server.stderr.join("").includes("correct horse"), "no password in the log");
  const removed = await accounts(["remove", "ANN", "--data", data]);
  assert.equal(removed.code, 0, text(removed.stderr));
  const again = await accounts(["remove", "ann", "--data", data]);
  assert.equal(again.code, 1);
  assert.match(text(again.stderr), /No account 'ann'/);

  server = await startServer(SERVER, undefined, data);
  const free = await login(server.port, { name: "ann" });
  assert.equal(free.reply.type, "welcome");
  await free.client.close();
  await stop(server);
});

Deno.test("chat-server with a server password file lets in only the clients that give it", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/pw`, "letmein-please\n");
  const server = await startServer([...SERVER, "--server-password-file", `${dir}/pw`]);
  const none = await login(server.port, { name: "bob" });
  assert.equal(none.reply.code, "SERVER_PASSWORD_REQUIRED");
  await none.client.close();
  const given = await login(server.port, { name: "bob", serverPassword: "letmein-please" });
  assert.equal(given.reply.type, "welcome");
  await given.client.close();
  await stop(server);
});

const CLIENT = [DENO, ...RUN, `${ROOT}client.ts`];

function chatClient(port: number, args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(DENO, {
    args: [...CLIENT.slice(1), "--port", String(port), ...args],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("chat-client registers a name one-shot, then logs in with its password from a file or CHAT_PASSWORD", async () => {
  const server = await startServer(SERVER);
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/pw`, "bots are people too\n");
  const registered = await chatClient(server.port, [
    "--name",
    "bot",
    "--password-file",
    `${dir}/pw`,
    "register",
  ]);
  assert.equal(registered.code, 0, text(registered.stderr));
  assert.match(text(registered.stdout), /Registered 'bot'/);
  const again = await chatClient(server.port, [
    "--name",
    "bot",
    "--password-file",
    `${dir}/pw`,
    "register",
  ]);
  assert.equal(again.code, 10);
  assert.match(
    text(again.stderr),
    /'bot' is registered already: log in with its password, without 'register'/,
  );
  const json = await chatClient(server.port, ["--name", "bot2", "--json", "register"], {
    CHAT_PASSWORD: "another long one",
  });
  assert.equal(json.code, 0, text(json.stderr));
  assert.deepEqual(JSON.parse(text(json.stdout)), { type: "registered", name: "bot2" });
  const withFile = await chatClient(server.port, [
    "--name",
    "bot",
    "--password-file",
    `${dir}/pw`,
    "users",
  ]);
  assert.equal(withFile.code, 0, text(withFile.stderr));
  const withEnv = await chatClient(server.port, ["--name", "bot", "users"], {
    CHAT_PASSWORD: "bots are people too",
  });
  assert.equal(withEnv.code, 0, text(withEnv.stderr));
  const none = await chatClient(server.port, ["--name", "bot", "users"]);
  assert.equal(none.code, 10, "a registered name without its password: the password is missing");
  assert.match(text(none.stderr), /NAME_REGISTERED/);
  const wrong = await chatClient(server.port, ["--name", "bot", "users"], {
    CHAT_PASSWORD: "not the password",
  });
  assert.equal(wrong.code, 10);
  assert.match(text(wrong.stderr), /BAD_PASSWORD/);
  for (const output of [registered, withFile, withEnv, none, wrong]) {
    assert.ok(
      !text(output.stdout).includes("people too") && !text(output.stderr).includes("people too"),
    );
  }
  await stop(server);
});

Deno.test("chat-client refuses a password file it cannot read, and register without a password", async () => {
  const missing = await chatClient(1, [
    "--name",
    "bot",
    "--password-file",
    "/nonexistent",
    "users",
  ]);
  assert.equal(missing.code, 2);
  assert.match(text(missing.stderr), /Cannot read the password from '\/nonexistent'/);
  const server = await startServer(SERVER);
  const bare = await chatClient(server.port, ["--name", "bot", "register"]);
  assert.equal(bare.code, 2);
  assert.match(text(bare.stderr), /--password-file FILE or set CHAT_PASSWORD/);
  await stop(server);
});
