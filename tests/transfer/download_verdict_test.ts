import assert from "node:assert/strict";
import { type DownloadEnding, downloadVerdict } from "../../lib/transfer/download_verdict.ts";

const PROMISED = "ab".repeat(32);

function ending(overrides: Partial<DownloadEnding> = {}): DownloadEnding {
  return {
    stopped: null,
    completed: true,
    failure: null,
    digest: PROMISED,
    expectedSha256: PROMISED,
    targetExists: false,
    name: "movie.bin",
    path: "downloads/movie.bin",
    part: "downloads/movie.bin.part",
    ...overrides,
  };
}

Deno.test("downloadVerdict renames a complete download whose SHA-256 is the grant's", () => {
  assert.deepEqual(downloadVerdict(ending()), { action: "rename" });
});

Deno.test("downloadVerdict discards a complete download whose SHA-256 is not the grant's", () => {
  assert.deepEqual(downloadVerdict(ending({ digest: "cd".repeat(32) })), {
    action: "discard",
    error: {
      code: "TRANSFER_FAILED",
      message: "'movie.bin' does not match the server's SHA-256; the partial file was removed",
    },
  });
  assert.equal(downloadVerdict(ending({ digest: null })).action, "discard", "nothing hashed");
});

Deno.test("downloadVerdict keeps a verified download when its name was taken meanwhile", () => {
  const verdict = downloadVerdict(ending({ targetExists: true }));
  assert.deepEqual(verdict, {
    action: "keep",
    error: {
      code: "FILE_EXISTS",
      message: "'downloads/movie.bin' appeared meanwhile; the download is kept as " +
        "downloads/movie.bin.part",
    },
  });
  const wrong = downloadVerdict(ending({ targetExists: true, digest: "cd".repeat(32) }));
  assert.equal(wrong.action, "discard", "a wrong file is never kept, name taken or not");
});

Deno.test("downloadVerdict keeps an incomplete download for a resume, saying why it stopped", () => {
  const verdict = downloadVerdict(ending({ completed: false, digest: null, failure: "Lost" }));
  assert.deepEqual(verdict, {
    action: "keep",
    error: {
      code: "TRANSFER_FAILED",
      message: "Lost; the partial file is kept and the next get of it resumes",
    },
  });
});

Deno.test("downloadVerdict keeps a paused download quietly and discards a cancelled one", () => {
  assert.deepEqual(downloadVerdict(ending({ stopped: "paused", completed: false })), {
    action: "keep",
    error: null,
  });
  assert.deepEqual(downloadVerdict(ending({ stopped: "cancelled" })), {
    action: "discard",
    error: null,
  });
});

Deno.test("downloadVerdict still checks a download that completed as it was paused", () => {
  assert.deepEqual(downloadVerdict(ending({ stopped: "paused" })), { action: "rename" });
  const wrong = downloadVerdict(ending({ stopped: "paused", digest: "cd".repeat(32) }));
  assert.equal(wrong.action, "discard");
});
