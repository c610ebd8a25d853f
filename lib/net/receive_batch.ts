/**
 * The memory `recvmmsg` fills in one system call: fixed slots the datagrams land in, a
 * `sockaddr_in` slot per datagram for its sender, and the `struct mmsghdr` array pointing at
 * them. Pure layout: where the block lies in memory is given, so a test can play the kernel.
 * The structures are those of 64-bit Linux (see `message_vector.ts`).
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
import { SOCKADDR_IN_BYTES } from "./sockaddr.ts";
/** `MSG_TRUNC` in `msg_flags`: the datagram was longer than its slot, and was cut. */
const MSG_TRUNC = 0x20;
/** `AF_INET` on Linux. */
const AF_INET = 2;

/**
 * Up to `capacity` received datagrams of at most `slotBytes` each, with their senders.
 * {@linkcode ReceiveBatch.reset} readies it for a call; the kernel (or a test) writes datagram
 * `i` into slot `i`, its length into `msg_len` and its sender into name slot `i`.
 *
 * @example
 * ```ts
 * import { ReceiveBatch } from "./receive_batch.ts";
 * const batch = new ReceiveBatch(4, 1500, () => 0x1000n);
 * batch.reset();
 * console.assert(batch.messagesAddress === 0x1000n);
 * ```
 */
export class ReceiveBatch {
  /** The whole block: headers first (8-byte aligned), then the slots. */
  readonly block: Uint8Array;
  readonly capacity: number;
  readonly slotBytes: number;
  /** Address of `mmsghdr[0]`, what `recvmmsg` is given. */
  readonly messagesAddress: bigint;
  readonly #view: DataView;
  readonly #base: bigint;
  readonly #slots: Uint8Array[] = [];
  readonly #names: number;
  readonly #data: number;
  /** The last sender's key, and its name bytes (port and address) as a number, to reuse. */
  #lastName = -1;
  #lastKey = "";

  /** `addressOf` tells where a buffer's bytes lie (libc's `memmove` in the driver). */
  constructor(capacity: number, slotBytes: number, addressOf: (block: Uint8Array) => bigint) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("Bad batch capacity");
    this.capacity = capacity;
    this.slotBytes = slotBytes;
    const vector = messageVector(capacity);
    this.#names = vector.names;
    this.#data = vector.end;
    this.block = new Uint8Array(this.#data + capacity * slotBytes);
    this.#view = new DataView(this.block.buffer);
    this.#base = addressOf(this.block);
    this.messagesAddress = this.#base;
    for (let i = 0; i < capacity; i++) {
      const at = this.#data + i * slotBytes;
      this.#slots.push(this.block.subarray(at, at + slotBytes));
      linkMessage(this.#view, this.#base, vector, i, at);
      const iovLen = vector.iovecs + i * IOVEC_BYTES + 8;
      this.#view.setBigUint64(iovLen, BigInt(slotBytes), true);
    }
  }

  /** Readies every message for a call: the kernel shortens each name length it writes. */
  reset(): void {
    for (let i = 0; i < this.capacity; i++) {
      this.#view.setUint32(i * MMSGHDR_BYTES + 8, NAME_SLOT_BYTES, true); // msg_namelen
    }
  }

  /**
   * Datagram `i` of the last call, a view of its slot that the next call overwrites; null when
   * the kernel cut it (longer than a slot): a datagram the driver must count as dropped.
   */
  datagram(i: number): Uint8Array | null {
    const header = i * MMSGHDR_BYTES;
    if ((this.#view.getInt32(header + 48, true) & MSG_TRUNC) !== 0) return null; // msg_flags
    const length = this.#view.getUint32(header + 56, true); // msg_len
    return this.#slots[i]!.subarray(0, Math.min(length, this.slotBytes));
  }

  /**
   * The sender of datagram `i` as an address key (`host:port`, what `addressKey` makes), or
   * null for a name that is not IPv4 (the batch path runs on IPv4 sockets only).
   */
  sender(i: number): string | null {
    const header = i * MMSGHDR_BYTES;
    const at = this.#names + i * NAME_SLOT_BYTES;
    if (this.#view.getUint32(header + 8, true) !== SOCKADDR_IN_BYTES) return null;
    if (this.#view.getUint16(at, true) !== AF_INET) return null;
    const port = this.#view.getUint16(at + 2, false);
    const address = this.#view.getUint32(at + 4, false);
    // A transfer's datagrams come from one peer: its key is made once.
    const name = address * 65_536 + port;
    if (name !== this.#lastName) {
      const b = this.block;
      this.#lastKey = `${b[at + 4]}.${b[at + 5]}.${b[at + 6]}.${b[at + 7]}:${port}`;
      this.#lastName = name;
    }
    return this.#lastKey;
  }
}
