/**
 * Writing a whole buffer to a connection that may accept only part of it at a time.
 * @module
 */

/** Writes all of `bytes`, looping over partial writes. */
export async function writeAll(
  writer: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await writer.write(bytes.subarray(offset));
  }
}
