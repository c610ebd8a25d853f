/**
 * The TCP driver of the chat hub: accepts connections, feeds the hub what they say,
 * and writes what the hub queues, one writer per connection, never waiting in a fan-out.
 * @module
 */

import type { Hub } from "../chat/hub.ts";
import type { ConnId, HubAction, LogRecord } from "../chat/hub_types.ts";
import { DeliveryCache } from "../irc/delivery_cache.ts";
import { IrcHubLink } from "../irc/irc_hub_link.ts";
import { SharedMeaning } from "../irc/shared_meaning.ts";
import { FlushSchedule } from "./flush_schedule.ts";
import type { Libc } from "./libc.ts";
import { StalledHandshakes } from "./stalled_handshakes.ts";
import { waitAtMost, type Waiters, waitFor, wakeAll } from "./waiting.ts";
import { type PendingWrite, WriteStalls } from "./write_stalls.ts";

/** How often the hub's timers run. */
export const TICK_MS = 1000;
/** How long a closing connection may take to write its last lines. */
export const CLOSE_GRACE_MS = 2000;
/**
 * How long a client of a TLS listener has to finish its handshake: one that stalls is closed,
 * so that half-open connections hold nothing for long (the hub's limits count them meanwhile).
 * Deno 2.9 keeps the socket of a TLS connection closed mid-handshake until its peer sends or
 * closes (its TLS stream awaits the handshake when dropped): the hub forgets it at once, and
 * shuts the socket down so that Deno lets go of it (`StalledHandshakes`, where libc is there).
 */
export const TLS_HANDSHAKE_TIMEOUT_MS = 5000;
/**
 * Longest one read waits while the room is backlogged (see `Hub.backloggedClients`), so that
 * readers stuck without being counted as stalled yet cannot stall the room for long.
 */
export const MAX_READ_PAUSE_MS = 200;
/**
 * Wait after a failed `accept` (EMFILE, ENFILE, ENOBUFS...) before the next one: the listener
 * goes on, and a full descriptor table is not spun on.
 */
export const ACCEPT_RETRY_MS = 100;
// Reads start small so idle connections stay cheap; a full read grows the buffer.
const SMALL_READ_BYTES = 256;
const LARGE_READ_BYTES = 64 * 1024;

/** Actions the TCP driver does not handle itself (files, transfers, history, accounts...). */
export type ActionHandler = (
  action: Exclude<HubAction, { kind: "write" | "close" | "log" }>,
) => void;

/** A connection of a hub listener: TCP, or TLS over TCP. */
export type HubConn = Deno.TcpConn | Deno.TlsConn;

/** What the server needs of a listener (a `Deno.TcpListener` or `Deno.TlsListener` is one). */
export interface HubListener {
  readonly addr: Deno.NetAddr;
  accept(): Promise<HubConn>;
  close(): void;
}

/** A certificate chain and its private key, both PEM, for the TLS listeners. */
export interface TlsKeyPair {
  cert: string;
  key: string;
}

/** Settings of a {@linkcode HubServer}. */
export interface HubServerOptions {
  /** Address to listen on (default `127.0.0.1`). */
  hostname?: string;
  /** Port to listen on; 0 picks a free one (default 50000). */
  port?: number;
  /** Receives the hub's log records (default: dropped). */
  log?: (record: LogRecord) => void;
  /** Handles the actions that need more than TCP. */
  onAction?: ActionHandler;
  /** How often the hub's timers run, in ms (default `TICK_MS`). */
  tickMs?: number;
  /** A listener already bound, served instead of binding `hostname` and `port`. */
  listener?: HubListener;
  /**
   * Port of the IRC listener on `hostname`, 0 for any (default: none). Its connections are hub
   * connections like the others (same limits, per address too), each spoken to through an
   * `IrcHubLink`.
   */
  ircPort?: number;
  /** An IRC listener already bound, served instead of binding `ircPort`. */
  ircListener?: HubListener;
  /**
   * Certificate and key: the chat port (and `ircTlsPort`) speak TLS only, and their
   * connections are `secure` to the hub. Default: plaintext, no TLS listener.
   */
  tls?: TlsKeyPair;
  /** Port of an IRC-over-TLS listener on `hostname`, 0 for any (default: none; needs `tls`). */
  ircTlsPort?: number;
  /** How long a TLS client has to finish its handshake, in ms (default `TLS_HANDSHAKE_TIMEOUT_MS`). */
  handshakeTimeoutMs?: number;
  /**
   * libc, to let go of connections closed mid-handshake (see `StalledHandshakes`); null for
   * none, which leaves each to hold its descriptor until its peer speaks. Default: `libc()`.
   */
  libc?: Libc | null;
}

