/**
 * Why a file cannot be served or opened, with a stable code.
 * @module
 */

/** The codes a {@linkcode FileAccessError} carries, as the chat protocol sends them. */
export type FileAccessCode = "NO_SUCH_FILE" | "TRANSFER_REFUSED";

/**
 * Why a file cannot be served, with a stable code.
 *
 * @example
 * ```ts
 * import { FileAccessError } from "./file_access_error.ts";
 * const error = new FileAccessError("NO_SUCH_FILE", "No file named 'x'");
 * error.code; // "NO_SUCH_FILE"
 * ```
 */
export class FileAccessError extends Error {
  /** `NO_SUCH_FILE` or `TRANSFER_REFUSED`. */
  readonly code: FileAccessCode;
  constructor(code: FileAccessCode, message: string) {
    super(message);
    this.name = "FileAccessError";
    this.code = code;
  }
}
