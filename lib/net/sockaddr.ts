/**
 * `struct sockaddr_in` as Linux lays it out, for the batched send path: the destination of each
 * datagram in a batch, and the bound address the socket's descriptor is recognised by.
 *
 * @module
 */

/** Size of a `struct sockaddr_in`, bytes: family, port, address, 8 bytes of zeros. */
export const SOCKADDR_IN_BYTES = 16;
/** `AF_INET` on Linux. */
const AF_INET = 2;

/**
 * The `sockaddr_in` of an IPv4 address, or null for any other (IPv6 and names stay on Deno's
 * `send`).
 *
 * @example
 * ```ts
 * import { sockaddrIn } from "./sockaddr.ts";
 * const bytes = sockaddrIn({ transport: "udp", hostname: "127.0.0.1", port: 7070 });
 * console.assert(bytes !== null && bytes[2] === 0x1b && bytes[3] === 0x9e);
 * ```
 */
export function sockaddrIn(address: Deno.NetAddr): Uint8Array | null {
  const parts = address.hostname.split(".");
  if (parts.length !== 4 || !Number.isInteger(address.port)) return null;
  if (address.port < 0 || address.port > 0xffff) return null;
  const bytes = new Uint8Array(SOCKADDR_IN_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, AF_INET, true);
  view.setUint16(2, address.port, false);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    bytes[4 + i] = Number(part);
  }
  return bytes;
}
