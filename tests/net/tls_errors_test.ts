import assert from "node:assert/strict";
import { classifyTlsError, looksLikeTls, tlsStartError } from "../../lib/net/tls_errors.ts";

Deno.test("looksLikeTls knows a TLS record header, and never throws on short or other bytes", () => {
  assert.equal(looksLikeTls(new Uint8Array([21, 3, 3, 0, 2, 2, 50])), true); // an alert
  assert.equal(looksLikeTls(new Uint8Array([22, 3, 1])), true); // a handshake
  assert.equal(looksLikeTls(new TextEncoder().encode('{"type":"hello"}\n')), false);
  assert.equal(looksLikeTls(new Uint8Array([21, 3])), false);
  assert.equal(looksLikeTls(new Uint8Array([])), false);
  assert.equal(looksLikeTls(new Uint8Array([24, 3, 3])), false);
  assert.equal(looksLikeTls(new Uint8Array([21, 2, 0])), false);
});

Deno.test("classifyTlsError says which refusal a handshake error is, and retries only the rest", () => {
  const cases: [string, string, boolean][] = [
    ["invalid peer certificate: Expired", "CERT_EXPIRED", true],
    ["invalid peer certificate: NotValidForName", "CERT_WRONG_HOST", true],
    ["invalid peer certificate: UnknownIssuer", "CERT_UNKNOWN", true],
    ["received corrupt message of type InvalidContentType", "TLS_NOT_SPOKEN", true],
    ["received fatal alert: HandshakeFailure", "TLS_FAILED", true],
    ["Connection reset by peer (os error 104)", "CONNECT_FAILED", false],
  ];
  for (const [message, code, permanent] of cases) {
    const failure = classifyTlsError(new Error(message));
    assert.deepEqual([failure.code, failure.permanent], [code, permanent], message);
  }
});

Deno.test("tlsStartError names the file at fault, and leaves other listen errors alone", () => {
  const files = { cert: "c.pem", key: "k.pem" };
  assert.equal(
    tlsStartError(new Error("keys may not be consistent: KeyMismatch"), files)?.code,
    "TLS_KEY_MISMATCH",
  );
  assert.equal(
    tlsStartError(new Error("No certificates found in cert file"), files)?.code,
    "TLS_CERT_INVALID",
  );
  assert.equal(
    tlsStartError(new Error("No keys found in key file"), files)?.code,
    "TLS_KEY_INVALID",
  );
  assert.equal(tlsStartError(new Error("Address already in use (os error 98)"), files), null);
});
