import assert from "node:assert/strict";
import {
  insecureRefusal,
  isLoopback,
  loginPasswordRefusal,
  newPasswordRefusal,
  secretsEqual,
} from "../../lib/chat/password_rules.ts";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS } from "../../lib/chat/limits.ts";

Deno.test("isLoopback knows 127.0.0.0/8, ::1 and mapped 127 addresses only", () => {
  for (const address of ["127.0.0.1", "127.9.8.7", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"]) {
    assert.ok(isLoopback(address), address);
  }
  for (
    const address of ["128.0.0.1", "10.0.0.1", "::2", "::ffff:10.0.0.1", "fe80::1", "localhost"]
  ) {
    assert.ok(!isLoopback(address), address);
  }
});

Deno.test("insecureRefusal lets passwords through TLS, loopback or an allowing server only", () => {
  assert.equal(insecureRefusal({ secure: false, loopback: false }, false)?.code, "INSECURE_LOGIN");
  assert.equal(insecureRefusal({ secure: true, loopback: false }, false), null);
  assert.equal(insecureRefusal({ secure: false, loopback: true }, false), null);
  assert.equal(insecureRefusal({ secure: false, loopback: false }, true), null);
});

Deno.test("password refusals bound length in UTF-8 bytes, new ones from the minimum", () => {
  assert.equal(loginPasswordRefusal("x".repeat(MAX_PASSWORD_BYTES)), null);
  assert.equal(loginPasswordRefusal("x".repeat(MAX_PASSWORD_BYTES + 1))?.code, "PASSWORD_INVALID");
  assert.equal(loginPasswordRefusal("€".repeat(342))?.code, "PASSWORD_INVALID", "1,026 bytes");
  assert.equal(loginPasswordRefusal("")?.code, "PASSWORD_INVALID");
  assert.equal(newPasswordRefusal("x".repeat(MIN_PASSWORD_CHARS - 1))?.code, "PASSWORD_INVALID");
  assert.equal(newPasswordRefusal("x".repeat(MIN_PASSWORD_CHARS)), null);
});

Deno.test("secretsEqual compares whole secrets", () => {
  assert.ok(secretsEqual("letmein", "letmein"));
  assert.ok(!secretsEqual("letmein", "letmeim"));
  assert.ok(!secretsEqual("letmein", "letmein2"));
  assert.ok(!secretsEqual("", "x"));
  assert.ok(secretsEqual("", ""));
});
