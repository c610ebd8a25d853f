/**
 * Making sure the downloads folder can take a download, before any byte is asked for: a bad
 * `--out` is reported in plain words, never as a raw permission or OS error.
 * @module
 */

import { ChatError } from "../net/chat_error.ts";

/**
 * Creates the downloads folder if needed and checks that a file can be created in it; throws
 * `ChatError` `FOLDER_UNUSABLE` naming the folder and what is wrong.
 */
export async function prepareDownloads(folder: string): Promise<void> {
  try {
    await Deno.mkdir(folder, { recursive: true });
    if (!(await Deno.stat(folder)).isDirectory) throw new Deno.errors.AlreadyExists();
    await Deno.remove(await Deno.makeTempFile({ dir: folder, prefix: ".chat-probe-" }));
  } catch (error) {
    throw new ChatError(
      "FOLDER_UNUSABLE",
      `Cannot save downloads in '${folder}': ${whatIsWrong(error)}`,
    );
  }
}

/** What an error from the file system means for the folder, in words (no OS text). */
function whatIsWrong(error: unknown): string {
  if (error instanceof Deno.errors.NotCapable) {
    return "this program may not write there (run it with --allow-write for that folder)";
  }
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.AlreadyExists) return "a file of that name is in the way";
  if (error instanceof Deno.errors.NotADirectory) return "part of the path is a file, not a folder";
  if (error instanceof Deno.errors.NotFound) return "the path cannot be created there";
  const code = error instanceof Error && "code" in error && typeof error.code === "string"
    ? ` (${error.code})`
    : "";
  return `it cannot be created or written to${code}`;
}
