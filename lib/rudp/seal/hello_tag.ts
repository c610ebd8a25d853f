/**
 * The client's hello travels before either side can open a sealed packet, and the server must
 * read its transfer id to find the grant (and so the key): it is sent in the clear with a tag,
 * an HMAC-SHA256 of the whole packet under the transfer's hello key, cut to
 * {@linkcode HELLO_TAG_BYTES}. The bare token is no longer enough: a hello whose tag fails is
 * dropped (`UNAUTHENTICATED`). The hello carries no file bytes and no key.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Bytes of the tag after a hello packet (a truncated HMAC-SHA256, as TLS 1.2's Finished). */
export const HELLO_TAG_BYTES = 16;

/**
 * The hello datagram: `packet` (an encoded initial packet) with its tag appended.
 *
 * @example
 * ```ts
 * const datagram = tagHello(keys.hello, encodePacket(hello));
 * helloPacketOf(datagram); // the packet again, to decode
 * ```
 */
export function tagHello(helloKey: Uint8Array, packet: Uint8Array): Uint8Array {
  const out = new Uint8Array(packet.length + HELLO_TAG_BYTES);
  out.set(packet);
  out.set(helloTag(helloKey, packet), packet.length);
  return out;
}

/** The packet of a tagged hello datagram (a view), or null when it is too short to hold a tag. */
export function helloPacketOf(datagram: Uint8Array): Uint8Array | null {
  return datagram.length > HELLO_TAG_BYTES
    ? datagram.subarray(0, datagram.length - HELLO_TAG_BYTES)
    : null;
}

/** Whether the tag of a hello datagram is right for `helloKey`; compared in constant time. */
export function helloTagValid(helloKey: Uint8Array, datagram: Uint8Array): boolean {
  const packet = helloPacketOf(datagram);
  if (packet === null) return false;
  return timingSafeEqual(helloTag(helloKey, packet), datagram.subarray(packet.length));
}

function helloTag(helloKey: Uint8Array, packet: Uint8Array): Uint8Array {
  const mac = createHmac("sha256", helloKey).update(packet).digest();
  return new Uint8Array(mac.buffer, mac.byteOffset, HELLO_TAG_BYTES);
}
