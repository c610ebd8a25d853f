/**
 * The UDP driver of the file channel: one socket, one sans-IO endpoint, and the loop that
 * feeds it datagrams and deadlines and sends what it produces.
 * @module
 */
import { clearImmediate, setImmediate } from "node:timers";
import { BATCH_DATAGRAMS } from "./datagram_batch.ts";
import { BatchSender, type BatchStats } from "./batch_send.ts";
import { BatchReceiver, type ReceiveStats } from "./batch_receive.ts";
import { libcSocket } from "./libc_socket.ts";
import { sockaddrIn } from "./sockaddr.ts";

/**
 * Deadlines nearer than this, in ms, are awaited by yielding to the event loop (`setImmediate`:
 * a few µs, and received datagrams still come in) rather than by `setTimeout`, which never
 * sleeps less than ~2 ms in Deno. Farther ones sleep and wake up to ~2 ms late, which the pacer
 * credits; polling for them too would keep a core busy through a whole paced transfer (measured:
 * 1.4 s of CPU instead of 0.4 s for 64 MiB at 25 MB/s). Only a pending deadline polls, so an idle
 * driver never spins.
 */
export const SHORT_WAIT_MS = 0.5;

/**
 * `recvmmsg` calls of {@linkcode BATCH_DATAGRAMS} one drain may make after a Deno `receive`
 * before the driver sends what the machine has (ACKs, more data) and turns the event loop:
 * 128 datagrams, more than a sender's pacer lets go in one burst (`MAX_BURST_BYTES`, 104 KiB),
 * so that ACKs go out between bursts even when a large receive buffer holds several.
 */
export const MAX_DRAIN_CALLS = 4;

/**
 * How often the driver looks in its socket's queue itself while its Deno `receive` waits, ms:
 * a safety net under the batched receive path. At 30% loss on a real path, about one download
 * in five stalled with the client hearing nothing while the server's probes went out (session
 * 17, not explained yet); what this finds is counted in `receiveStats.rescued`.
 */
export const RECEIVE_WATCHDOG_MS = 100;

/** What the driver needs of a sans-IO endpoint (`ServerEndpoint`, or a client adapter). */
export interface DatagramMachine {
  handleDatagram(now: number, bytes: Uint8Array, from: string): void;
  handleTimeout(now: number): void;
  /** The next datagram; it may be a view of `into` (the driver's reused send buffer). */
  pollTransmit(now: number, into: Uint8Array): Outgoing | null;
  pollTimeout(): number | null;
}

/** Largest UDP payload over IPv4, bytes: what the send buffer holds. */
export const MAX_DATAGRAM_BYTES = 65_507;

/** A datagram a machine hands its driver. */
type Outgoing = { to: string; bytes: Uint8Array };

/** Settings of a {@linkcode UdpDriver}. */
export interface UdpDriverOptions {
  /** Called after every batch of input so the owner can drain the machine's events. */
  onActivity?: () => void;
  /**
   * Hears what `onActivity` or the machine threw; the loops go on (default: printed on
   * stderr). The protocol cores contain their own errors per connection, so this hears only
   * what escaped them.
   */
  onError?: (error: unknown) => void;
  /** Largest datagram to receive (default 65,535: a larger one would be cut silently). */
  receiveBytes?: number;
  /** The clock in ms the machine runs on (default `performance.now`). */
  clock?: () => number;
  /**
   * Whether to send and receive in batches through libc where it can ({@linkcode BatchSender},
   * {@linkcode BatchReceiver}; default true): false keeps Deno's `send` and `receive` for every
   * datagram.
   */
  batched?: boolean;
}

/**
 * Runs a {@linkcode DatagramMachine} on a socket. Receives into one reused buffer (the
 * machine copies what it keeps) through Deno's `receive`, then what else waits in the queue
 * through libc's `recvmmsg` where it can ({@linkcode BatchReceiver}), waking the machine once
 * for them all. Sends in batches of up to {@linkcode BATCH_DATAGRAMS} through
 * libc where it can ({@linkcode BatchSender}: GSO and `sendmmsg`), else one datagram at a time
 * through Deno's `send`, and yields to the event loop between batches so the receive loop is
 * never starved (the protocol's pacing and windows run on the ACKs it brings). A send the
 * kernel refuses (EPERM from a firewall, ENOBUFS, EMSGSIZE) counts as a lost packet. Nothing
 * the machine or the owner throws ends a loop (or the process): it is reported to `onError`
 * and the loops go on.
 *
 * @example
 * ```ts ignore
 * const socket = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
 * const driver = new UdpDriver(socket, endpoint, { onActivity: drainEvents });
 * driver.wake(); // after changing the machine from outside
 * await driver.close();
 * ```
 */
