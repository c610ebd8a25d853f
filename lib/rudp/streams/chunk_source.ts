/**
 * Where the data sender's bytes come from, without I/O in the core: the driver backs this with
 * a file (or anything else) and the connection pulls exactly what it is about to send.
 *
 * @module
 */

/** A synchronous source of file bytes at absolute offsets. */
export interface ChunkSource {
  /**
   * Returns exactly `length` bytes starting at `offset`. Called again for the same range when
   * it must be retransmitted, so it must return the same bytes each time. The connection copies
   * the result; a reused buffer is fine. Throwing fails the transfer with `SOURCE_ERROR`.
   */
  read(offset: number, length: number): Uint8Array;
}
