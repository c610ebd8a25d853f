import assert from "node:assert/strict";
import {
  INSPIRCD_COMMAND_RATE,
  INSPIRCD_PENALTY_THRESHOLD,
  inspircdConfig,
} from "../../../bench/chat/inspircd_config.ts";

Deno.test("inspircdConfig listens locally on the port, without lookups or flood limits", () => {
  const text = inspircdConfig({ port: 16668, dir: "/tmp/insp" });
  for (
    const expected of [
      '<bind address="127.0.0.1" port="16668" type="clients">',
      'allow="127.0.0.1"',
      `threshold="${INSPIRCD_PENALTY_THRESHOLD}"`,
      `commandrate="${INSPIRCD_COMMAND_RATE}"`,
      'fakelag="no"',
      'resolvehostnames="no"',
      'localmax="100000"',
      '<files motd="/tmp/insp/motd">',
      '<pid file="/tmp/insp/inspircd.pid">',
    ]
  ) {
    assert.ok(text.includes(expected), `missing '${expected}'`);
  }
});

Deno.test("inspircdConfig refuses a port outside 1 to 65535", () => {
  assert.throws(() => inspircdConfig({ port: 0, dir: "/tmp" }), RangeError);
  assert.throws(() => inspircdConfig({ port: 70000, dir: "/tmp" }), RangeError);
});