export class UdpDriver {
  readonly #socket: Deno.DatagramConn;
  readonly #machine: DatagramMachine;
  readonly #onActivity: () => void;
  readonly #onError: (error: unknown) => void;
  readonly #clock: () => number;
  readonly #peers = new Map<string, Peer>();
  readonly #receiving: Promise<void>;
  /** What datagrams are encoded into: `send` copies its input, so one buffer serves them all. */
  readonly #sendBuffer = new Uint8Array(MAX_DATAGRAM_BYTES);
  /** The batched path, or null for Deno's `send` (no libc or FFI here, or not asked for). */
  readonly #batch: BatchSender | null;
  /** The batched receive path, or null for Deno's `receive` alone. */
  readonly #receiver: BatchReceiver | null;
  /** When the datagrams of the drain under way were received, for `#handleDrained`. */
  #drainedAt = 0;
  /** When the receive loop last handled a datagram, and the watchdog's timer. */
  #receivedAt = -Infinity;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #firedAt = -Infinity;
  #lastFrom: { port: number; hostname: string; key: string } | null = null;
  #sending: Promise<void> | null = null;
  #closed = false;
  /** Sends the kernel refused; each is a lost packet to the protocol. */
  sendErrors = 0;
  /** Errors thrown by the machine or the owner's callback, each reported to `onError`. */
  errors = 0;

  /** Starts receiving at once. */
  constructor(socket: Deno.DatagramConn, machine: DatagramMachine, options: UdpDriverOptions = {}) {
    this.#socket = socket;
    this.#machine = machine;
    this.#onActivity = options.onActivity ?? (() => {});
    const onError = options.onError ?? ((error) => console.error("UDP driver:", error));
    this.#onError = (error) => {
      this.errors++;
      try {
        onError(error);
      } catch (failure) {
        console.error("UDP driver: the error handler threw:", failure, "on", error);
      }
    };
    this.#clock = options.clock ?? (() => performance.now());
    const receiveBytes = options.receiveBytes ?? 65_535;
    const libc = options.batched === false ? null : libcSocket(socket);
    const slots = { capacity: BATCH_DATAGRAMS, slotBytes: MAX_DATAGRAM_BYTES };
    this.#batch = libc === null ? null : BatchSender.on(libc, slots);
    this.#receiver = libc === null
      ? null
      : BatchReceiver.on(libc, { ...slots, slotBytes: receiveBytes });
    // Every step of the loops is guarded; the catch only keeps a rejection from being unhandled.
    this.#receiving = this.#receiveLoop(receiveBytes).catch(this.#onError);
    if (this.#receiver !== null) {
      this.#watchdog = setInterval(() => this.#watch(), RECEIVE_WATCHDOG_MS);
      Deno.unrefTimer(this.#watchdog);
    }
  }

  /** The local address of the socket. */
  get addr(): Deno.NetAddr {
    return this.#socket.addr as Deno.NetAddr;
  }

  /** Counts of the batched send path, or null where datagrams go one by one through Deno. */
  get batchStats(): Readonly<BatchStats> | null {
    return this.#batch?.stats ?? null;
  }

  /** Counts of the batched receive path, or null where Deno's `receive` takes every datagram. */
  get receiveStats(): Readonly<ReceiveStats> | null {
    return this.#receiver?.stats ?? null;
  }

