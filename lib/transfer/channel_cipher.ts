/**
 * Which ChaCha20-Poly1305 seals a transfer's datagrams: libsodium's where it loads (see
 * `lib/net/sodium_chacha_poly.ts`), else the `node:crypto` default.
 *
 * @module
 */
import type { TransportOptions } from "../rudp/connection/transport_options.ts";
import { sodiumChaChaPoly } from "../net/sodium_chacha_poly.ts";

/** The transport option that names the native cipher, or nothing (the default) without one. */
export function channelCipher(): Pick<TransportOptions, "aead"> {
  const aead = sodiumChaChaPoly();
  return aead === null ? {} : { aead };
}
