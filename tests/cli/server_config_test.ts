import assert from "node:assert/strict";
import {
  parseServerArgs,
  plaintextWarning,
  SERVER_USAGE,
  type ServerConfig,
  transferLimits,
} from "../../lib/cli/server_config.ts";
import { MAX_OPEN_FILES, MAX_TRANSFERS } from "../../lib/transfer/grant_ledger.ts";
import { UsageError } from "../../lib/cli/settings.ts";

const noEnv = () => undefined;

function run(args: string[], env: Record<string, string> = {}): ServerConfig {
  const command = parseServerArgs(args, (name) => env[name]);
  assert.equal(command.kind, "run");
  return (command as { config: ServerConfig }).config;
}

Deno.test("server config defaults to 127.0.0.1:50000 sharing ./files with a rate limit", () => {
  const config = run([]);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.port, 50000);
  assert.equal(config.udpPort, 50000);
  assert.equal(config.files, "./files");
  assert.deepEqual(config.rate, { perSecond: 20, burst: 40 });
  assert.equal(config.log, "text");
  assert.equal(config.maxUploadBytes, 1024 ** 3);
});

Deno.test("server config reads CHAT_* variables and lets flags win over them", () => {
  const env = { CHAT_HOST: "0.0.0.0", CHAT_PORT: "6000", CHAT_FILES: "/srv", CHAT_LOG: "json" };
  const fromEnv = run([], env);
  assert.deepEqual([fromEnv.host, fromEnv.port, fromEnv.files, fromEnv.log], [
    "0.0.0.0",
    6000,
    "/srv",
    "json",
  ]);
  const flagged = run(["--port", "7000", "--log", "text"], env);
  assert.deepEqual([flagged.port, flagged.udpPort, flagged.log], [7000, 7000, "text"]);
});

Deno.test("server config --rate 0 turns the rate limit off, other rates burst twice", () => {
  assert.equal(run(["--rate", "0"]).rate, null);
  assert.deepEqual(run(["--rate", "5"]).rate, { perSecond: 5, burst: 10 });
});

Deno.test("server config refuses bad values with a message naming the setting", () => {
  const cases: Array<[string[], RegExp]> = [
    [["--port", "70000"], /Invalid port '70000'/],
    [["--port", "12ab"], /Invalid port/],
    [["--max-clients", "0"], /Invalid max clients/],
    [["--max-per-address", "0"], /Invalid max per address '0'/],
    [["--log", "xml"], /Invalid log format 'xml': expected text or json/],
    [["--mtu", "500"], /Invalid MTU/],
    [["--max-transfers", "0"], /Invalid max transfers '0'/],
    [["--bogus"], /bogus/],
    [["extra"], /extra/],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => parseServerArgs(args, noEnv),
      (e) => e instanceof UsageError && message.test(e.message),
      args.join(" "),
    );
  }
});

Deno.test("server config limits connections per address to 16 by default, loopback included", () => {
  assert.equal(run([]).maxPerAddress, 16);
  assert.equal(run([], { CHAT_MAX_PER_ADDRESS: "40" }).maxPerAddress, 40);
  assert.equal(run(["--max-per-address", "3"], { CHAT_MAX_PER_ADDRESS: "40" }).maxPerAddress, 3);
  assert.match(SERVER_USAGE, /--max-per-address N .*\n.*\(CHAT_MAX_PER_ADDRESS, default 16\)/);
});

Deno.test("server config answers --help and --version", () => {
  assert.deepEqual(parseServerArgs(["--help"], noEnv), { kind: "help" });
  assert.deepEqual(parseServerArgs(["-V"], noEnv), { kind: "version" });
});

Deno.test("server config --max-transfers sets the server-wide transfers and the files they hold", () => {
  assert.equal(run([]).maxTransfers, MAX_TRANSFERS);
  assert.equal(run([], { CHAT_MAX_TRANSFERS: "500" }).maxTransfers, 500);
  assert.equal(run(["--max-transfers", "1000"], { CHAT_MAX_TRANSFERS: "500" }).maxTransfers, 1000);
  assert.deepEqual(transferLimits(MAX_TRANSFERS), {
    transfers: MAX_TRANSFERS,
    openFiles: MAX_OPEN_FILES,
  });
  assert.deepEqual(transferLimits(1000), { transfers: 1000, openFiles: 1064 });
  assert.match(SERVER_USAGE, /--max-transfers N .*CHAT_MAX_TRANSFERS/s);
});

Deno.test("server config takes flags after the `--` that `deno task server -- ...` passes on", () => {
  assert.equal(run(["--", "--port", "7070"]).port, 7070);
  assert.throws(() => run(["--port", "7070", "--", "stray"]), UsageError);
});

Deno.test("server config has no IRC port unless --irc-port or CHAT_IRC_PORT gives one", () => {
  assert.equal(run([]).ircPort, null);
  assert.equal(run([], { CHAT_IRC_PORT: "6667" }).ircPort, 6667);
  assert.equal(run(["--irc-port", "0"], { CHAT_IRC_PORT: "6667" }).ircPort, 0);
  assert.throws(() => run(["--irc-port", "65536"]), /Invalid IRC port '65536'/);
  assert.match(SERVER_USAGE, /--irc-port PORT .*CHAT_IRC_PORT/);
});

