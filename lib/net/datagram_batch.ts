/**
 * The memory a batch of datagrams is sent from in one system call: the datagrams themselves in
 * fixed slots, and the Linux structures that point at them, `struct mmsghdr` for `sendmmsg`
 * and one `struct msghdr` with a `UDP_SEGMENT` control message for `sendmsg` with GSO. Pure
 * layout: where the block lies in memory is given, so a test can read every field.
 *
 * The layouts are those of 64-bit Linux (see `message_vector.ts`); `cmsghdr { len u64, level i32,
 * type i32 }` is 16 bytes, then the data.
 *
 * @module
 */
import {
  IOVEC_BYTES,
  linkMessage,
  messageVector,
  MMSGHDR_BYTES,
  NAME_SLOT_BYTES,
} from "./message_vector.ts";

/** Datagrams in one batch: a batch of 32 costs about what 2 single sends do. */
export const BATCH_DATAGRAMS = 32;
/** Most segments one GSO send may carry (the kernel's `UDP_MAX_SEGMENTS` on older kernels). */
export const GSO_MAX_SEGMENTS = 64;
/** Most UDP payload bytes one GSO send may carry in all (IPv4's largest datagram). */
export const GSO_MAX_BYTES = 65_507;

/** `SOL_UDP`, the control message level of `UDP_SEGMENT`. */
export const SOL_UDP = 17;
/** `UDP_SEGMENT`: the control message (and socket option) that sets the GSO segment size. */
export const UDP_SEGMENT = 103;

const MSGHDR_BYTES = 56;
/** `CMSG_SPACE(2)`: a header and a u16 of data, rounded up to 8 bytes. */
const CMSG_SPACE_BYTES = 24;
/** `CMSG_LEN(2)`. */
const CMSG_LEN_BYTES = 18;

/**
 * A batch of up to `capacity` datagrams of at most `slotBytes` each. Datagram `i` is written
 * into the slot {@linkcode DatagramBatch.next} gives (or copied there by `push`), then
 * recorded by `push` with its destination.
 *
 * @example
 * ```ts
 * import { DatagramBatch } from "./datagram_batch.ts";
 * import { sockaddrIn } from "./sockaddr.ts";
 * const batch = new DatagramBatch(4, 1500, () => 0x1000n);
 * const to = { transport: "udp" as const, hostname: "127.0.0.1", port: 9 };
 * batch.push(new Uint8Array(10), "127.0.0.1:9", sockaddrIn(to)!);
 * console.assert(batch.count === 1 && batch.gsoRunEnd(0) === 1);
 * ```
 */
export class DatagramBatch {
  /** The whole block: headers first (8-byte aligned), then the slots. */
  readonly block: Uint8Array;
  readonly capacity: number;
  readonly slotBytes: number;
  /** Address of `mmsghdr[0]`, what `sendmmsg` is given. */
  readonly messagesAddress: bigint;
  /** Address of the GSO `msghdr`, what `sendmsg` is given after {@linkcode prepareGso}. */
  readonly gsoMessageAddress: bigint;
  /** Datagrams recorded since the last {@linkcode clear}. */
  count = 0;
  readonly #view: DataView;
  readonly #base: bigint;
  readonly #slots: Uint8Array[] = [];
  readonly #lengths: number[] = [];
  readonly #keys: string[] = [];
  #outside: Uint8Array | null = null;
  readonly #iovecs: number;
  readonly #names: number;
  readonly #gso: number;

  /** `addressOf` tells where a buffer's bytes lie (libc's `memmove` in the driver). */
  constructor(capacity: number, slotBytes: number, addressOf: (block: Uint8Array) => bigint) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("Bad batch capacity");
    this.capacity = capacity;
    this.slotBytes = slotBytes;
    const vector = messageVector(capacity);
    this.#iovecs = vector.iovecs;
    this.#names = vector.names;
    this.#gso = vector.end;
    const data = this.#gso + MSGHDR_BYTES + CMSG_SPACE_BYTES;
    this.block = new Uint8Array(data + capacity * slotBytes);
    this.#view = new DataView(this.block.buffer);
    this.#base = addressOf(this.block);
    this.messagesAddress = this.#base;
    this.gsoMessageAddress = this.#base + BigInt(this.#gso);
    for (let i = 0; i < capacity; i++) {
      const at = data + i * slotBytes;
      this.#slots.push(this.block.subarray(at, at + slotBytes));
      linkMessage(this.#view, this.#base, vector, i, at);
    }
    const cmsg = this.#gso + MSGHDR_BYTES;
    this.#setAddress(this.#gso + 16, this.#iovecs); // msg_iov: the datagrams' iovecs in turn
    this.#setAddress(this.#gso + 32, cmsg); // msg_control
    this.#view.setBigUint64(this.#gso + 40, BigInt(CMSG_SPACE_BYTES), true);
    this.#view.setBigUint64(cmsg, BigInt(CMSG_LEN_BYTES), true);
    this.#view.setInt32(cmsg + 8, SOL_UDP, true);
    this.#view.setInt32(cmsg + 12, UDP_SEGMENT, true);
  }

