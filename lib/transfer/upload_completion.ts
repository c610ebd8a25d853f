/**
 * The end of an upload on the server: a fully received part file checked and put in place, or
 * a failed one discarded, and in either case the part file closed and removed.
 * @module
 */

import { FileAccessError } from "../files/file_access_error.ts";
import type { FileSink } from "../files/file_sink.ts";
import type { SharedFolder } from "../files/shared_folder.ts";
import { uploadVerdict } from "./upload_verdict.ts";

/** How an upload ended, as its uploader is told in `transfer_done`. */
export type UploadOutcome = { ok: true; size: number } | { ok: false; message: string };

/** An upload whose transfer ended. */
export interface EndedUpload {
  name: string;
  sink: FileSink;
  /** The SHA-256 the uploader announced. */
  sha256: string;
  /** Whether every byte arrived. */
  received: boolean;
  /** Why the transfer ended, if it did not complete. */
  why: string;
  /** Why writing to disk failed, if it did. */
  writeError?: string;
}

/**
 * Stores a fully received upload under its name, or discards it. Never throws: whatever happens,
 * the part file is closed and removed before this resolves; `log` hears of a lost final write.
 */
export async function completeUpload(
  folder: SharedFolder,
  upload: EndedUpload,
  log: (detail: string) => void,
): Promise<UploadOutcome> {
  const { sink } = upload;
  try {
    return await store(folder, upload);
  } catch (error) {
    return { ok: false, message: storeError(upload.name, error) };
  } finally {
    const lost = sink.close();
    if (lost !== null) log(`closing ${sink.path}: ${lost.message}`);
    await Deno.remove(sink.path).catch(() => {}); // gone already if it was stored
  }
}

/** Finishes a received upload's file, asks for the verdict, and puts the file in place. */
async function store(folder: SharedFolder, upload: EndedUpload): Promise<UploadOutcome> {
  let digest: string | null = null;
  let finishError: string | null = null;
  if (upload.received && upload.writeError === undefined) {
    try {
      digest = upload.sink.finish();
    } catch (error) {
      finishError = error instanceof Error ? error.message : String(error);
    }
  }
  const verdict = uploadVerdict({
    received: upload.received,
    why: upload.why,
    writeError: upload.writeError ?? null,
    finishError,
    digest,
    expectedSha256: upload.sha256,
  });
  if (!verdict.store) return { ok: false, message: verdict.message };
  return { ok: true, size: await folder.store(upload.sink.path, upload.name) };
}

/** Why an upload could not be put in place, without the server's paths. */
function storeError(name: string, error: unknown): string {
  if (error instanceof FileAccessError) return error.message;
  if (error instanceof Deno.errors.AlreadyExists) return `A file named '${name}' exists already`;
  return `Cannot store '${name}': ${error instanceof Error ? error.name : String(error)}`;
}
