/**
 * The TCP driver of the chat hub: accepts connections, feeds the hub what they say,
 * and writes what the hub queues, one writer per connection, never waiting in a fan-out.
 * @module
 */

import type { Hub } from "../chat/hub.ts";
import type { ConnId, HubAction, LogRecord } from "../chat/hub_types.ts";
import { FlushSchedule } from "./flush_schedule.ts";
import { waitAtMost, type Waiters, waitFor, wakeAll } from "./waiting.ts";
import { writeAll } from "./write_all.ts";

/** How often the hub's timers run. */
export const TICK_MS = 1000;
/** How long a closing connection may take to write its last lines. */
export const CLOSE_GRACE_MS = 2000;
/**
 * Longest one read waits while the room is backlogged (see `Hub.backloggedClients`), so that
 * readers stuck without being counted as stalled yet cannot stall the room for long.
 */
export const MAX_READ_PAUSE_MS = 200;
// Reads start small so idle connections stay cheap; a full read grows the buffer.
const SMALL_READ_BYTES = 256;
const LARGE_READ_BYTES = 64 * 1024;

/** Actions the TCP driver does not handle itself (files, transfers, departures). */
export type ActionHandler = (
  action: HubAction & { kind: "files" | "get" | "put" | "gone" },
) => void;

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
}

interface Socket {
  readonly conn: Deno.TcpConn;
  writing: Promise<void> | null;
  /** More output was queued while `writing`: it goes out in the next flush. */
  more: boolean;
  /** When the write in progress began (0 when none), to tell a stalled peer from a busy one. */
  writeSince: number;
  closed: boolean;
}

/** A write pending this long is a peer that stopped reading, not a sign of a busy room. */
export const STALLED_WRITE_MS = 1000;

