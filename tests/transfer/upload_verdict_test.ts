import assert from "node:assert/strict";
import { type UploadEnding, uploadVerdict } from "../../lib/transfer/upload_verdict.ts";

const OFFERED = "ab".repeat(32);

function ending(overrides: Partial<UploadEnding> = {}): UploadEnding {
  return {
    received: true,
    why: "",
    writeError: null,
    finishError: null,
    digest: OFFERED,
    expectedSha256: OFFERED,
    ...overrides,
  };
}

Deno.test("uploadVerdict stores an upload received in full whose SHA-256 is the one offered", () => {
  assert.deepEqual(uploadVerdict(ending()), { store: true });
  assert.deepEqual(uploadVerdict(ending({ expectedSha256: OFFERED.toUpperCase() })), {
    store: true,
  });
});

Deno.test("uploadVerdict discards an upload whose bytes do not hash to the SHA-256 offered", () => {
  assert.deepEqual(uploadVerdict(ending({ digest: "cd".repeat(32) })), {
    store: false,
    message: "Upload does not match its SHA-256",
  });
  assert.deepEqual(uploadVerdict(ending({ digest: null })).store, false, "nothing hashed");
});

Deno.test("uploadVerdict discards an incomplete upload, saying why it ended", () => {
  assert.deepEqual(uploadVerdict(ending({ received: false, digest: null })), {
    store: false,
    message: "Upload did not complete",
  });
  assert.deepEqual(uploadVerdict(ending({ received: false, why: "Peer unreachable" })), {
    store: false,
    message: "Peer unreachable",
  });
});

Deno.test("uploadVerdict reports a write or final-write error before anything else", () => {
  const full = "No space left on device (os error 28)";
  assert.deepEqual(uploadVerdict(ending({ received: false, why: "Cancelled", writeError: full })), {
    store: false,
    message: `The server cannot write the file: ${full}`,
  });
  assert.deepEqual(uploadVerdict(ending({ finishError: full, digest: null })), {
    store: false,
    message: `The server cannot write the file: ${full}`,
  });
});