/** What a listener's connections speak: IRC or chat lines, over TLS or not. */
interface ListenerKind {
  readonly irc: boolean;
  readonly secure: boolean;
}

interface Listening extends ListenerKind {
  readonly listener: HubListener;
}

interface Socket {
  readonly conn: HubConn;
  /**
   * The TLS handshake until it settles (true if it succeeded), `null` once done or without TLS.
   * Nothing is read or written before it succeeds.
   */
  handshake: Promise<boolean> | null;
  /** Deno's handshake has not ended yet: closed now, the socket stays open (see `StalledHandshakes`). */
  tlsPending: boolean;
  writing: Promise<void> | null;
  /** More output was queued while `writing`: it goes out in the next flush. */
  more: boolean;
  /** The write in progress, to tell a stalled peer from a busy one. */
  write: PendingWrite | null;
  closed: boolean;
  /** For an IRC client: what speaks IRC to it and JSON lines to the hub; `null` otherwise. */
  readonly link: IrcHubLink | null;
  /** The link asked to close: the close is under way. */
  linkClosing: boolean;
}

/**
 * Serves a {@linkcode Hub} over TCP. Every hub call is given {@linkcode monotonicNow}; give
 * the hub a `wallClock` for the times it shows.
 *
 * @example
 * ```ts ignore
 * const server = new HubServer(new Hub(), { port: 0 });
 * console.log(server.port);
 * await server.shutdown();
 * ```
 */