  /** Sends what the machine has to send and re-arms its timer; call after changing it. */
  wake(): void {
    if (this.#closed) return;
    // The owner's bug or I/O error must not kill the socket loops (or the process).
    try {
      this.#onActivity();
    } catch (error) {
      this.#onError(error);
    }
    this.#startSending();
    this.#arm();
  }

  /** Stops the loops and closes the socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#watchdog);
    clearTimeout(this.#timer);
    clearImmediate(this.#immediate);
    try {
      this.#socket.close();
    } catch {
      // Closed already.
    }
    await Promise.all([this.#receiving, this.#sending]);
  }

  /**
   * Receives with Deno's `receive`, which waits for a datagram, then takes what else waits in
   * the queue through `recvmmsg`, and wakes the machine once for them all.
   */
  async #receiveLoop(size: number): Promise<void> {
    const buffer = new Uint8Array(size);
    while (!this.#closed) {
      let received: [Uint8Array, Deno.Addr];
      try {
        received = await this.#socket.receive(buffer);
      } catch (error) {
        if (this.#closed || error instanceof Deno.errors.BadResource) return;
        continue; // ICMP errors surface here on some systems: not fatal to the socket.
      }
      const [bytes, from] = received;
      this.#receivedAt = this.#clock();
      this.#handle(this.#receivedAt, bytes, this.#keyOf(from as Deno.NetAddr));
      if (this.#receiver !== null) this.#drain(this.#receiver);
      this.wake();
    }
  }

  /** Takes the datagrams waiting in the queue, up to {@linkcode MAX_DRAIN_CALLS} batches. */
  #drain(receiver: BatchReceiver): void {
    for (let call = 0; call < MAX_DRAIN_CALLS && !this.#closed; call++) {
      this.#drainedAt = this.#clock();
      if (receiver.deliver(this.#handleDrained) < receiver.batch.capacity) return;
    }
  }

  /**
   * The watchdog's look: with nothing received for a whole period, takes what waits in the
   * queue anyway (a Deno `receive` may be pending: it then waits for the next datagram).
   */
  #watch(): void {
    const receiver = this.#receiver;
    if (receiver === null || this.#closed) return;
    if (this.#clock() - this.#receivedAt < RECEIVE_WATCHDOG_MS) return;
    const before = receiver.stats.batched;
    this.#drain(receiver);
    const rescued = receiver.stats.batched - before;
    if (rescued === 0) return;
    receiver.stats.rescued += rescued;
    this.#receivedAt = this.#clock();
    this.wake();
  }

  readonly #handleDrained = (bytes: Uint8Array, from: string): void => {
    this.#handle(this.#drainedAt, bytes, from);
  };

  /** Hands the machine one datagram; what it throws is reported and the loop goes on. */
  #handle(now: number, bytes: Uint8Array, from: string): void {
    try {
      this.#machine.handleDatagram(now, bytes, from);
    } catch (error) {
      this.#onError(error);
    }
  }

  /** Starts a send loop if none runs and the machine has a datagram: most inputs give none. */
  #startSending(): void {
    if (this.#sending !== null) return;
    const batch = this.#batch;
    const first = this.#nextDatagram(batch?.batch.next() ?? this.#sendBuffer);
    if (first === null) return;
    const sending = batch === null ? this.#sendLoop(first) : this.#sendBatches(batch, first);
    this.#sending = sending.catch(this.#onError).finally(() => {
      this.#sending = null;
      // An input between the loop's last poll and here found the loop still running and left
      // its datagrams to it: they are sent now, or a machine with nothing in flight (a server
      // just validated, its first flight due) waits out its idle timeout in silence.
      this.#startSending();
      this.#arm();
    });
  }

