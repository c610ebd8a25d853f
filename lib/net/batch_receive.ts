/**
 * Takes what waits in a Deno UDP socket's receive queue in few system calls, through libc's
 * `recvmmsg`, after Deno's own `receive` has brought the first datagram of a burst. Deno's
 * `receive` costs an async op, a promise and a turn of the event loop per datagram; a
 * `recvmmsg` of 32 costs one call (bench/RESULTS.md, "Session 17: batched receive, announced
 * receive buffers": 160 ms of a 64 MiB download's receiving became 20–30).
 *
 * @module
 */
import type { Libc } from "./libc.ts";
import type { LibcSocket } from "./libc_socket.ts";
import { ReceiveBatch } from "./receive_batch.ts";

/** `MSG_DONTWAIT`: never block, even if the descriptor were blocking. */
const MSG_DONTWAIT = 0x40;

/** Counts of a {@linkcode BatchReceiver}. */
export interface ReceiveStats {
  /** `recvmmsg` calls that brought at least one datagram. */
  calls: number;
  /** Datagrams those calls brought. */
  batched: number;
  /** Calls that found the queue empty (or failed): each ends a drain. */
  empty: number;
  /** Datagrams dropped because they were longer than a slot, or not from an IPv4 sender. */
  dropped: number;
  /** Datagrams the driver's watchdog found waiting while its Deno `receive` did not return. */
  rescued: number;
}

/**
 * The batched receive path of one socket. It reads the socket's descriptor, which Deno's own
 * `receive` also does. Deno waits for readiness edge-triggered and reads until the queue is
 * empty before it waits again, so datagrams taken here never leave it waiting on a queue that
 * holds any; a Deno `receive` pending meanwhile waits for the next datagram. The driver calls
 * it after each Deno `receive` returns, and from its watchdog while one is pending.
 *
 * @example
 * ```ts ignore
 * const receiver = BatchReceiver.on(libcSocket(socket)!, { capacity: 32, slotBytes: 1500 });
 * while (receiver.deliver((bytes, from) => machine.handleDatagram(now, bytes, from)) === 32);
 * ```
 */
export class BatchReceiver {
  readonly batch: ReceiveBatch;
  readonly #libc: Libc;
  readonly #fd: number;
  /** What came which way, for tests and benchmarks to see. */
  readonly stats: ReceiveStats = { calls: 0, batched: 0, empty: 0, dropped: 0, rescued: 0 };

  /** Receives on descriptor `fd` (found with `findSocketFd`) into `batch`. */
  constructor(libc: Libc, fd: number, batch: ReceiveBatch) {
    this.#libc = libc;
    this.#fd = fd;
    this.batch = batch;
  }

  /** The batched receive path of a socket found already, `capacity` slots of `slotBytes`. */
  static on(socket: LibcSocket, options: { capacity: number; slotBytes: number }): BatchReceiver {
    const batch = new ReceiveBatch(options.capacity, options.slotBytes, socket.addressOf);
    return new BatchReceiver(socket.libc, socket.fd, batch);
  }

  /**
   * Takes up to a batch of waiting datagrams without blocking; how many (0: none waits, or the
   * call failed, which ends the drain either way: Deno's `receive` reports what persists).
   */
  receive(): number {
    const batch = this.batch;
    batch.reset();
    const count = this.#libc.recvmmsg(
      this.#fd,
      batch.messagesAddress,
      batch.capacity,
      MSG_DONTWAIT,
      0n,
    );
    if (count <= 0) {
      this.stats.empty++;
      return 0;
    }
    this.stats.calls++;
    this.stats.batched += count;
    return count;
  }

  /**
   * One {@linkcode receive}, and each datagram it brought handed to `handle` with its sender's
   * key (a view the next call overwrites); one cut short or from a sender that is not IPv4 is
   * counted in `dropped` instead. Returns how many the call brought, dropped ones included.
   */
  deliver(handle: (bytes: Uint8Array, from: string) => void): number {
    const count = this.receive();
    const batch = this.batch;
    for (let i = 0; i < count; i++) {
      const bytes = batch.datagram(i);
      const from = batch.sender(i);
      if (bytes === null || from === null) this.stats.dropped++;
      else handle(bytes, from);
    }
    return count;
  }
}