/**
 * Serves a {@linkcode Hub} over TCP.
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
  readonly #listener: Deno.TcpListener;
  readonly #sockets = new Map<ConnId, Socket>();
  readonly #log: (record: LogRecord) => void;
  readonly #onAction: ActionHandler;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #accepting: Promise<void>;
  // Read loops still running, and who waits for the last of them (a count, not a set of
  // promises: that would cost every idle connection a promise and a callback more).
  #readers = 0;
  readonly #onReadersDone: Waiters = [];
  readonly #flushes = new FlushSchedule(
    (id) => this.#startWriter(id),
    () => this.#busyWriters(),
  );
  #activeWriters = 0;
  // Writers stuck on peers that stopped reading, counted each tick: their long queues never
  // pause reads, so a few stuck readers cannot slow the room (they are dropped when full).
  #stalledWriters = 0;
  // Wake-ups for reads waiting out a backlog.
  readonly #onBacklogCleared: Waiters = [];
  #stopping: Promise<void> | null = null;

  /** Starts listening at once; throws if the address cannot be bound. */
  constructor(hub: Hub, options: HubServerOptions = {}) {
    this.#hub = hub;
    this.#log = options.log ?? (() => {});
    this.#onAction = options.onAction ?? (() => {});
    this.#listener = Deno.listen({
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 50000,
    });
    const tickMs = options.tickMs ?? TICK_MS;
    this.#timer = setInterval(() => {
      this.#countStalledWriters();
      this.#run(() => hub.tick(Date.now()));
    }, tickMs);
    this.#accepting = this.#acceptLoop();
  }

  /** The address actually bound. */
  get addr(): Deno.NetAddr {
    return this.#listener.addr;
  }

  /** The port actually bound (useful with port 0). */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** Runs a hub call from outside (an action's reply) and carries out what follows. */
  run(call: (hub: Hub, now: number) => void): void {
    this.#run(() => call(this.#hub, Date.now()));
  }

  /** Stops accepting, tells every client, waits for them to close; resolves when done. */
  shutdown(reason?: string): Promise<void> {
    this.#stopping ??= this.#stop(reason);
    return this.#stopping;
  }

  async #stop(reason?: string): Promise<void> {
    clearInterval(this.#timer);
    this.#listener.close();
    await this.#accepting;
    this.#run(() => this.#hub.shutdown(Date.now(), reason));
    while (this.#sockets.size > 0) {
      await Promise.all([...this.#sockets.keys()].map((id) => this.#closeAfterFlush(id)));
    }
    // Every socket is closed, so each pending read ends at once; the bound is a safety net.
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (this.#readers > 0 && Date.now() < deadline) {
      await waitFor(this.#onReadersDone, deadline - Date.now());
    }
  }

  async #acceptLoop(): Promise<void> {
    for (;;) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        if (this.#stopping !== null || error instanceof Deno.errors.BadResource) return;
        // EMFILE and the like: say so, breathe, and go on serving the others.
        this.#log({ level: "warn", event: "accept_failed", detail: String(error) });
        await new Promise((ok) => setTimeout(ok, 100));
        continue;
      }
      this.#adopt(conn);
    }
  }

  #adopt(conn: Deno.TcpConn): void {
    try {
      conn.setNoDelay(true);
    } catch {
      // The peer may already be gone; the read loop will find out.
    }
    const socket: Socket = { conn, writing: null, more: false, writeSince: 0, closed: false };
    let id = 0;
    this.#run(() => {
      id = this.#hub.connect(Date.now());
      this.#sockets.set(id, socket);
    });
    this.#readers++;
    this.#readLoop(id, socket);
  }

  async #readLoop(id: ConnId, socket: Socket): Promise<void> {
    let buffer = new Uint8Array(SMALL_READ_BYTES);
    for (;;) {
      if (this.#backlogged()) {
        await waitFor(this.#onBacklogCleared, MAX_READ_PAUSE_MS);
      }
      let n: number | null;
      try {
        n = await socket.conn.read(buffer);
      } catch {
        break; // Reset by the peer, or closed by us: either way the connection is over.
      }
      if (n === null || socket.closed) break;
      const bytes = buffer.subarray(0, n);
      this.#run(() => this.#hub.receive(id, bytes, Date.now()));
      if (n === buffer.length && buffer.length < LARGE_READ_BYTES) {
        buffer = new Uint8Array(LARGE_READ_BYTES);
      }
    }
    this.#run(() => this.#hub.disconnect(id, Date.now()));
    this.#closeSocket(id, socket);
    if (--this.#readers === 0) wakeAll(this.#onReadersDone);
  }

  /** Calls into the hub, then carries out every action it queued. */
  #run(call: () => void): void {
    try {
      call();
      for (let action = this.#hub.pollAction(); action !== null; action = this.#hub.pollAction()) {
        this.#carryOut(action);
      }
      this.#resumeReadsIfClear();
    } catch (error) {
      // A bug here must not take down the other connections: say so and go on.
      this.#log({ level: "warn", event: "internal_error", detail: describeError(error) });
    }
  }

  #carryOut(action: HubAction): void {
    switch (action.kind) {
      case "write":
        return this.#flushes.add(action.conn);
      case "close":
        this.#closeAfterFlush(action.conn);
        return;
      case "log":
        return this.#log(action.record);
      default:
        return this.#onAction(action);
    }
  }

  /** Some queue is long (not counting peers that stopped reading): reads should wait. */
  #backlogged(): boolean {
    return this.#hub.backloggedClients > this.#stalledWriters;
  }

  #resumeReadsIfClear(): void {
    if (this.#onBacklogCleared.length > 0 && !this.#backlogged()) wakeAll(this.#onBacklogCleared);
  }

  /** Writers in progress, not counting those stalled on peers that stopped reading. */
  #busyWriters(): number {
    return this.#activeWriters - this.#stalledWriters;
  }

  #countStalledWriters(): void {
    const now = Date.now();
    let stalled = 0;
    for (const socket of this.#sockets.values()) {
      if (socket.writeSince !== 0 && now - socket.writeSince >= STALLED_WRITE_MS) stalled++;
    }
    this.#stalledWriters = stalled;
  }

  /**
   * Starts writing everything the hub queued for `id`, as one write. While a write is in
   * progress nothing starts: what is queued meanwhile goes out with the next flush, so that a
   * busy room puts several lines in each write. Returns whether a write started.
   */
  #startWriter(id: ConnId): boolean {
    const socket = this.#sockets.get(id);
    if (socket === undefined || socket.closed) return false;
    if (socket.writing !== null) {
      socket.more = true;
      return false;
    }
    const out = this.#hub.takeOutput(id);
    this.#resumeReadsIfClear();
    if (out === null) return false;
    this.#activeWriters++;
    socket.writeSince = Date.now();
    // Promise callbacks rather than async functions: this runs once per client per flush.
    socket.writing = writeFully(socket.conn, out).then(
      () => this.#writeEnded(id, socket, true),
      () => this.#writeEnded(id, socket, false),
    );
    return true;
  }

  #writeEnded(id: ConnId, socket: Socket, ok: boolean): void {
    socket.writing = null;
    socket.writeSince = 0;
    this.#activeWriters--;
    if (this.#busyWriters() <= 0) this.#flushes.writersIdle();
    if (!ok) {
      this.#run(() => this.#hub.disconnect(id, Date.now()));
      this.#closeSocket(id, socket);
    } else if (socket.more && !socket.closed) {
      socket.more = false;
      this.#flushes.add(id);
    }
  }

  /** Writes what is queued for `id` (for at most {@linkcode CLOSE_GRACE_MS}), then closes it. */
  async #closeAfterFlush(id: ConnId): Promise<void> {
    const socket = this.#sockets.get(id);
    if (socket === undefined) return;
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (socket.writing !== null || this.#startWriter(id)) {
      const left = deadline - Date.now();
      if (left <= 0 || await waitAtMost(socket.writing!, left) === null) break;
    }
    this.#closeSocket(id, socket);
  }

  #closeSocket(id: ConnId, socket: Socket): void {
    if (socket.closed) return;
    socket.closed = true;
    try {
      socket.conn.close();
    } catch {
      // Already closed.
    }
    this.#sockets.delete(id);
    this.#hub.closed(id);
  }
}

/** Writes all of `bytes`; the common case, everything taken at once, costs one promise. */
function writeFully(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  return conn.write(bytes).then((n) => {
    if (n < bytes.length) return writeAll(conn, bytes.subarray(n));
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
}