  async #sendLoop(first: Outgoing): Promise<void> {
    for (let out: Outgoing | null = first; out !== null;) {
      await this.#sendOne(out.bytes, out.to);
      out = this.#nextDatagram(this.#sendBuffer);
    }
  }

  /**
   * Gathers what the machine has into batches (each datagram written into its own slot of the
   * batch) and sends each in few calls, with a turn of the event loop after each full one: what
   * was received meanwhile (ACKs) reaches the machine before it is polled again.
   */
  async #sendBatches(sender: BatchSender, first: Outgoing): Promise<void> {
    const batch = sender.batch;
    for (let out: Outgoing | null = first; out !== null;) {
      for (; out !== null; out = batch.full ? null : this.#nextDatagram(batch.next())) {
        batch.push(out.bytes, out.to, this.#peer(out.to).name);
      }
      const full = batch.full;
      try {
        await sender.flush(this.#sendFromBatch);
      } finally {
        batch.clear();
      }
      if (this.#closed) return;
      // A full batch may have more behind it: a turn of the event loop first lets what was
      // received meanwhile in. After a partial one the machine had nothing more, and an extra
      // turn would only delay what it has next (ACKs, on a client) behind every receive queued.
      if (full) await new Promise((resume) => setImmediate(resume));
      out = this.#nextDatagram(batch.next());
    }
  }

  /** Sends datagram `i` of the batch through Deno; false once the socket is closed. */
  readonly #sendFromBatch = async (i: number): Promise<boolean> => {
    const batch = this.#batch!.batch;
    await this.#sendOne(batch.datagram(i), batch.key(i));
    return !this.#closed;
  };

  /** Sends one datagram through Deno's awaited `send`; a refusal is a lost packet. */
  async #sendOne(bytes: Uint8Array, to: string): Promise<void> {
    try {
      await this.#socket.send(bytes, this.#peer(to).address);
    } catch {
      if (!this.#closed) this.sendErrors++;
    }
  }

  /**
   * The machine's next datagram; none when closed, or when it throws (the next wake retries).
   * A deadline that passed is run first: while a send loop goes on, `#arm` leaves near
   * deadlines to it, and a server with many transfers may always have one with data to send.
   */
  #nextDatagram(into: Uint8Array): Outgoing | null {
    if (this.#closed) return null;
    const now = this.#clock();
    this.#runDue(now);
    try {
      return this.#machine.pollTransmit(now, into);
    } catch (error) {
      this.#onError(error);
      return null;
    }
  }

  /**
   * Runs the machine's timers if its deadline passed: once per deadline it leaves in place,
   * unless `again` (a timer that slept first).
   */
  #runDue(now: number, { again = false } = {}): void {
    // Once per datagram sent: no closure for `#guarded` here.
    try {
      const deadline = this.#machine.pollTimeout();
      if (deadline === null || deadline > now) return;
      if (deadline === this.#firedAt && !again) return;
      this.#firedAt = deadline; // set first: a machine that throws is not retried at once
      this.#machine.handleTimeout(now);
    } catch (error) {
      this.#onError(error);
    }
  }

  #arm(): void {
    if (this.#closed) return;
    const deadline = this.#pollTimeout();
    if (deadline === null) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#timerAt = Infinity;
      return;
    }
    const wait = deadline - this.#clock();
    // A deadline the machine left in place after it fired gets no fast retry: no spinning on it.
    if (wait < SHORT_WAIT_MS && deadline !== this.#firedAt) {
      // A send under way re-arms when it ends: polling meanwhile would only spin. The poll
      // re-reads the deadline each turn, so one pending poll serves any deadline.
      if (this.#sending === null) this.#immediate ??= setImmediate(() => this.#poll());
      return;
    }
    // Re-arming per datagram would be costly: keep a timer that fires no later than needed.
    if (deadline >= this.#timerAt && this.#timer !== undefined) return;
    clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, wait));
  }

  #poll(): void {
    this.#immediate = undefined;
    if (this.#closed) return;
    const deadline = this.#pollTimeout();
    if (deadline !== null && deadline <= this.#clock()) return this.#fire();
    this.#arm();
  }

  #fire(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#closed) return;
    // After a sleep, a deadline the machine left in place is run again.
    this.#runDue(this.#clock(), { again: true });
    this.wake();
  }

  /** The machine's deadline; one that throws has none until the next input. */
  #pollTimeout(): number | null {
    return this.#guarded(() => this.#machine.pollTimeout(), null);
  }

  /** Runs `call`; what it throws is reported, never passed on, and `fallback` is returned. */
  #guarded<T>(call: () => T, fallback: T): T {
    try {
      return call();
    } catch (error) {
      this.#onError(error);
      return fallback;
    }
  }

  /** The key of `address`; a transfer's datagrams come from one peer, so the last is kept. */
  #keyOf(address: Deno.NetAddr): string {
    let last = this.#lastFrom;
    if (last === null || last.port !== address.port || last.hostname !== address.hostname) {
      last = { port: address.port, hostname: address.hostname, key: addressKey(address) };
      this.#lastFrom = last;
    }
    return last.key;
  }

  #peer(key: string): Peer {
    let peer = this.#peers.get(key);
    if (peer === undefined) {
      const address = parseAddressKey(key);
      peer = { address, name: sockaddrIn(address) };
      this.#peers.set(key, peer);
    }
    return peer;
  }
}

/** A destination as each send path needs it: Deno's address, and libc's (null: not IPv4). */
type Peer = { address: Deno.NetAddr; name: Uint8Array | null };

/** The key of an address as the machines use it: `host:port`, IPv6 in brackets. */
export function addressKey(address: Deno.NetAddr): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}

/** Parses an {@linkcode addressKey} back into a UDP address. */
export function parseAddressKey(key: string): Deno.NetAddr {
  const colon = key.lastIndexOf(":");
  const host = key.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  return { transport: "udp", hostname: host, port: Number(key.slice(colon + 1)) };
}