Deno.test("server config reads the history flags and variables, with ./data and replay 50 by default", () => {
  const defaults = run([]);
  assert.deepEqual(
    [defaults.data, defaults.historyDays, defaults.historyMax, defaults.replay],
    ["./data", null, null, 50],
  );
  const env = { CHAT_DATA: "/var/chat", CHAT_HISTORY_DAYS: "30", CHAT_REPLAY: "10" };
  const config = run(["--history-max", "1000", "--replay", "0"], env);
  assert.deepEqual(
    [config.data, config.historyDays, config.historyMax, config.replay],
    ["/var/chat", 30, 1000, 0],
  );
});

Deno.test("server config turns history off with --history off or CHAT_HISTORY=off, on by default", () => {
  assert.equal(run([]).history, true);
  assert.equal(run(["--history", "off"]).history, false);
  assert.equal(run([], { CHAT_HISTORY: "off" }).history, false);
  assert.equal(run(["--history", "on"], { CHAT_HISTORY: "off" }).history, true);
  assert.throws(() => run(["--history", "no"]), /Invalid history 'no': expected on or off/);
});

Deno.test("server config refuses a replay over MAX_HISTORY_LIMIT and a history-days of 0", () => {
  assert.throws(() => run(["--replay", "501"]), UsageError);
  assert.throws(() => run(["--history-days", "0"]), UsageError);
  assert.throws(() => run(["--history-max", "-1"]), UsageError);
});

Deno.test("server config takes --tls-cert and --tls-key together (or CHAT_TLS_*), --irc-tls-port with them", () => {
  assert.equal(run([]).tls, null);
  const tls = run(["--tls-cert", "c.pem", "--tls-key", "k.pem", "--irc-tls-port", "6697"]);
  assert.deepEqual([tls.tls, tls.ircTlsPort], [{ cert: "c.pem", key: "k.pem" }, 6697]);
  const env = run([], { CHAT_TLS_CERT: "ec.pem", CHAT_TLS_KEY: "ek.pem", CHAT_IRC_TLS_PORT: "0" });
  assert.deepEqual([env.tls, env.ircTlsPort], [{ cert: "ec.pem", key: "ek.pem" }, 0]);
  assert.throws(
    () => run(["--tls-cert", "c.pem"]),
    (e) => e instanceof UsageError && /go together/.test(e.message),
  );
  assert.throws(
    () => run(["--tls-key", "k.pem"]),
    (e) => e instanceof UsageError && /go together/.test(e.message),
  );
  assert.throws(
    () => run(["--irc-tls-port", "6697"]),
    (e) => e instanceof UsageError && /needs --tls-cert/.test(e.message),
  );
  assert.equal(parseServerArgs(["cert", "--dns", "x"], noEnv).kind, "cert");
  // `deno task cert -- --help`: the task's separator comes after the command's name.
  assert.deepEqual(parseServerArgs(["cert", "--", "--help"], noEnv), {
    kind: "cert",
    args: ["--help"],
  });
  assert.deepEqual(parseServerArgs(["accounts", "--", "list"], noEnv), {
    kind: "accounts",
    command: { action: "list", data: "./data" },
  });
});

Deno.test("server config warns of plaintext off loopback only: no TLS, or a plaintext IRC port", () => {
  const tls = { cert: "c.pem", key: "k.pem" };
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) {
    assert.equal(plaintextWarning({ host, tls: null, ircPort: 6667 }), null, host);
  }
  assert.match(plaintextWarning({ host: "0.0.0.0", tls: null, ircPort: null })!, /without TLS/);
  assert.match(plaintextWarning({ host: "192.168.1.10", tls, ircPort: 6667 })!, /IRC port/);
  assert.equal(plaintextWarning({ host: "::", tls, ircPort: null }), null);
});

Deno.test("server config takes a server password from its flag, variable or file, never both", () => {
  assert.equal(run([]).serverPassword, null);
  assert.equal(run([]).allowInsecureLogin, false);
  assert.equal(run(["--server-password", "pw-one"]).serverPassword, "pw-one");
  assert.equal(run([], { CHAT_SERVER_PASSWORD: "pw-two" }).serverPassword, "pw-two");
  const fromFile = run(["--server-password-file", "/run/pw"]);
  assert.equal(fromFile.serverPassword, null);
  assert.equal(fromFile.serverPasswordFile, "/run/pw");
  assert.throws(
    () => run(["--server-password", "a", "--server-password-file", "/run/pw"]),
    UsageError,
  );
  assert.throws(() => run(["--server-password", ""]), UsageError);
  assert.equal(run(["--allow-insecure-login"]).allowInsecureLogin, true);
});

Deno.test("server config parses 'accounts list' and 'accounts remove NAME' with --data", () => {
  assert.deepEqual(parseServerArgs(["accounts", "list"], noEnv), {
    kind: "accounts",
    command: { action: "list", data: "./data" },
  });
  assert.deepEqual(
    parseServerArgs(["accounts", "remove", "ann", "--data", "/srv"], noEnv),
    { kind: "accounts", command: { action: "remove", data: "/srv", name: "ann" } },
  );
  assert.throws(() => parseServerArgs(["accounts", "remove"], noEnv), UsageError);
  assert.throws(() => parseServerArgs(["accounts", "drop", "ann"], noEnv), UsageError);
});
