/**
 * Loading the hub's certificate and key from PEM files, with a start error that names the
 * file and a stable code for each way they can be unusable.
 * @module
 */

import type { TlsKeyPair } from "./hub_server.ts";
import { fingerprintOf, notAfterOf } from "./tls_certificate.ts";
import { type TlsFiles, TlsStartError } from "./tls_errors.ts";

/** A key pair read from its files, and what the log says of it. */
export interface LoadedKeyPair {
  pair: TlsKeyPair;
  /** The certificate's fingerprint and end of validity, for the start log. */
  summary: string;
}

/**
 * Reads the certificate and key; throws {@linkcode TlsStartError}: `TLS_CERT_UNREADABLE` or
 * `TLS_KEY_UNREADABLE` for a file that cannot be read, `TLS_CERT_INVALID` for one that holds
 * no certificate. Whether the key is a key, and the certificate's, `Deno.listenTls` decides
 * (see `tlsStartError`).
 */
export async function loadKeyPair(files: TlsFiles): Promise<LoadedKeyPair> {
  const cert = await readPem(files.cert, "TLS_CERT_UNREADABLE", "certificate");
  const key = await readPem(files.key, "TLS_KEY_UNREADABLE", "key");
  let summary: string;
  try {
    const until = (await notAfterOf(cert)).toISOString();
    summary = `certificate SHA-256 ${await fingerprintOf(cert)}, valid until ${until}`;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TlsStartError(
      "TLS_CERT_INVALID",
      `Cannot use the certificate '${files.cert}': ${why} (a PEM certificate is expected)`,
    );
  }
  return { pair: { cert, key }, summary };
}

async function readPem(
  path: string,
  code: "TLS_CERT_UNREADABLE" | "TLS_KEY_UNREADABLE",
  what: string,
): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TlsStartError(code, `Cannot read the ${what} '${path}': ${why}`);
  }
}
