/**
 * The server's verdict on an upload whose transfer ended: store it only if every byte arrived,
 * was written, and hashes to the SHA-256 the uploader offered; else discard it with the reason
 * its uploader is told. Sans-IO: the driver finishes the file, hashes it and stores it.
 * @module
 */

/** How an upload's transfer ended, as the driver saw it. */
export interface UploadEnding {
  /** Whether every byte arrived. */
  received: boolean;
  /** Why the transfer ended, if it did not complete (empty if nobody said). */
  why: string;
  /** Why writing to disk failed during the transfer, if it did. */
  writeError: string | null;
  /** Why finishing the file (its last write, its hash) failed, if it did. */
  finishError: string | null;
  /** SHA-256 of the bytes written, lower-case hex; `null` if not computed. */
  digest: string | null;
  /** The SHA-256 the uploader offered. */
  expectedSha256: string;
}

/** Whether to store the upload, or why not (in words for its uploader). */
export type UploadVerdict = { store: true } | { store: false; message: string };

/**
 * Decides an upload's end: stored only when received in full, without a write error, and with
 * the SHA-256 offered; the first failure found is the reason given.
 *
 * @example
 * ```ts
 * import { uploadVerdict } from "./upload_verdict.ts";
 * uploadVerdict({ received: false, why: "", writeError: null, finishError: null,
 *   digest: null, expectedSha256: "ab".repeat(32) });
 * // { store: false, message: "Upload did not complete" }
 * ```
 */
export function uploadVerdict(ending: UploadEnding): UploadVerdict {
  const cannotWrite = ending.writeError ?? ending.finishError;
  if (cannotWrite !== null) {
    return { store: false, message: `The server cannot write the file: ${cannotWrite}` };
  }
  if (!ending.received) return { store: false, message: ending.why || "Upload did not complete" };
  if (ending.digest === null || ending.digest !== ending.expectedSha256.toLowerCase()) {
    return { store: false, message: "Upload does not match its SHA-256" };
  }
  return { store: true };
}
