/**
 * CRC-32 (IEEE 802.3, the zlib polynomial) used as the datagram checksum of the file channel.
 *
 * Deno 2.9.6 ships `crc32` in `node:zlib`, backed by native code, so we use it rather than a
 * table of our own.
 *
 * @module
 */
import { crc32 as zlibCrc32 } from "node:zlib";

/**
 * Computes the CRC-32 of `bytes` as an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}
