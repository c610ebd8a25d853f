import assert from "node:assert/strict";
import { ERROR_CODES, isErrorCode, isFatal, protocolError } from "../../lib/chat/errors.ts";

const FATAL = [
  "TOO_MANY_ERRORS",
  "LOGIN_TIMEOUT",
  "IDLE_TIMEOUT",
  "SLOW_CONSUMER",
  "SERVER_FULL",
  "TOO_MANY_CONNECTIONS",
  "SHUTTING_DOWN",
];

const DOCUMENTED = [
  "LINE_TOO_LONG",
  "INVALID_UTF8",
  "MALFORMED_JSON",
  "BAD_REQUEST",
  "UNKNOWN_COMMAND",
  "TEXT_INVALID",
  "PROTOCOL_VERSION",
  "NAME_INVALID",
  "NAME_RESERVED",
  "NAME_TAKEN",
  "ALREADY_LOGGED_IN",
  "NOT_LOGGED_IN",
  "NO_SUCH_USER",
  "RATE_LIMITED",
  ...FATAL,
];

Deno.test("ERROR_CODES holds every code of the protocol", () => {
  for (const code of DOCUMENTED) assert.ok(isErrorCode(code), code);
});

Deno.test("isFatal is true exactly for the codes that close the connection", () => {
  for (const code of Object.keys(ERROR_CODES)) {
    assert.ok(isErrorCode(code));
    assert.equal(isFatal(code), FATAL.includes(code), code);
  }
});

Deno.test("isErrorCode refuses unknown codes, inherited names and non-strings", () => {
  const values = ["", "OK", "name_taken", "toString", "__proto__", "constructor", 1, null, {}];
  for (const value of values) assert.equal(isErrorCode(value), false, String(value));
});

Deno.test("protocolError builds a code and message and nothing else", () => {
  assert.deepEqual(protocolError("NAME_TAKEN", "Name 'ann' is taken"), {
    code: "NAME_TAKEN",
    message: "Name 'ann' is taken",
  });
});
