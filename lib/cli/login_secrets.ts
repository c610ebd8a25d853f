/**
 * The client's passwords from their files (`--password-file`, `--server-password-file`), read
 * once at start so that the core keeps them for every login after reconnecting.
 * @module
 */

import type { ClientConfig } from "./client_config.ts";
import { readSecretFile } from "./secret_file.ts";

/**
 * `config` with `password` and `serverPassword` read from the files it names, or a sentence
 * saying which file could not be read (never the secret).
 *
 * @example
 * ```ts ignore
 * const read = await readConfiguredSecrets(config);
 * if (typeof read === "string") console.error(read);
 * ```
 */
export async function readConfiguredSecrets(config: ClientConfig): Promise<ClientConfig | string> {
  let read = config;
  if (config.passwordFile !== undefined) {
    const secret = await readSecretFile(config.passwordFile, "password");
    if (!secret.ok) return secret.message;
    read = { ...read, password: secret.secret };
  }
  if (config.serverPasswordFile !== undefined) {
    const secret = await readSecretFile(config.serverPasswordFile, "server password");
    if (!secret.ok) return secret.message;
    read = { ...read, serverPassword: secret.secret };
  }
  return read;
}
