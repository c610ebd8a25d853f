/**
 * Lets go of TLS connections the hub gave up mid-handshake. Deno 2.9 keeps such a socket open
 * after `close()` until its peer sends or closes (its TLS stream waits for the handshake when
 * dropped), so a peer that connects and stays silent would hold a descriptor for as long as it
 * likes. Shutting the socket down (`shutdown(2)`, both ways) makes that wait fail at once: the
 * peer gets a FIN, and Deno closes the descriptor itself.
 *
 * @module
 */
import { type Libc, libc as defaultLibc } from "./libc.ts";
import { endpointKey } from "./sockaddr.ts";
import { type ConnectedEnds, findConnectedFds } from "./socket_fd.ts";

/**
 * How long a given-up connection waits for others to be let go with it, ms: one search of the
 * descriptors serves all that stalled meanwhile (a storm of half-open connections times out over
 * a second or more, one by one).
 */
export const STALLED_RELEASE_DELAY_MS = 50;
/** `SHUT_RDWR` on Linux. */
const SHUT_RDWR = 2;

/** What {@linkcode StalledHandshakes} has done so far. */
export interface StalledStats {
  /** Connections shut down, so that Deno let go of their descriptors. */
  released: number;
  /** Connections whose descriptor was not found (their peer spoke first, or past the search). */
  missed: number;
}

/**
 * TLS connections closed before their handshake ended, shut down in batches so that Deno lets
 * go of their descriptors. Without libc (not Linux, no FFI for it) it does nothing, and
 * `available` says so: such a connection then holds its descriptor until its peer speaks.
 *
 * Safe with a descriptor Deno owns: it is only shut down, never closed, and only the socket
 * with both endpoints of the given-up connection is (a TCP connection's endpoints name it).
 *
 * @example
 * ```ts ignore
 * const stalled = new StalledHandshakes();
 * conn.close(); // mid-handshake: Deno still holds the socket
 * stalled.add(conn); // shut down within STALLED_RELEASE_DELAY_MS
 * ```
 */
export class StalledHandshakes {
  readonly #libc: Libc | null;
  readonly #delayMs: number;
  // By both endpoints' keys, so that a connection added twice is looked for once.
  readonly #waiting = new Map<string, ConnectedEnds>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #stats: StalledStats = { released: 0, missed: 0 };

  /** `library` defaults to libc from `LIBC_PATHS`; `delayMs` to `STALLED_RELEASE_DELAY_MS`. */
  constructor(options: { library?: Libc | null; delayMs?: number } = {}) {
    this.#libc = options.library === undefined ? defaultLibc() : options.library;
    this.#delayMs = options.delayMs ?? STALLED_RELEASE_DELAY_MS;
  }

  /** Whether given-up connections can be let go (libc is there). */
  get available(): boolean {
    return this.#libc !== null;
  }

  /** Counts so far. */
  get stats(): Readonly<StalledStats> {
    return { ...this.#stats };
  }

  /** Queues a connection closed mid-handshake, to be shut down with the next batch. */
  add(conn: Deno.TcpConn | Deno.TlsConn): void {
    if (this.#libc === null) return;
    const ends = endsOf(conn);
    if (ends === null) return void this.#stats.missed++;
    this.#waiting.set(`${ends.remote} ${ends.local}`, ends);
    this.#timer ??= setTimeout(() => this.flush(), this.#delayMs);
  }

  /** Shuts down every queued connection now; returns how many were found. */
  flush(): number {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#libc === null || this.#waiting.size === 0) return 0;
    const found = findConnectedFds(this.#libc, [...this.#waiting.values()]);
    for (const fd of found.values()) this.#libc.shutdown(fd, SHUT_RDWR);
    this.#stats.released += found.size;
    this.#stats.missed += this.#waiting.size - found.size;
    this.#waiting.clear();
    return found.size;
  }
}

/** The endpoint keys of a connection, or null if either is not an IP address. */
function endsOf(conn: Deno.TcpConn | Deno.TlsConn): ConnectedEnds | null {
  try {
    const local = endpointKey(conn.localAddr);
    const remote = endpointKey(conn.remoteAddr);
    return local === null || remote === null ? null : { local, remote };
  } catch {
    return null;
  }
}
