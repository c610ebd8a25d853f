/**
 * The client's verdict on a download whose transfer ended: rename the `.part` into place only if
 * every byte arrived and their SHA-256 is the grant's; else keep it for a resume or discard it,
 * with the error the user is told. Sans-IO: the driver hashes, looks and renames.
 * @module
 */

/** An error the user is told, with its stable code. */
export interface TransferError {
  code: "TRANSFER_FAILED" | "FILE_EXISTS";
  message: string;
}

/** How a download's transfer ended, as the driver saw it. */
export interface DownloadEnding {
  /** The user's doing: `cancelled` or `paused` by them, `null` if neither. */
  stopped: "cancelled" | "paused" | null;
  /** Whether every byte arrived. */
  completed: boolean;
  /** Why the transfer ended early (a failed write, a lost peer), if it said. */
  failure: string | null;
  /** SHA-256 of the `.part` file once complete (lower-case hex); `null` if not computed. */
  digest: string | null;
  /** The SHA-256 the grant promised. */
  expectedSha256: string;
  /** Whether the final name is taken by a file that may not be overwritten. */
  targetExists: boolean;
  /** The file's name, its final path and its `.part` path, for the messages. */
  name: string;
  path: string;
  part: string;
}

/** What to do with the `.part` file, and the error to report (`null`: none). */
export type DownloadVerdict =
  | { action: "rename" }
  | { action: "keep"; error: TransferError | null }
  | { action: "discard"; error: TransferError | null };

/**
 * Decides a download's end. A cancelled one is discarded; one that did not complete is kept (a
 * pause says nothing more); a complete one whose SHA-256 is not the grant's is discarded with
 * `TRANSFER_FAILED`; a matching one is renamed into place unless its name was taken meanwhile
 * (`FILE_EXISTS`, kept).
 *
 * @example
 * ```ts
 * import { downloadVerdict } from "./download_verdict.ts";
 * const sha = "ab".repeat(32);
 * downloadVerdict({ stopped: null, completed: true, failure: null, digest: sha,
 *   expectedSha256: sha, targetExists: false, name: "a", path: "d/a", part: "d/a.part" });
 * // { action: "rename" }
 * ```
 */
export function downloadVerdict(ending: DownloadEnding): DownloadVerdict {
  if (ending.stopped === "cancelled") return { action: "discard", error: null };
  if (!ending.completed) {
    if (ending.stopped === "paused") return { action: "keep", error: null };
    const why = ending.failure ?? "Transfer ended early";
    return {
      action: "keep",
      error: failed(`${why}; the partial file is kept and the next get of it resumes`),
    };
  }
  if (ending.digest === null || ending.digest !== ending.expectedSha256.toLowerCase()) {
    return {
      action: "discard",
      error: failed(
        `'${ending.name}' does not match the server's SHA-256; the partial file was removed`,
      ),
    };
  }
  if (ending.targetExists) {
    return {
      action: "keep",
      error: {
        code: "FILE_EXISTS",
        message: `'${ending.path}' appeared meanwhile; the download is kept as ${ending.part}`,
      },
    };
  }
  return { action: "rename" };
}

function failed(message: string): TransferError {
  return { code: "TRANSFER_FAILED", message };
}
