/**
 * Which file names may be shared: plain names in one folder, nothing hidden or climbing out.
 * @module
 */

/** Longest shared file name, in UTF-8 bytes (Linux's limit). */
export const MAX_FILE_NAME_BYTES = 255;

const utf8 = new TextEncoder();

// Control characters, path separators and characters Windows refuses.
// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f/\\:*?"<>|]/;

/**
 * Checks a file name for sharing, returning why it is refused or `null` if it is fine.
 *
 * @example
 * ```ts
 * import { checkFileName } from "./file_names.ts";
 * checkFileName("notes.txt"); // null
 * checkFileName("../etc/passwd")?.startsWith("File name must not"); // true
 * ```
 */
export function checkFileName(name: string): string | null {
  if (name.length === 0 || utf8.encode(name).length > MAX_FILE_NAME_BYTES) {
    return `File name must be 1 to ${MAX_FILE_NAME_BYTES} bytes of UTF-8`;
  }
  if (FORBIDDEN.test(name)) {
    return 'File name must not contain path separators, control characters or :*?"<>|';
  }
  if (name.startsWith(".")) return "Hidden files are not shared";
  if (name !== name.trim()) return "File name must not start or end with spaces";
  return null;
}
