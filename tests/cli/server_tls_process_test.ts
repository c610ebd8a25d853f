import assert from "node:assert/strict";
import { client, DENO, RUN, startServer, text } from "./_processes.ts";
import { testCerts } from "../net/_tls_certs.ts";

const { good, otherHost } = await testCerts();

Deno.test("server over TLS with files from chat-server cert serves a client given --ca", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-tls-" });
  const [cert, key] = [`${dir}/cert.pem`, `${dir}/key.pem`];
  const made = await client([DENO, ...RUN, "server.ts"], ["cert", "--cert", cert, "--key", key]);
  assert.equal(made.code, 0, text(made.stderr));
  const server = await startServer([
    DENO,
    ...RUN,
    "server.ts",
    "--tls-cert",
    cert,
    "--tls-key",
    key,
  ]);
  const fingerprint = /SHA-256 fingerprint: (\S+)/.exec(text(made.stdout))![1]!;
  assert.match(server.stderr.join(""), / tls udp /);
  const port = ["--port", String(server.port)];
  const ok = await client([DENO, ...RUN, "client.ts"], [
    ...port,
    "--ca",
    cert,
    "--name",
    "bot",
    "users",
  ]);
  assert.equal(ok.code, 0, text(ok.stderr));
  const plain = await client([DENO, ...RUN, "client.ts"], [...port, "--name", "bot", "users"]);
  assert.equal(plain.code, 9);
  assert.match(text(plain.stderr), /speaks TLS only/);
  server.child.kill("SIGTERM");
  await server.child.status;
  // The start log names the certificate by the fingerprint the cert command printed.
  assert.ok(server.stderr.join("").includes(fingerprint), server.stderr.join(""));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("server refuses to start with unusable TLS files: exit 4 with the code naming the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-tls-bad-" });
  const file = (name: string, content: string) => {
    Deno.writeTextFileSync(`${dir}/${name}`, content);
    return `${dir}/${name}`;
  };
  const cert = file("cert.pem", good.certPem);
  const key = file("key.pem", good.keyPem);
  const garbage = file("garbage.pem", "neither a certificate nor a key\n");
  const cases: [string, string, string][] = [
    [`${dir}/missing.pem`, key, "TLS_CERT_UNREADABLE"],
    [cert, `${dir}/missing.pem`, "TLS_KEY_UNREADABLE"],
    [garbage, key, "TLS_CERT_INVALID"],
    [cert, garbage, "TLS_KEY_INVALID"],
    [cert, file("other-key.pem", otherHost.keyPem), "TLS_KEY_MISMATCH"],
  ];
  const data = await Deno.makeTempDir({ prefix: "chat-data-" });
  for (const [certFile, keyFile, code] of cases) {
    const run = await client([DENO, ...RUN, "server.ts"], [
      ...["--port", "0", "--data", data, "--tls-cert", certFile, "--tls-key", keyFile],
    ]);
    const said = text(run.stderr);
    assert.equal(run.code, 4, said);
    assert.ok(said.includes(`(${code})`), `${code}: ${said}`);
    assert.ok(said.includes(code.includes("KEY") ? keyFile : certFile), said);
  }
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(data, { recursive: true });
});