export class HubServer {
  readonly #hub: Hub;
  // The chat listener first, then the IRC ones asked for.
  readonly #listeners: Listening[];
  // Shared by the IRC links: a broadcast is parsed and formatted once, not once per member.
  readonly #ircMeanings = new SharedMeaning();
  readonly #ircDeliveries = new DeliveryCache();
  readonly #sockets = new Map<ConnId, Socket>();
  readonly #log: (record: LogRecord) => void;
  readonly #onAction: ActionHandler;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #accepting: Promise<void>[];
  readonly #handshakeMs: number;
  // Connections closed mid-handshake, shut down so that Deno lets go; null without TLS.
  readonly #stalled: StalledHandshakes | null;
  // Read loops still running, and who waits for the last of them (a count, not a set of
  // promises: that would cost every idle connection a promise and a callback more).
  #readers = 0;
  readonly #onReadersDone: Waiters = [];
  readonly #flushes = new FlushSchedule(
    (id) => this.#startWriter(id),
    () => this.#busyWriters(),
  );
  #activeWriters = 0;
  // The connection whose input the hub is handling: output for it is its reply (see `#carryOut`).
  #serving: ConnId | null = null;
  // Writes stuck on peers that stopped reading: their long queues never pause reads, so a few
  // stuck readers cannot slow the room (they are dropped when full).
  readonly #stalls = new WriteStalls();
  // Wake-ups for reads waiting out a backlog.
  readonly #onBacklogCleared: Waiters = [];
  #stopping: Promise<void> | null = null;
  // The wake-up for the hub's next deadline (`Hub.pollTimeout`), and when it is set for.
  #wakeup: ReturnType<typeof setTimeout> | null = null;
  #wakeupAt = Infinity;

  /** Starts listening at once; throws if the address cannot be bound. */
  constructor(hub: Hub, options: HubServerOptions = {}) {
    this.#hub = hub;
    this.#log = options.log ?? (() => {});
    this.#onAction = options.onAction ?? (() => {});
    this.#handshakeMs = options.handshakeTimeoutMs ?? TLS_HANDSHAKE_TIMEOUT_MS;
    this.#listeners = openListeners(options);
    this.#stalled = this.#watchStalled(options);
    const tickMs = options.tickMs ?? TICK_MS;
    this.#timer = setInterval(() => {
      this.#run(() => {
        this.#stalls.update(performance.now());
        hub.tick(monotonicNow());
      });
    }, tickMs);
    this.#accepting = this.#listeners.map((listening) => this.#acceptLoop(listening));
  }

  /** With a TLS listener, what lets go of connections closed mid-handshake; says if it cannot. */
  #watchStalled(options: HubServerOptions): StalledHandshakes | null {
    if (!this.#listeners.some((l) => l.secure)) return null;
    const stalled = new StalledHandshakes(
      options.libc === undefined ? {} : { library: options.libc },
    );
    if (!stalled.available) {
      this.#log({
        level: "warn",
        event: "tls_release_unavailable",
        detail: "No libc through FFI: a client that stalls its TLS handshake holds a descriptor " +
          "until it sends or closes",
      });
    }
    return stalled;
  }

  /** The address actually bound. */
  get addr(): Deno.NetAddr {
    return this.#listeners[0]!.listener.addr;
  }

  /** The port actually bound (useful with port 0). */
  get port(): number {
    return this.addr.port;
  }

  /** Whether the chat port speaks TLS. */
  get secure(): boolean {
    return this.#listeners[0]!.secure;
  }

  /** The plaintext IRC listener's port actually bound, `null` without one. */
  get ircPort(): number | null {
    return this.#listenerPort(true, false);
  }

  /** The IRC-over-TLS listener's port actually bound, `null` without one. */
  get ircTlsPort(): number | null {
    return this.#listenerPort(true, true);
  }

  #listenerPort(irc: boolean, secure: boolean): number | null {
    const found = this.#listeners.find((l) => l.irc === irc && l.secure === secure);
    return found?.listener.addr.port ?? null;
  }

  /** Runs a hub call from outside (an action's reply) and carries out what follows. */
  run(call: (hub: Hub, now: number) => void): void {
    this.#run(() => call(this.#hub, monotonicNow()));
  }

  /** Stops accepting, tells every client, waits for them to close; resolves when done. */
  shutdown(reason?: string): Promise<void> {
    this.#stopping ??= this.#stop(reason);
    return this.#stopping;
  }

  async #stop(reason?: string): Promise<void> {
    clearInterval(this.#timer);
    if (this.#wakeup !== null) clearTimeout(this.#wakeup);
    for (const { listener } of this.#listeners) listener.close();
    await Promise.all(this.#accepting);
    this.#run(() => this.#hub.shutdown(monotonicNow(), reason));
    while (this.#sockets.size > 0) {
      await Promise.all([...this.#sockets.keys()].map((id) => this.#closeAfterFlush(id)));
    }
    // Every socket is closed, so each pending read ends at once; the bound is a safety net.
    const deadline = performance.now() + CLOSE_GRACE_MS;
    while (this.#readers > 0 && performance.now() < deadline) {
      await waitFor(this.#onReadersDone, deadline - performance.now());
    }
    this.#stalled?.flush();
  }

  /** Accepts until the listener closes; a failed accept is logged and retried, never fatal. */
  async #acceptLoop({ listener, ...kind }: Listening): Promise<void> {
    for (;;) {
      let conn: HubConn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (this.#stopping !== null || error instanceof Deno.errors.BadResource) return;
        // EMFILE and the like: say so, breathe, and go on serving the others.
        this.#log({ level: "warn", event: "accept_failed", detail: messageOf(error) });
        await new Promise((ok) => setTimeout(ok, ACCEPT_RETRY_MS));
        continue;
      }
      try {
        this.#adopt(conn, kind);
      } catch (error) {
        this.#log({ level: "warn", event: "accept_failed", detail: describeError(error) });
        closeQuietly(conn);
      }
    }
  }

  /** Registers a new connection with the hub (which counts it per address) and reads it. */
  #adopt(conn: HubConn, kind: ListenerKind): void {
    const address = conn.remoteAddr.hostname;
    try {
      if ("setNoDelay" in conn) conn.setNoDelay(true);
    } catch {
      // The peer may already be gone; the read loop will find out.
    }
    const link = kind.irc ? this.#newLink() : null;
    const socket: Socket = {
      conn,
      handshake: null,
      tlsPending: false,
      writing: null,
      more: false,
      write: null,
      closed: false,
      link,
      linkClosing: false,
    };
    let id = 0;
    // Registered before the handshake, so that the hub's limits count half-open connections.
    this.#run(() => {
      const gateway = link === null ? {} : { gateway: link };
      id = this.#hub.connect(monotonicNow(), address, { secure: kind.secure, ...gateway });
      this.#sockets.set(id, socket);
      // Before the hub's greeting is carried out: it waits for the handshake.
      if (kind.secure) this.#startHandshake(id, socket);
    });
    if (id === 0) throw new Error("Cannot register the connection with the hub");
    this.#readers++;
    this.#readLoop(id, socket);
  }

  /**
   * Runs the TLS handshake, at most {@linkcode TLS_HANDSHAKE_TIMEOUT_MS}: it stands for a
   * write in progress meanwhile, so the greeting waits for it (and a close waits for it, at
   * most `CLOSE_GRACE_MS`, to tell a refused client why). A failed or stalled one ends the
   * session.
   */
  #startHandshake(id: ConnId, socket: Socket): void {
    socket.tlsPending = true;
    const handshake = (socket.conn as Deno.TlsConn).handshake().then(() => {
      socket.tlsPending = false;
      return true;
    }, (error) => {
      socket.tlsPending = false;
      if (!socket.closed) this.#logPeerError("tls_failed", id, error);
      return false;
    });
    socket.handshake = waitAtMost(handshake, this.#handshakeMs).then((ok) => {
      if (ok === null && !socket.closed) {
        this.#log({ level: "info", event: "tls_timeout", conn: id, ...addressOf(socket) });
      }
      return ok === true;
    });
    socket.writing = socket.handshake.then((ok) => {
      socket.handshake = null;
      socket.writing = null;
      if (!ok) return this.#endSession(id, socket);
      if (socket.more && !socket.closed) {
        socket.more = false;
        this.#flushes.add(id);
      }
    });
  }

  /**
   * Reads until the peer or the hub ends the session; whatever fails, only this one ends. One
   * async function per connection, not one awaiting another: each waiting one costs an idle
   * connection a generator, a promise and their callbacks.
   */
  async #readLoop(id: ConnId, socket: Socket): Promise<void> {
    try {
      // A TLS session reads nothing before its handshake is done, and nothing at all if it failed.
      if (socket.handshake !== null && !(await socket.handshake)) return;
      let buffer = new Uint8Array(SMALL_READ_BYTES);
      for (;;) {
        // Checked here, not in the call, so that a read costs no extra promise when all is clear.
        if (this.#hub.backloggedClients > 0) await this.#pauseWhileBacklogged();
        let n: number | null;
        try {
          n = await socket.conn.read(buffer);
        } catch (error) {
          // Reset by the peer, or closed by us: either way the connection is over.
          if (!socket.closed) this.#logPeerError("read_failed", id, error);
          return;
        }
        if (n === null || socket.closed) return;
        const bytes = buffer.subarray(0, n);
        this.#serving = id;
        // A hub call that throws is a bug: it ends this session only.
        const ok = this.#run(() => this.#received(id, socket, bytes), id);
        this.#serving = null;
        if (!ok) return;
        if (n === buffer.length && buffer.length < LARGE_READ_BYTES) {
          buffer = new Uint8Array(LARGE_READ_BYTES);
        }
      }
    } catch (error) {
      this.#log({ level: "warn", event: "read_failed", conn: id, detail: describeError(error) });
    } finally {
      this.#endSession(id, socket);
      if (--this.#readers === 0) wakeAll(this.#onReadersDone);
    }
  }

  /** Feeds the hub what a client sent: as is, or through its IRC link. */
  #received(id: ConnId, socket: Socket, bytes: Uint8Array): void {
    const now = monotonicNow();
    if (socket.link === null) return this.#hub.receive(id, bytes, now);
    socket.link.fromClient(now, bytes);
    this.#afterLink(id, socket, now);
  }

  /** Carries out what an IRC link has for the hub, the client, or the close. */
  #afterLink(id: ConnId, socket: Socket, now: number): void {
    const link = socket.link!;
    const input = link.takeHubInput();
    if (input !== null) this.#hub.receive(id, input, now);
    if (link.hasClientOutput) this.#flushes.add(id);
    if (link.closeReason !== null && !socket.linkClosing) {
      socket.linkClosing = true;
      queueMicrotask(() => this.#closeAfterFlush(id));
    }
  }

  #newLink(): IrcHubLink {
    const session = { deliveryCache: this.#ircDeliveries };
    return new IrcHubLink(monotonicNow(), { meanings: this.#ircMeanings, session });
  }

  /** Tells the hub the connection is gone and closes it; safe to call more than once. */
  #endSession(id: ConnId, socket: Socket): void {
    this.#run(() => this.#hub.disconnect(id, monotonicNow()), id);
    this.#closeSocket(id, socket);
  }

  /**
   * Calls into the hub, then carries out every action it queued. Never throws: a failure (a
   * bug) is logged, and `false` tells the caller to end the session it was serving, if any.
   */
  #run(call: () => void, conn?: ConnId): boolean {
    let ok = true;
    try {
      call();
    } catch (error) {
      ok = false;
      this.#logInternalError(error, conn);
    }
    try {
      for (let action = this.#hub.pollAction(); action !== null; action = this.#hub.pollAction()) {
        this.#carryOut(action);
      }
      this.#resumeReadsIfClear();
      this.#armWakeup();
    } catch (error) {
      ok = false;
      this.#logInternalError(error, conn);
    }
    return ok;
  }

  /** Sets a timer for the hub's next deadline, unless one is set for it already or earlier. */
  #armWakeup(): void {
    const at = this.#hub.pollTimeout();
    if (at === null || at >= this.#wakeupAt || this.#stopping !== null) return;
    if (this.#wakeup !== null) clearTimeout(this.#wakeup);
    this.#wakeupAt = at;
    this.#wakeup = setTimeout(() => {
      this.#wakeup = null;
      this.#wakeupAt = Infinity;
      this.#run(() => this.#hub.handleTimeout(monotonicNow()));
    }, Math.max(0, at - monotonicNow()));
  }

  #logInternalError(error: unknown, conn: ConnId | undefined): void {
    const record: LogRecord = {
      level: "warn",
      event: "internal_error",
      detail: describeError(error),
    };
    this.#log(conn === undefined ? record : { ...record, conn });
  }

  /** A socket error ends a session in the ordinary way (a reset, say): noted, not alarming. */
  #logPeerError(event: string, conn: ConnId, error: unknown): void {
    this.#log({ level: "info", event, conn, detail: messageOf(error) });
  }

  #carryOut(action: HubAction): void {
    switch (action.kind) {
      case "write":
        return this.#flushes.add(action.conn, action.conn === this.#serving);
      case "close":
        this.#closeAfterFlush(action.conn);
        return;
      case "log":
        return this.#log(action.record);
      default:
        return this.#onAction(action);
    }
  }

  /**
   * Waits while some member's queue is long, not counting peers that stopped reading: at most
   * {@linkcode MAX_READ_PAUSE_MS}, and no longer than until the oldest write counts as stalled.
   */
  async #pauseWhileBacklogged(): Promise<void> {
    const now = performance.now();
    if (!this.#backlogged(now)) return;
    const stallAt = this.#stalls.nextStallAt();
    const wait = stallAt === null ? MAX_READ_PAUSE_MS : Math.min(MAX_READ_PAUSE_MS, stallAt - now);
    await waitFor(this.#onBacklogCleared, Math.max(1, wait));
  }

  /** Some queue is long (not counting peers that stopped reading): reads should wait. */
  #backlogged(now: number = performance.now()): boolean {
    const backlogged = this.#hub.backloggedClients;
    return backlogged > 0 && backlogged > this.#stalls.update(now);
  }

  #resumeReadsIfClear(): void {
    if (this.#onBacklogCleared.length > 0 && !this.#backlogged()) wakeAll(this.#onBacklogCleared);
  }

  /** Writers in progress, not counting those stalled on peers that stopped reading. */
  #busyWriters(): number {
    return this.#activeWriters - this.#stalls.stalled;
  }

  /**
   * Starts writing everything the hub queued for `id`, as one write. While a write is in
   * progress nothing starts: what is queued meanwhile goes out with the next flush, so that a
   * busy room puts several lines in each write. Returns whether a write started. Never throws:
   * a failure ends that session only.
   */
  #startWriter(id: ConnId): boolean {
    const socket = this.#sockets.get(id);
    if (socket === undefined || socket.closed) return false;
    if (socket.writing !== null) {
      socket.more = true;
      return false;
    }
    let out: Uint8Array | null;
    try {
      out = this.#hub.takeOutput(id);
      if (socket.link !== null) out = this.#throughLink(id, socket, out);
    } catch (error) {
      this.#logInternalError(error, id);
      this.#endSession(id, socket);
      return false;
    }
    this.#resumeReadsIfClear();
    if (out === null) return false;
    this.#activeWriters++;
    const write = this.#stalls.started(performance.now());
    socket.write = write;
    // Promise callbacks rather than async functions: this runs once per client per flush.
    socket.writing = this.#write(socket, out).then(
      () => this.#writeEnded(id, socket, null),
      (error) => this.#writeEnded(id, socket, error ?? "write failed"),
    );
    return true;
  }

  /** The hub's output for an IRC client, as IRC lines; what the link answers goes to the hub. */
  #throughLink(id: ConnId, socket: Socket, out: Uint8Array | null): Uint8Array | null {
    const link = socket.link!;
    if (out !== null) link.fromHub(monotonicNow(), out);
    // Taken first, so that what goes to the client now does not schedule another flush.
    const lines = link.takeClientOutput();
    // Most deliveries make no request and no close: they cost no hub call.
    if (link.hasHubInput || (link.closeReason !== null && !socket.linkClosing)) {
      this.#run(() => this.#afterLink(id, socket, monotonicNow()), id);
    }
    return lines;
  }

  #writeEnded(id: ConnId, socket: Socket, error: unknown): void {
    try {
      socket.writing = null;
      if (socket.write !== null) this.#stalls.ended(socket.write);
      socket.write = null;
      this.#activeWriters--;
      if (this.#busyWriters() <= 0) this.#flushes.writersIdle();
      if (error !== null) {
        if (!socket.closed) this.#logPeerError("write_failed", id, error);
        this.#endSession(id, socket);
      } else if (socket.more && !socket.closed) {
        socket.more = false;
        this.#flushes.add(id);
      }
    } catch (failure) {
      this.#logInternalError(failure, id);
      this.#endSession(id, socket);
    }
  }

  /** Writes all of `bytes`; the common case, everything taken at once, costs one promise. */
  #write(socket: Socket, bytes: Uint8Array): Promise<void> {
    let written: Promise<number>;
    try {
      written = socket.conn.write(bytes);
    } catch (error) {
      return Promise.reject(error);
    }
    return written.then((n) => {
      if (n < bytes.length) return this.#writeRest(socket, bytes.subarray(n));
    });
  }

  /** Writes the rest of a partial write; each part written is progress (not a stalled peer). */
  async #writeRest(socket: Socket, rest: Uint8Array): Promise<void> {
    while (rest.length > 0) {
      if (socket.write !== null) {
        socket.write = this.#stalls.progressed(socket.write, performance.now());
      }
      rest = rest.subarray(await socket.conn.write(rest));
    }
  }

  /** Writes what is queued for `id` (for at most {@linkcode CLOSE_GRACE_MS}), then closes it. */
  async #closeAfterFlush(id: ConnId): Promise<void> {
    const socket = this.#sockets.get(id);
    if (socket === undefined) return;
    const deadline = performance.now() + CLOSE_GRACE_MS;
    try {
      while (socket.writing !== null || this.#startWriter(id)) {
        const left = deadline - performance.now();
        if (left <= 0 || await waitAtMost(socket.writing!, left) === null) break;
      }
    } finally {
      this.#closeSocket(id, socket);
    }
  }

  #closeSocket(id: ConnId, socket: Socket): void {
    if (socket.closed) return;
    socket.closed = true;
    closeQuietly(socket.conn);
    if (socket.tlsPending) this.#stalled?.add(socket.conn);
    this.#sockets.delete(id);
    this.#hub.closed(id);
  }
}

