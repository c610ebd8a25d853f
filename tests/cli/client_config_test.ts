import assert from "node:assert/strict";
import {
  type ClientCommand,
  type ClientConfig,
  parseClientArgs,
} from "../../lib/cli/client_config.ts";
import { UsageError } from "../../lib/cli/settings.ts";

const noEnv = () => undefined;

function run(args: string[], env: Record<string, string> = {}) {
  const command = parseClientArgs(args, (name) => env[name]);
  assert.equal(command.kind, "run");
  return command as ClientCommand & { kind: "run" };
}

Deno.test("client config parses each one-shot command with its arguments", () => {
  assert.deepEqual(run(["users"]).command, { kind: "users" });
  assert.deepEqual(run(["say", "hello there"]).command, { kind: "say", text: "hello there" });
  assert.deepEqual(run(["msg", "bob", "hi"]).command, { kind: "msg", to: "bob", text: "hi" });
  assert.deepEqual(run(["get", "a.txt", "--out", "/tmp/x"]).command, {
    kind: "get",
    name: "a.txt",
  });
  assert.equal(run(["get", "a.txt", "--out", "/tmp/x"]).config.downloads, "/tmp/x");
  assert.deepEqual(run(["put", "./f"]).command, { kind: "put", path: "./f" });
  assert.equal(run([]).command, null);
});

Deno.test("client config takes its name and server from CHAT_* unless flags say otherwise", () => {
  const env = { CHAT_NAME: "envname", CHAT_HOST: "10.0.0.1", CHAT_PORT: "4000" };
  const fromEnv = run(["users"], env).config;
  assert.deepEqual([fromEnv.name, fromEnv.host, fromEnv.port], ["envname", "10.0.0.1", 4000]);
  const flagged = run(["--name", "flag", "--port", "5000", "users"], env).config;
  assert.deepEqual([flagged.name, flagged.port], ["flag", 5000]);
  assert.equal(run([]).config.name, undefined);
});

Deno.test("client config refuses unknown commands and wrong argument counts", () => {
  const cases: Array<[string[], RegExp]> = [
    [["dance"], /Unknown command 'dance'/],
    [["msg", "bob"], /'msg' takes 2 arguments, got 1/],
    [["users", "extra"], /'users' takes 0 arguments, got 1/],
    [["--port", "-1", "users"], /port/],
    [["--mtu", "100", "users"], /Invalid MTU/],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => parseClientArgs(args, noEnv),
      (e) => e instanceof UsageError && message.test(e.message),
      args.join(" "),
    );
  }
});

Deno.test("client config takes --room as often as given, # optional, say going to the first", () => {
  const parsed = run(["--room", "dev", "--room", "#Ops", "say", "hi"]);
  assert.deepEqual(parsed.config.rooms, ["#dev", "#Ops"]);
  assert.deepEqual(parsed.command, { kind: "say", text: "hi", room: "#dev" });
  assert.deepEqual(run(["say", "hi"]).command, { kind: "say", text: "hi" }, "no room: #lobby");
  assert.deepEqual(run(["rooms"]).command, { kind: "rooms" });
});

Deno.test("client config refuses a --room that breaks the room rules", () => {
  for (const room of ["a b", `#${"x".repeat(33)}`, "#", "##"]) {
    assert.throws(() => parseClientArgs(["--room", room, "listen"], noEnv), UsageError, room);
  }
});

Deno.test("client config takes flags after the `--` that `deno task client -- ...` passes on", () => {
  const parsed = run(["--", "--port", "7070", "--name", "ann", "say", "hi"]);
  assert.equal(parsed.config.port, 7070);
  assert.deepEqual(parsed.command, { kind: "say", text: "hi" });
  // Later, `--` still ends the flags: a text may then start with a dash.
  assert.deepEqual(run(["say", "--", "-- not a flag"]).command, {
    kind: "say",
    text: "-- not a flag",
  });
});

Deno.test("client config speaks TLS with --tls or --ca (also CHAT_CA), plaintext otherwise", () => {
  assert.equal(run(["users"]).config.tls, null);
  assert.deepEqual(run(["--tls", "users"]).config.tls, { ca: null });
  assert.deepEqual(run(["--ca", "hub.pem", "users"]).config.tls, { ca: "hub.pem" });
  assert.deepEqual(run(["users"], { CHAT_CA: "env.pem" }).config.tls, { ca: "env.pem" });
  assert.deepEqual(run(["--ca", "flag.pem", "users"], { CHAT_CA: "env.pem" }).config.tls, {
    ca: "flag.pem",
  });
});

Deno.test("client config takes passwords from files or variables, never from a plain flag", () => {
  const parse = (args: string[], env: Record<string, string> = {}) => {
    const command = parseClientArgs(args, (name) => env[name]);
    assert.equal(command.kind, "run");
    return (command as { config: ClientConfig }).config;
  };
  assert.equal(parse([], { CHAT_PASSWORD: "pw" }).password, "pw");
  assert.equal(parse([], { CHAT_SERVER_PASSWORD: "hub" }).serverPassword, "hub");
  const files = parse(["--password-file", "a", "--server-password-file", "b"], {
    CHAT_PASSWORD: "ignored",
  });
  assert.deepEqual([files.passwordFile, files.password, files.serverPasswordFile], [
    "a",
    undefined,
    "b",
  ]);
  assert.throws(() => parse(["--password", "pw"]), UsageError);
  assert.equal(parse(["--allow-insecure-login"]).allowInsecureLogin, true);
  const register = parseClientArgs(["--name", "bot", "register"], () => undefined);
  assert.equal(register.kind === "run" && register.command?.kind, "register");
});

Deno.test("client config refuses port 0 to connect to, and names CHAT_PORT when it gave the port", () => {
  assert.throws(() => parseClientArgs(["--port", "0", "users"], noEnv), UsageError, "from 1 to");
  assert.throws(
    () =>
      parseClientArgs(["users"], (name) => ({ CHAT_PORT: "abc" } as Record<string, string>)[name]),
    (error: Error) => error instanceof UsageError && /port \(CHAT_PORT\) 'abc'/.test(error.message),
  );
  assert.throws(
    () =>
      parseClientArgs(
        ["--port", "abc", "users"],
        (name) => ({ CHAT_PORT: "7" } as Record<string, string>)[name],
      ),
    (error: Error) => error instanceof UsageError && /Invalid port 'abc'/.test(error.message),
  );
});
