import assert from "node:assert/strict";
import { KEY_FILE_MODE, parseCertArgs, runCert } from "../../lib/cli/cert_command.ts";
import { UsageError } from "../../lib/cli/settings.ts";
import { fingerprintOf, notAfterOf } from "../../lib/net/tls_certificate.ts";
import { client, DENO, RUN, text } from "./_processes.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

Deno.test("cert command parses names, addresses and days, with localhost by default", () => {
  const defaults = parseCertArgs([]);
  assert.ok(defaults !== "help");
  assert.deepEqual([defaults.dnsNames, defaults.ipAddresses], [["localhost"], [
    "127.0.0.1",
    "::1",
  ]]);
  assert.equal(defaults.days, 365);
  const asked = parseCertArgs(["--dns", "chat.lan", "--ip", "192.168.1.10", "--ip", "fe80::1"]);
  assert.ok(asked !== "help");
  assert.deepEqual([asked.dnsNames, asked.ipAddresses], [["chat.lan"], [
    "192.168.1.10",
    "fe80::1",
  ]]);
  assert.equal(parseCertArgs(["--help"]), "help");
});

Deno.test("cert command refuses bad names, addresses and validity with a usage error", () => {
  for (
    const args of [
      ["--dns", "not a name"],
      ["--dns", "-x.lan"],
      ["--ip", "300.1.1.1"],
      ["--ip", "1::2::3"],
      ["--days", "0"],
      ["--days", "4000"],
      ["--bogus"],
    ]
  ) {
    assert.throws(() => parseCertArgs(args), UsageError, args.join(" "));
  }
});

Deno.test("cert command writes a key (mode 0600) and a certificate for what was asked, with its fingerprint", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-cert-" });
  const options = {
    dnsNames: ["chat.lan"],
    ipAddresses: ["192.168.1.10"],
    days: 7,
    certFile: `${dir}/cert.pem`,
    keyFile: `${dir}/key.pem`,
    force: false,
  };
  const now = new Date();
  const lines = await runCert(now, options);
  const certPem = await Deno.readTextFile(options.certFile);
  assert.equal((await Deno.stat(options.keyFile)).mode! & 0o777, KEY_FILE_MODE);
  const fingerprint = await fingerprintOf(certPem);
  assert.ok(lines.includes(`SHA-256 fingerprint: ${fingerprint}`), lines.join("\n"));
  const days = ((await notAfterOf(certPem)).getTime() - now.getTime()) / DAY_MS;
  assert.ok(Math.abs(days - 7) < 1 / 24, `${days} days`);
  // Refuses to replace files unless --force, and --force keeps the key private.
  await assert.rejects(runCert(now, options), Deno.errors.AlreadyExists);
  await Deno.chmod(options.keyFile, 0o644);
  await runCert(now, { ...options, force: true });
  assert.equal((await Deno.stat(options.keyFile)).mode! & 0o777, KEY_FILE_MODE);
  assert.notEqual(await Deno.readTextFile(options.certFile), certPem);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("chat-server cert makes what openssl reads as a server certificate for the names asked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-cert-" });
  const run = await client([DENO, ...RUN, "server.ts"], [
    ...["cert", "--dns", "chat.lan", "--ip", "10.1.2.3", "--days", "30"],
    ...["--cert", `${dir}/c.pem`, "--key", `${dir}/k.pem`],
  ]);
  assert.equal(run.code, 0, text(run.stderr));
  const printed = /SHA-256 fingerprint: ([0-9A-F:]{95})/.exec(text(run.stdout));
  assert.ok(printed, text(run.stdout));
  const openssl = await opensslText([
    "x509",
    "-in",
    `${dir}/c.pem`,
    "-noout",
    "-text",
    "-fingerprint",
    "-sha256",
  ]);
  if (openssl !== null) {
    assert.match(openssl, /DNS:chat\.lan, IP Address:10\.1\.2\.3/);
    assert.match(openssl, /TLS Web Server Authentication/);
    assert.match(openssl, /CA:FALSE/);
    assert.ok(openssl.includes(printed[1]!), openssl);
    const key = await opensslText(["pkey", "-in", `${dir}/k.pem`, "-noout", "-text"]);
    assert.match(key ?? "", /P-256|prime256v1/);
  }
  await Deno.remove(dir, { recursive: true });
});

/** What openssl prints, or `null` when the machine has no openssl. */
async function opensslText(args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command("openssl", { args, stdout: "piped", stderr: "piped" })
      .output();
    assert.equal(out.code, 0, text(out.stderr));
    return text(out.stdout);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