/**
 * The hub's `now`: a monotonic clock (it never jumps with the wall clock, so no deadline
 * fires early), started at the wall time the process began so that it reads like one for a
 * hub given no `wallClock`.
 */
export function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Binds the listeners the options ask for, the chat one first; if one cannot be bound, closes
 * those already bound and throws what binding threw.
 */
function openListeners(options: HubServerOptions): Listening[] {
  const hostname = options.hostname ?? "127.0.0.1";
  const tls = options.tls;
  const bind = (port: number, secure: boolean): HubListener =>
    secure ? Deno.listenTls({ hostname, port, ...tls! }) : Deno.listen({ hostname, port });
  const wanted: (ListenerKind & { open: () => HubListener })[] = [{
    irc: false,
    secure: tls !== undefined,
    open: () => options.listener ?? bind(options.port ?? 50000, tls !== undefined),
  }];
  if (options.ircListener !== undefined || options.ircPort !== undefined) {
    wanted.push({
      irc: true,
      secure: false,
      open: () => options.ircListener ?? bind(options.ircPort!, false),
    });
  }
  if (options.ircTlsPort !== undefined) {
    if (tls === undefined) throw new TypeError("ircTlsPort needs tls");
    wanted.push({ irc: true, secure: true, open: () => bind(options.ircTlsPort!, true) });
  }
  const bound: Listening[] = [];
  try {
    for (const { open, ...kind } of wanted) bound.push({ ...kind, listener: open() });
  } catch (error) {
    for (const { listener } of bound) listener.close();
    throw error;
  }
  return bound;
}

function addressOf(socket: Socket): { address?: string } {
  try {
    return { address: socket.conn.remoteAddr.hostname };
  } catch {
    return {};
  }
}

function closeQuietly(conn: HubConn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
}
