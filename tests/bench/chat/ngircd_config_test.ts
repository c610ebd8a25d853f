import assert from "node:assert/strict";
import { NGIRCD_TIMEOUT_S, ngircdConfig } from "../../../bench/chat/ngircd_config.ts";

Deno.test("ngircdConfig listens locally on the port, without lookups or flood limits", () => {
  const lines = ngircdConfig({ port: 16667, includeDir: "/tmp/empty" }).split("\n");
  for (
    const expected of [
      "Listen = 127.0.0.1",
      "Ports = 16667",
      "MaxConnectionsIP = 0",
      "MaxPenaltyTime = 0",
      "DNS = no",
      "Ident = no",
      "PAM = no",
      `PingTimeout = ${NGIRCD_TIMEOUT_S}`,
      "IncludeDir = /tmp/empty",
    ]
  ) {
    assert.deepEqual(lines.includes(expected), true, `missing '${expected}'`);
  }
});

Deno.test("ngircdConfig refuses a port outside 1 to 65535", () => {
  assert.throws(() => ngircdConfig({ port: 0, includeDir: "/tmp" }), RangeError);
  assert.throws(() => ngircdConfig({ port: 70000, includeDir: "/tmp" }), RangeError);
});
