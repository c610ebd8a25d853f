/**
 * The keys of one transfer, derived from the grant's random transfer key with HKDF-SHA256
 * (RFC 5869): one AEAD key and IV per direction, and a key for the hello's tag. Each has its own
 * label, so no key serves two purposes. Derived once per transfer.
 *
 * @module
 */
import { hkdfSync } from "node:crypto";

/** Bytes of the transfer key the hub's grant carries (random, fresh for each transfer). */
export const TRANSFER_KEY_BYTES = 32;
/** Bytes of a ChaCha20-Poly1305 key. */
export const AEAD_KEY_BYTES = 32;
/** Bytes of a ChaCha20-Poly1305 nonce, and of each direction's IV it is made from. */
export const AEAD_IV_BYTES = 12;
/** Bytes of the key the client's hello is tagged with (HMAC-SHA256). */
export const HELLO_KEY_BYTES = 32;

/** The AEAD key and IV of one direction. */
export interface DirectionKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

/** Every key of one transfer. */
export interface TransferKeys {
  clientToServer: DirectionKeys;
  serverToClient: DirectionKeys;
  /** Tags the client's hello, which travels before either side can open a sealed packet. */
  hello: Uint8Array;
}

/**
 * Derives a transfer's keys from its transfer key. Throws RangeError on a key of the wrong size
 * (a programmer's mistake: the grant checks the key it carries).
 *
 * @example
 * ```ts
 * const keys = deriveTransferKeys(new Uint8Array(32).fill(7));
 * keys.clientToServer.iv.length; // 12
 * ```
 */
export function deriveTransferKeys(transferKey: Uint8Array): TransferKeys {
  if (!(transferKey instanceof Uint8Array) || transferKey.length !== TRANSFER_KEY_BYTES) {
    throw new RangeError(`Cannot derive keys: transfer key must be ${TRANSFER_KEY_BYTES} bytes`);
  }
  const derive = (label: string, length: number) =>
    new Uint8Array(hkdfSync("sha256", transferKey, new Uint8Array(0), LABEL + label, length));
  return {
    clientToServer: { key: derive("c2s key", AEAD_KEY_BYTES), iv: derive("c2s iv", AEAD_IV_BYTES) },
    serverToClient: { key: derive("s2c key", AEAD_KEY_BYTES), iv: derive("s2c iv", AEAD_IV_BYTES) },
    hello: derive("hello", HELLO_KEY_BYTES),
  };
}

/** Prefix of every HKDF label: keys of this protocol version are never those of another. */
const LABEL = "chat-rudp v1 ";
