/**
 * The end of an upload on the server: a fully received part file checked and put in place, or
 * a failed one discarded, and in either case the part file closed and removed.
 * @module
 */

import { FileAccessError } from "../files/file_access_error.ts";
import type { FileSink } from "../files/file_sink.ts";
import type { SharedFolder } from "../files/shared_folder.ts";

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
    return upload.received ? await store(folder, upload) : { ok: false, message: failure(upload) };
  } catch (error) {
    return { ok: false, message: storeError(upload.name, error) };
  } finally {
    const lost = sink.close();
    if (lost !== null) log(`closing ${sink.path}: ${lost.message}`);
    await Deno.remove(sink.path).catch(() => {}); // gone already if it was stored
  }
}

/** Checks a fully received upload against its hash and puts it in place. */
async function store(folder: SharedFolder, upload: EndedUpload): Promise<UploadOutcome> {
  let digest: string;
  try {
    digest = upload.sink.finish();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `The server cannot write the file: ${why}` };
  }
  if (digest !== upload.sha256) return { ok: false, message: "Upload does not match its SHA-256" };
  return { ok: true, size: await folder.store(upload.sink.path, upload.name) };
}

/** Why an upload that did not complete failed, in words for its uploader. */
function failure(upload: EndedUpload): string {
  return upload.writeError === undefined
    ? upload.why || "Upload did not complete"
    : `The server cannot write the file: ${upload.writeError}`;
}

/** Why an upload could not be put in place, without the server's paths. */
function storeError(name: string, error: unknown): string {
  if (error instanceof FileAccessError) return error.message;
  if (error instanceof Deno.errors.AlreadyExists) return `A file named '${name}' exists already`;
  return `Cannot store '${name}': ${error instanceof Error ? error.name : String(error)}`;
}
