/**
 * Sends a {@linkcode DatagramBatch} on a Deno UDP socket in few system calls, through libc: GSO
 * `sendmsg` (`UDP_SEGMENT`) for each run to one destination of equal sizes but the last, where
 * the kernel cuts one buffer into datagrams, and `sendmmsg` for the datagrams between runs.
 * Deno's `send` costs a system call and a trip through its I/O driver per datagram; a GSO run
 * of 32 costs one call (measured in bench/RESULTS.md, `## UDP send: batched through libc`).
 *
 * @module
 */
import { DatagramBatch } from "./datagram_batch.ts";
import { type Libc, libc as defaultLibc } from "./libc.ts";
import { type LibcSocket, libcSocketAt } from "./libc_socket.ts";

/**
 * GSO sends that may fail in a row, for reasons other than a full socket buffer, before this
 * socket stops trying GSO and sends with `sendmmsg` only (a device or path that cannot
 * segment: EIO without checksum offload, EINVAL from a segment larger than the route's MTU).
 */
export const GSO_FAILURE_LIMIT = 16;

/** Counts of a {@linkcode BatchSender}. */
export interface BatchStats {
  /** System calls that sent datagrams (a GSO `sendmsg` or a `sendmmsg`). */
  calls: number;
  /** Datagrams those calls sent. */
  batched: number;
  /** Datagrams handed to Deno's `send`: refused by a call, or not for the batch path. */
  fallbacks: number;
}

/** `MSG_DONTWAIT`: never block, even if the descriptor were blocking. */
const MSG_DONTWAIT = 0x40;
const EAGAIN = 11;
const MMSGHDR_BYTES = 64n;

/**
 * Sends datagram `i` of the batch through Deno's awaited `send`, counting a refusal as a lost
 * packet; resolves false when the socket closed meanwhile (nothing more may be sent).
 */
export type FallbackSend = (i: number) => Promise<boolean>;

/**
 * The batched send path of one socket. A datagram the kernel does not take (a full socket
 * buffer, EAGAIN; a firewall's EPERM; any other error) goes to the caller's fallback, Deno's
 * awaited `send`, which waits for room or counts the refusal as a lost packet: none is dropped
 * silently, and the datagrams after it go on in batches.
 *
 * @example
 * ```ts ignore
 * const socket = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
 * const sender = BatchSender.open(socket.addr as Deno.NetAddr, { capacity: 32 });
 * // push datagrams into sender.batch, then:
 * await sender?.flush((i) => sendThroughDeno(sender.batch.datagram(i)));
 * ```
 */
export class BatchSender {
  readonly batch: DatagramBatch;
  readonly #libc: Libc;
  readonly #fd: number;
  /** Where errno lies, and a buffer to read it into. */
  readonly #errno: bigint;
  readonly #errnoBytes = new Int32Array(16);
  #gso = true;
  #gsoFailures = 0;
  /** What went which way, for tests and benchmarks to see. */
  readonly stats: BatchStats = { calls: 0, batched: 0, fallbacks: 0 };

  /** Use {@linkcode BatchSender.open}; this takes a descriptor found already. */
  constructor(libc: Libc, fd: number, batch: DatagramBatch) {
    this.#libc = libc;
    this.#fd = fd;
    this.batch = batch;
    this.#errno = BigInt(libc.__errno_location());
  }

  /**
   * The batched path of the socket bound to `address`, with room for `capacity` datagrams of
   * `slotBytes`, or null where there is none (see {@linkcode libcSocketAt}).
   */
  static open(
    address: Deno.NetAddr,
    options: { capacity: number; slotBytes: number; libc?: Libc | null },
  ): BatchSender | null {
    const socket = libcSocketAt(address, options.libc === undefined ? defaultLibc() : options.libc);
    return socket === null ? null : BatchSender.on(socket, options);
  }

  /** The batched path of a socket found already, with room for `capacity` of `slotBytes`. */
  static on(socket: LibcSocket, options: { capacity: number; slotBytes: number }): BatchSender {
    const batch = new DatagramBatch(options.capacity, options.slotBytes, socket.addressOf);
    return new BatchSender(socket.libc, socket.fd, batch);
  }

  /** Whether GSO is still tried (it stops after {@linkcode GSO_FAILURE_LIMIT} failures). */
  get gso(): boolean {
    return this.#gso;
  }

  /** Stops trying GSO on this socket: `sendmmsg` only. */
  disableGso(): void {
    this.#gso = false;
  }

  /**
   * Sends every datagram of the batch, in order per destination: GSO runs, `sendmmsg` between
   * them, and `fallback` for each the kernel refuses and for the batch's outside datagram.
   * Stops when `fallback` says the socket closed.
   */
  async flush(fallback: FallbackSend): Promise<void> {
    const batch = this.batch;
    for (let i = 0; i < batch.count;) {
      const sent = this.#sendFrom(i);
      i += sent;
      if (sent > 0) {
        this.stats.calls++;
        this.stats.batched += sent;
        continue;
      }
      this.stats.fallbacks++;
      if (!await fallback(i)) return;
      i++;
    }
  }

  /** Sends from datagram `i` in one call; how many went (0: datagram `i` needs the fallback). */
  #sendFrom(i: number): number {
    const batch = this.batch;
    const run = batch.gsoRunEnd(i);
    if (run === i) return 0;
    if (run - i > 1 && this.#gso) return this.#sendGso(i, run) ? run - i : 0;
    let end = run; // single datagrams, up to the next GSO run
    while (end < batch.sendable && (!this.#gso || batch.gsoRunEnd(end) === end + 1)) end++;
    const at = batch.messagesAddress + BigInt(i) * MMSGHDR_BYTES;
    const sent = this.#libc.sendmmsg(this.#fd, at, end - i, MSG_DONTWAIT);
    return sent < 0 ? 0 : sent;
  }

  #sendGso(start: number, end: number): boolean {
    this.batch.prepareGso(start, end);
    if (this.#libc.sendmsg(this.#fd, this.batch.gsoMessageAddress, MSG_DONTWAIT) >= 0) {
      this.#gsoFailures = 0;
      return true;
    }
    if (this.#lastErrno() !== EAGAIN && ++this.#gsoFailures >= GSO_FAILURE_LIMIT) {
      this.#gso = false;
    }
    return false;
  }

  /** errno as the last failed call left it (read at once: nothing in between calls libc). */
  #lastErrno(): number {
    this.#libc.read_at(new Uint8Array(this.#errnoBytes.buffer), this.#errno, 4n);
    return this.#errnoBytes[0]!;
  }
}
