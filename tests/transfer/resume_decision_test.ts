import assert from "node:assert/strict";
import { prefixToCheck, resumeOffset, resumeRequest } from "../../lib/transfer/resume_decision.ts";

const PREFIX = "ab".repeat(32);
const OTHER = "cd".repeat(32);

Deno.test("resumeRequest asks from 0 with no .part, or an empty one, and sends no hash", () => {
  assert.deepEqual(resumeRequest("a.bin", null), { type: "get", name: "a.bin", offset: 0 });
  assert.deepEqual(resumeRequest("a.bin", { size: 0, sha256: PREFIX }), {
    type: "get",
    name: "a.bin",
    offset: 0,
  });
});

Deno.test("resumeRequest asks from the end of the .part with the SHA-256 of what it holds", () => {
  assert.deepEqual(resumeRequest("a.bin", { size: 1000, sha256: PREFIX }), {
    type: "get",
    name: "a.bin",
    offset: 1000,
    prefixSha256: PREFIX,
  });
});

Deno.test("prefixToCheck hashes the bytes the client claims to have, when the file has them", () => {
  assert.equal(prefixToCheck({ offset: 1000, prefixSha256: PREFIX }, 5000), 1000);
  assert.equal(prefixToCheck({ offset: 5000, prefixSha256: PREFIX }, 5000), 5000);
});

Deno.test("prefixToCheck hashes nothing for a fresh get, no hash, or a prefix past the file", () => {
  assert.equal(prefixToCheck({ offset: 0 }, 5000), null);
  assert.equal(prefixToCheck({ offset: 0, prefixSha256: PREFIX }, 5000), null);
  assert.equal(prefixToCheck({ offset: 1000 }, 5000), null);
  assert.equal(prefixToCheck({ offset: 5001, prefixSha256: PREFIX }, 5000), null);
});

Deno.test("resumeOffset resumes at the client's offset only when the prefix hash matches", () => {
  const ask = { offset: 1000, prefixSha256: PREFIX };
  assert.equal(resumeOffset(ask, PREFIX), 1000);
  assert.equal(resumeOffset(ask, PREFIX.toUpperCase()), 1000, "hex case does not matter");
  assert.equal(resumeOffset(ask, OTHER), 0, "another file's prefix starts from 0");
  assert.equal(resumeOffset(ask, null), 0, "nothing hashed starts from 0");
  assert.equal(resumeOffset({ offset: 1000 }, PREFIX), 0, "no hash sent starts from 0");
});
