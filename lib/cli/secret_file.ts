/**
 * A password read from a file (`--password-file`, `--server-password-file`): its first line,
 * without the line break. The file is read whole only up to a bound, so a huge or endless file
 * (a device, a pipe) costs nothing; the secret is never printed.
 * @module
 */

import { MAX_PASSWORD_BYTES } from "../chat/limits.ts";

/** Most bytes read from a password file: a password line and some room for its break. */
export const MAX_SECRET_FILE_BYTES = MAX_PASSWORD_BYTES + 2;

/** The secret, or why it cannot be read (a sentence naming the file, never the secret). */
export type SecretRead = { ok: true; secret: string } | { ok: false; message: string };

/**
 * Reads the first line of `path` as the secret named `what` ("password").
 *
 * @example
 * ```ts ignore
 * const read = await readSecretFile("./pw.txt", "password");
 * if (!read.ok) console.error(read.message);
 * ```
 */
export async function readSecretFile(path: string, what: string): Promise<SecretRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readAtMost(path, MAX_SECRET_FILE_BYTES + 1);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Cannot read the ${what} from '${path}': ${reason}` };
  }
  const text = new TextDecoder().decode(bytes);
  const end = text.search(/\r?\n/);
  if (end === -1 && bytes.length > MAX_SECRET_FILE_BYTES) {
    return {
      ok: false,
      message: `The ${what} in '${path}' is longer than ${MAX_PASSWORD_BYTES} bytes`,
    };
  }
  const secret = end === -1 ? text : text.slice(0, end);
  if (secret === "") return { ok: false, message: `The ${what} file '${path}' is empty` };
  return { ok: true, secret };
}

async function readAtMost(path: string, limit: number): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(limit);
  let length = 0;
  while (length < limit) {
    const n = await file.read(buffer.subarray(length));
    if (n === null) break;
    length += n;
  }
  return buffer.subarray(0, length);
}
