import assert from "node:assert/strict";
import { plaintextRefusal } from "../../lib/cli/connect.ts";
import type { ClientConfig } from "../../lib/cli/client_config.ts";

const base: ClientConfig = {
  host: "192.0.2.7",
  port: 50000,
  name: "ann",
  downloads: "d",
  overwrite: false,
  json: false,
  mtu: undefined,
};

Deno.test("plaintextRefusal keeps passwords off plaintext connections to other hosts", () => {
  assert.equal(plaintextRefusal({ ...base, password: "pw" }, false)?.code, "INSECURE_LOGIN");
  assert.equal(plaintextRefusal({ ...base, serverPassword: "pw" }, true)?.code, "INSECURE_LOGIN");
  assert.doesNotMatch(
    plaintextRefusal({ ...base, password: "secret-pw" }, false)!.message,
    /secret/,
  );
});

Deno.test("plaintextRefusal lets passwords go over TLS, to loopback, when allowed, or not at all", () => {
  const password = { password: "pw" };
  assert.equal(plaintextRefusal({ ...base, ...password, tls: { ca: null } }, false), null);
  assert.equal(plaintextRefusal({ ...base, ...password, allowInsecureLogin: true }, false), null);
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
    assert.equal(plaintextRefusal({ ...base, ...password, host }, false), null, host);
  }
  assert.equal(plaintextRefusal(base, false), null, "no password, nothing to keep");
  assert.equal(plaintextRefusal({ ...base, ...password }, true), null, "a guest sends none");
});
