/**
 * What TLS failures mean, for the people who must fix them: the client's handshake errors as
 * stable codes, and the server's refusals to start with a certificate and key.
 * @module
 */

import type { ClientErrorCode } from "../chat/client_errors.ts";

/** A failed TLS dial: its code, why in words, and whether trying again could help. */
export interface TlsFailure {
  code: ClientErrorCode;
  reason: string;
  /** The client's settings do not fit this hub (a certificate refused...): no retry. */
  permanent: boolean;
}

/**
 * The meaning of an error from a client's TLS handshake (Deno reports rustls errors as
 * `InvalidData` with rustls's words). A refused certificate or a peer that answers with
 * something other than TLS is permanent; a reset or an early close is not.
 */
export function classifyTlsError(error: unknown): TlsFailure {
  const text = error instanceof Error ? error.message : String(error);
  const permanent = (code: ClientErrorCode, reason: string) => ({ code, reason, permanent: true });
  if (/certificate expired|not valid yet|\bExpired\b|NotValidYet/.test(text)) {
    return permanent(
      "CERT_EXPIRED",
      `the hub's certificate has expired or is not valid yet (${text})`,
    );
  }
  if (/not valid for name|NotValidForName/.test(text)) {
    return permanent("CERT_WRONG_HOST", `the hub's certificate is for another host name (${text})`);
  }
  if (/UnknownIssuer|CaUsedAsEndEntity|BadSignature/.test(text)) {
    return permanent(
      "CERT_UNKNOWN",
      `the hub's certificate is not trusted: give its CA with --ca (${text})`,
    );
  }
  if (/corrupt message|InvalidMessage|InvalidContentType|invalid message/i.test(text)) {
    return permanent("TLS_NOT_SPOKEN", "the server does not speak TLS (a plaintext port?)");
  }
  if (/invalid peer certificate|fatal alert|peer is incompatible|PeerIncompatible/.test(text)) {
    return permanent("TLS_FAILED", `the TLS handshake failed: ${text}`);
  }
  return { code: "CONNECT_FAILED", reason: `the TLS handshake failed: ${text}`, permanent: false };
}

/**
 * Whether the first bytes read on a plaintext connection are a TLS record (an alert or a
 * handshake): the port speaks TLS only. Needs the record's first three bytes.
 */
export function looksLikeTls(bytes: Uint8Array): boolean {
  const [type, major, minor] = bytes;
  if (type === undefined || major === undefined || minor === undefined) return false;
  return type >= TLS_CHANGE_CIPHER_SPEC && type <= TLS_APPLICATION_DATA && major === 3 &&
    minor <= 4;
}

const TLS_CHANGE_CIPHER_SPEC = 20;
const TLS_APPLICATION_DATA = 23;

/** Why the server cannot start with the certificate and key it was given. */
export type TlsStartCode =
  | "TLS_CERT_UNREADABLE"
  | "TLS_KEY_UNREADABLE"
  | "TLS_CERT_INVALID"
  | "TLS_KEY_INVALID"
  | "TLS_KEY_MISMATCH";

/** The server cannot use its TLS files; `code` is stable, the message names the file. */
export class TlsStartError extends Error {
  /** Stable, machine-readable code. */
  readonly code: TlsStartCode;

  constructor(code: TlsStartCode, message: string) {
    super(message);
    this.name = "TlsStartError";
    this.code = code;
  }
}

/** The files a TLS listener was given, to name in errors. */
export interface TlsFiles {
  cert: string;
  key: string;
}

/**
 * The {@linkcode TlsStartError} behind an error of `Deno.listenTls` given `files`, or `null`
 * when it is no TLS error (the address is in use, say).
 */
export function tlsStartError(error: unknown, files: TlsFiles): TlsStartError | null {
  const text = error instanceof Error ? error.message : String(error);
  if (/KeyMismatch|keys may not be consistent/i.test(text)) {
    return new TlsStartError(
      "TLS_KEY_MISMATCH",
      `The key '${files.key}' does not belong to the certificate '${files.cert}'`,
    );
  }
  if (/No certificates found|certificate|BadEncoding/i.test(text)) {
    return new TlsStartError(
      "TLS_CERT_INVALID",
      `Cannot use the certificate '${files.cert}': ${text} (a PEM certificate is expected)`,
    );
  }
  if (/No keys found|key/i.test(text)) {
    return new TlsStartError(
      "TLS_KEY_INVALID",
      `Cannot use the key '${files.key}': ${text} (a PEM private key is expected)`,
    );
  }
  return null;
}
