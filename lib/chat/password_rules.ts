/**
 * The rules a password must keep before the hub hands it to be hashed: its length, and the
 * connection it came over (never plaintext across a network, unless the operator allows it).
 * @module
 */

import { type ProtocolError, protocolError } from "./errors.ts";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS } from "./limits.ts";

const utf8 = new TextEncoder();

/** How a connection reached the hub, as the plaintext rule needs it. */
export interface Transport {
  /** The connection is encrypted (TLS). */
  readonly secure: boolean;
  /** The peer is this host (see {@linkcode isLoopback}). */
  readonly loopback: boolean;
}

/**
 * Why a password may not be given over this connection (`INSECURE_LOGIN`), or `null`: a secure
 * connection or one from loopback may carry it, any other only when `allowInsecure`.
 *
 * @example
 * ```ts
 * import { insecureRefusal } from "./password_rules.ts";
 * insecureRefusal({ secure: false, loopback: false }, false)?.code; // "INSECURE_LOGIN"
 * insecureRefusal({ secure: false, loopback: true }, false); // null
 * ```
 */
export function insecureRefusal(
  transport: Transport,
  allowInsecure: boolean,
): ProtocolError | null {
  if (transport.secure || transport.loopback || allowInsecure) return null;
  return protocolError(
    "INSECURE_LOGIN",
    "Cannot send a password over a plaintext connection: connect with TLS",
  );
}

/** Whether an address is the host's own: 127.0.0.0/8, `::1`, or 127.x mapped into IPv6. */
export function isLoopback(address: string): boolean {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.exec(address);
  if (v4 !== null) return v4[1] === "127";
  return address === "::1" || /^(?:0{1,4}:){7}0{0,3}1$/.test(address);
}

/**
 * Why a password given to log in is refused unread (`PASSWORD_INVALID`), or `null`: it is
 * empty, or longer than {@linkcode MAX_PASSWORD_BYTES}, so it is never hashed.
 */
export function loginPasswordRefusal(password: string): ProtocolError | null {
  if (password.length === 0 || passwordBytes(password) > MAX_PASSWORD_BYTES) {
    return protocolError(
      "PASSWORD_INVALID",
      `Password must be 1 to ${MAX_PASSWORD_BYTES} bytes`,
    );
  }
  return null;
}

/**
 * Why a new account password is refused (`PASSWORD_INVALID`), or `null`: shorter than
 * {@linkcode MIN_PASSWORD_CHARS} or longer than {@linkcode MAX_PASSWORD_BYTES}.
 */
export function newPasswordRefusal(password: string): ProtocolError | null {
  if (password.length < MIN_PASSWORD_CHARS || passwordBytes(password) > MAX_PASSWORD_BYTES) {
    return protocolError(
      "PASSWORD_INVALID",
      `Password must be ${MIN_PASSWORD_CHARS} characters to ${MAX_PASSWORD_BYTES} bytes`,
    );
  }
  return null;
}

/**
 * Whether two secrets are equal, in time that depends on their lengths only: every byte of the
 * longer is visited whatever the contents (the server password is compared with this).
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = utf8.encode(given);
  const b = utf8.encode(expected);
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

function passwordBytes(password: string): number {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most passwords need no encoding to be bounded.
  return password.length * 3 <= MAX_PASSWORD_BYTES ? password.length : utf8.encode(password).length;
}
