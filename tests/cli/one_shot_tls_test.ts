import assert from "node:assert/strict";
import { Hub } from "../../lib/chat/hub.ts";
import type { ClientConfig } from "../../lib/cli/client_config.ts";
import { EXIT } from "../../lib/cli/exit_codes.ts";
import { runScripted } from "../../lib/cli/one_shot.ts";
import { HubServer } from "../../lib/net/hub_server.ts";
import { keyPair, testCerts } from "../net/_tls_certs.ts";
import { testConfig } from "./_chat_screen.ts";

const { good, otherHost } = await testCerts();

async function users(config: ClientConfig) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runScripted(config, { kind: "users" }, {
    printer: { print: (...l) => out.push(...l), error: (l) => err.push(l) },
    interrupted: new Promise(() => {}),
  });
  return { code, out, err: err.join("\n") };
}

Deno.test("one-shot over TLS with --ca works, and each TLS refusal exits 9 saying which", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "chat-tls-" });
  const ca = `${dir}/ca.pem`;
  const wrongCa = `${dir}/other.pem`;
  Deno.writeTextFileSync(ca, good.certPem);
  Deno.writeTextFileSync(wrongCa, otherHost.certPem);
  Deno.writeTextFileSync(`${dir}/empty.pem`, "not a certificate\n");
  const secure = new HubServer(new Hub(), { port: 0, tls: keyPair(good) });
  const plain = new HubServer(new Hub(), { port: 0 });
  const over = (server: HubServer, tls: { ca: string } | null): ClientConfig => ({
    ...testConfig(server.port, "bot"),
    tls,
  });
  assert.equal((await users(over(secure, { ca }))).code, EXIT.OK);
  const cases: [ClientConfig, RegExp][] = [
    [over(secure, null), /speaks TLS only/],
    [over(secure, { ca: wrongCa }), /not trusted/],
    [over(plain, { ca }), /does not speak TLS/],
    [over(secure, { ca: `${dir}/missing.pem` }), /Cannot read the CA file/],
    [over(secure, { ca: `${dir}/empty.pem` }), /holds no PEM certificate/],
  ];
  for (const [config, words] of cases) {
    const { code, err } = await users(config);
    assert.equal(code, EXIT.TLS_FAILED, err);
    assert.match(err, words);
  }
  await Promise.all([secure.shutdown(), plain.shutdown()]);
  Deno.removeSync(dir, { recursive: true });
});