  /**
   * Whether the batch takes no more datagrams: it is full, or its last datagram is one only
   * Deno's `send` can take (it is held by reference, so nothing may be polled after it).
   */
  get full(): boolean {
    return this.count === this.capacity || this.#outside !== null;
  }

  /** Datagrams from the start that the system calls can take: all but an outside last one. */
  get sendable(): number {
    return this.#outside === null ? this.count : this.count - 1;
  }

  /** The buffer the next datagram should be written into. */
  next(): Uint8Array {
    return this.#slots[this.count]!;
  }

  /**
   * Records the next datagram: `bytes` (copied into its slot unless written there), sent to
   * `key` whose `sockaddr_in` is `name`. A datagram larger than a slot or without a `name`
   * (not IPv4) is kept as it is, for Deno's `send`, and ends the batch.
   */
  push(bytes: Uint8Array, key: string, name: Uint8Array | null): void {
    const i = this.count;
    if (this.full) throw new RangeError("Batch is full");
    if (name !== null && name.length > NAME_SLOT_BYTES) {
      throw new RangeError("Address larger than a name slot");
    }
    this.#keys[i] = key;
    this.#lengths[i] = bytes.length;
    this.count++;
    if (name === null || bytes.length > this.slotBytes) {
      this.#outside = bytes;
      return;
    }
    const slot = this.#slots[i]!;
    if (bytes.buffer !== slot.buffer || bytes.byteOffset !== slot.byteOffset) slot.set(bytes);
    this.block.set(name, this.#names + i * NAME_SLOT_BYTES);
    this.#view.setUint32(i * MMSGHDR_BYTES + 8, name.length, true); // msg_namelen
    this.#view.setBigUint64(this.#iovecs + i * IOVEC_BYTES + 8, BigInt(bytes.length), true);
  }

  /** Datagram `i` as recorded. */
  datagram(i: number): Uint8Array {
    if (i === this.sendable && this.#outside !== null) return this.#outside;
    return this.#slots[i]!.subarray(0, this.#lengths[i]);
  }

  /** Destination key of datagram `i`. */
  key(i: number): string {
    return this.#keys[i]!;
  }

  /** Forgets every datagram. */
  clear(): void {
    this.count = 0;
    this.#outside = null;
  }

  /**
   * The end (exclusive) of the longest run from `start` that one GSO send can carry: one
   * destination, every datagram the size of the first but the last, which may be shorter,
   * at most {@linkcode GSO_MAX_SEGMENTS} and {@linkcode GSO_MAX_BYTES} in all; `start` itself
   * when datagram `start` is not {@linkcode sendable}.
   */
  gsoRunEnd(start: number): number {
    const sendable = this.sendable;
    if (start >= sendable) return start;
    const size = this.#lengths[start]!;
    let total = size;
    let end = start + 1;
    while (end < sendable && end - start < GSO_MAX_SEGMENTS) {
      const length = this.#lengths[end]!;
      if (this.#keys[end] !== this.#keys[start] || length > size) break;
      if (total + length > GSO_MAX_BYTES) break;
      total += length;
      end++;
      if (length < size) break; // a shorter one ends the run
    }
    return end;
  }

  /** Points the GSO `msghdr` at datagrams `[start, end)`, segmented at the first one's size. */
  prepareGso(start: number, end: number): void {
    const name = this.#names + start * NAME_SLOT_BYTES;
    this.#setAddress(this.#gso, name);
    this.#view.setUint32(
      this.#gso + 8,
      this.#view.getUint32(start * MMSGHDR_BYTES + 8, true),
      true,
    );
    this.#setAddress(this.#gso + 16, this.#iovecs + start * IOVEC_BYTES);
    this.#view.setBigUint64(this.#gso + 24, BigInt(end - start), true);
    this.#view.setUint16(this.#gso + MSGHDR_BYTES + 16, this.#lengths[start]!, true);
  }

  /** Writes at `at` the address of the block's byte `offset`. */
  #setAddress(at: number, offset: number): void {
    this.#view.setBigUint64(at, this.#base + BigInt(offset), true);
  }
}
