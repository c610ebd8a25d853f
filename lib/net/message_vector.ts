/**
 * The part of a batch's memory that `sendmmsg` and `recvmmsg` share: an array of
 * `struct mmsghdr`, one `iovec` and one name slot per message, and fixed data slots, laid out
 * for 64-bit Linux (x86-64 and arm64 agree): `iovec { base u64, len u64 }` is 16 bytes;
 * `msghdr { name u64, namelen u32, pad, iov u64, iovlen u64, control u64, controllen u64,
 * flags i32, pad }` is 56; `mmsghdr { msghdr, len u32, pad }` is 64.
 *
 * @module
 */

/** Bytes of a `struct mmsghdr`. */
export const MMSGHDR_BYTES = 64;
/** Bytes of a `struct iovec`. */
export const IOVEC_BYTES = 16;
/** Room for a name: `sockaddr_in` (16 bytes) or `sockaddr_in6` (28), rounded up. */
export const NAME_SLOT_BYTES = 32;

/** Where a message vector's parts lie in its block, as byte offsets. */
export interface MessageVector {
  /** The `iovec` array, right after the `mmsghdr` array (which starts the block). */
  iovecs: number;
  /** The name slots, after the `iovec` array. */
  names: number;
  /** The first byte after the name slots, where the caller's own parts go. */
  end: number;
}

/** The offsets of a vector of `capacity` messages at the start of a block. */
export function messageVector(capacity: number): MessageVector {
  const iovecs = capacity * MMSGHDR_BYTES;
  const names = iovecs + capacity * IOVEC_BYTES;
  return { iovecs, names, end: names + capacity * NAME_SLOT_BYTES };
}

/**
 * Points message `i` of `vector` at its name slot and its one `iovec`, and that `iovec` at the
 * data slot at offset `slot`; `base` is the block's address, `view` a view of the block.
 */
export function linkMessage(
  view: DataView,
  base: bigint,
  vector: MessageVector,
  i: number,
  slot: number,
): void {
  const address = (at: number, offset: number) =>
    view.setBigUint64(at, base + BigInt(offset), true);
  address(i * MMSGHDR_BYTES, vector.names + i * NAME_SLOT_BYTES); // msg_name
  address(i * MMSGHDR_BYTES + 16, vector.iovecs + i * IOVEC_BYTES); // msg_iov
  view.setBigUint64(i * MMSGHDR_BYTES + 24, 1n, true); // msg_iovlen
  address(vector.iovecs + i * IOVEC_BYTES, slot); // iov_base
}
