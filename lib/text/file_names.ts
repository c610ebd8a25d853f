/**
 * Which file names may be shared: plain names in one folder, nothing hidden or climbing out, and
 * nothing that fools the eye (bidi controls, invisible characters, mixed-script look-alikes).
 * A name is stored and compared in Unicode NFC, so `café` typed either way is one name.
 * @module
 */

import { codePointLabel, describeUnsafeChar, findUnsafeNameChar } from "./hidden_chars.ts";
import { findMixedScripts, type ScriptSample } from "./mixed_script.ts";

/** Longest shared file name, in UTF-8 bytes (Linux's limit). */
export const MAX_FILE_NAME_BYTES = 255;

const utf8 = new TextEncoder();

// Control characters, path separators and characters Windows refuses.
// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f/\\:*?"<>|]/;

/**
 * The form a requested file name is looked up, stored and announced under: its NFC form. Call it
 * on every name from the network before {@link checkFileName} and before comparing names, so an
 * NFD `café.txt` finds (and cannot be uploaded beside) the NFC one.
 *
 * @example
 * ```ts
 * import { normalizeFileName } from "./file_names.ts";
 * normalizeFileName("cafe\u0301.txt") === "caf\u00e9.txt"; // true
 * ```
 */
export function normalizeFileName(name: string): string {
  return name.normalize("NFC");
}

/**
 * Checks a file name for sharing, returning why it is refused or `null` if it is fine. A name
 * not in NFC is refused: pass names from the network through {@link normalizeFileName} first.
 *
 * @example
 * ```ts
 * import { checkFileName } from "./file_names.ts";
 * checkFileName("notes.txt"); // null
 * checkFileName("../etc/passwd")?.startsWith("File name must not"); // true
 * checkFileName("evil\u202etxt.exe"); // "File name must not contain U+202E, a bidirectional control"
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
  return checkLooks(name);
}

/** The rules against names that look like something they are not. */
function checkLooks(name: string): string | null {
  const unsafe = findUnsafeNameChar(name);
  if (unsafe !== null) return `File name must not contain ${describeUnsafeChar(unsafe)}`;
  if (name !== normalizeFileName(name)) return "File name must be in Unicode normal form C (NFC)";
  const mix = findMixedScripts(name);
  if (mix !== null) {
    return `File name must not mix ${sample(mix.first)} and ${sample(mix.second)} in one word`;
  }
  return null;
}

function sample(s: ScriptSample): string {
  return `${s.script} (${codePointLabel(s.codePoint)})`;
}
