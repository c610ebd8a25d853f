/**
 * Finds the file descriptor of a socket Deno made, which Deno does not expose.
 *
 * @module
 */
import type { Libc } from "./libc.ts";
import { endpointKeyOf, sockaddrIn } from "./sockaddr.ts";

/** Highest descriptor searched: a process with more open files keeps Deno's `send`. */
export const MAX_SOCKET_FD = 4096;

const SOL_SOCKET = 1;
const SO_TYPE = 3;
const SOCK_DGRAM = 2;

/**
 * The one descriptor among 3 to {@linkcode MAX_SOCKET_FD} that is a datagram socket bound to
 * `address` (an IPv4 UDP address, as `Deno.DatagramConn.addr` tells it), or null when none or
 * several are (the caller then keeps Deno's `send`). Bound with port 0, the kernel's choice of
 * port makes the match unique unless another socket shares the port (`SO_REUSEPORT`), which
 * gives two matches and so null.
 *
 * Using the descriptor is safe: it is the one Deno made for the socket, non-blocking. The
 * callers send and receive on it beside Deno's own reader (see `BatchReceiver` for why that is
 * safe), change no option but the receive buffer's size, never close it, and stop using it
 * before the socket is closed, so a later socket that reuses the number is never touched.
 */
export function findSocketFd(libc: Libc, address: Deno.NetAddr): number | null {
  const wanted = sockaddrIn(address);
  if (wanted === null) return null;
  const name = new Uint8Array(128);
  const length = new Uint32Array(1);
  const type = new Int32Array(1);
  const open = openFds(libc, 3, MAX_SOCKET_FD - 2);
  let found: number | null = null;
  for (let fd = 3; fd <= MAX_SOCKET_FD; fd++) {
    if (open !== null && !open(fd)) continue;
    length[0] = name.length;
    if (libc.getsockname(fd, name, new Uint8Array(length.buffer)) !== 0) continue;
    if (length[0] !== wanted.length || !sameBytes(name, wanted)) continue;
    length[0] = 4;
    const typeBytes = new Uint8Array(type.buffer);
    if (libc.getsockopt(fd, SOL_SOCKET, SO_TYPE, typeBytes, new Uint8Array(length.buffer)) !== 0) {
      continue;
    }
    if (type[0] !== SOCK_DGRAM) continue;
    if (found !== null) return null; // two sockets on this address: which is ours is unknown
    found = fd;
  }
  return found;
}

/**
 * Which of the `count` numbers from `start` are open descriptors, asked of one `poll` that does
 * not wait; null if `poll` failed (then every number is to be looked at). A `getsockname` per
 * number costs about 0.7 µs even for a closed one; one `poll` answers for thousands in a few
 * tens of µs, so only the few open numbers are looked at. The search stays exhaustive: a number
 * is skipped only when `poll` said it is not open (`POLLNVAL`).
 */
function openFds(libc: Libc, start: number, count: number): ((fd: number) => boolean) | null {
  const polled = new Int32Array(2 * count);
  if (!pollBlock(libc, polled, start, count)) return null;
  return (fd) => !notOpen(polled, fd - start);
}

function sameBytes(bytes: Uint8Array, wanted: Uint8Array): boolean {
  for (let i = 0; i < wanted.length; i++) if (bytes[i] !== wanted[i]) return false;
  return true;
}

/**
 * Highest descriptor {@linkcode findConnectedFds} looks at: a connection with a higher one is
 * not found. Far above what the hub's connection limits open; with 2,000 sockets open, a search
 * of the whole range costs about 4 ms of CPU, one that stops at the 2,000th about 1.5 ms.
 */
export const MAX_CONNECTED_FD = 65_536;
/** Descriptors looked at as one block: each block is asked of `getpeername` or of one `poll`. */
const BLOCK = 1024;
const POLLNVAL = 0x20;

/** A connected socket to find: the endpoint keys (`endpointKey`) of its two ends. */
export interface ConnectedEnds {
  readonly local: string;
  readonly remote: string;
}

/**
 * The descriptors of the connected sockets `wanted`, among 3 to {@linkcode MAX_CONNECTED_FD};
 * those not found are left out. One pass for all of them, which ends once all are found. Each
 * number costs a `getpeername` (and a `getsockname` if its peer is wanted), but where a block of
 * 1,024 numbers held few connected sockets, the next is first asked of one `poll`, and only the
 * open numbers are looked at: a `poll` costs about what a `getpeername` does for an open number
 * and far less for a closed one, and Linux gives out the lowest free numbers, so the low blocks
 * are full and the high ones empty. A TCP connection's two ends name it uniquely, so a match is
 * the connection itself.
 */
export function findConnectedFds(
  libc: Libc,
  wanted: readonly ConnectedEnds[],
): Map<ConnectedEnds, number> {
  const found = new Map<ConnectedEnds, number>();
  const search = new EndsSearch(libc, wanted);
  const polled = new Int32Array(2 * BLOCK);
  let sparse = false;
  for (let start = 3; start <= MAX_CONNECTED_FD && found.size < wanted.length; start += BLOCK) {
    const count = Math.min(BLOCK, MAX_CONNECTED_FD + 1 - start);
    const polling = sparse && pollBlock(libc, polled, start, count);
    let busy = 0;
    for (let i = 0; i < count && found.size < wanted.length; i++) {
      if (polling && notOpen(polled, i)) continue;
      const ends = search.at(start + i);
      if (search.connected) busy++;
      if (ends !== null && !found.has(ends)) found.set(ends, start + i);
    }
    sparse = busy * 4 < count;
  }
  return found;
}

/** Whether entry `i` of a polled block is a number that is not open (`POLLNVAL`). */
function notOpen(polled: Int32Array, i: number): boolean {
  // revents, the high half of a pollfd's second word
  return ((polled[2 * i + 1]! >>> 16) & POLLNVAL) !== 0;
}

/** Polls (without waiting) the `count` numbers from `start`; false if `poll` failed. */
function pollBlock(libc: Libc, polled: Int32Array, start: number, count: number): boolean {
  for (let i = 0; i < count; i++) {
    polled[2 * i] = start + i;
    polled[2 * i + 1] = 0;
  }
  return libc.poll(new Uint8Array(polled.buffer, 0, 8 * count), BigInt(count), 0) >= 0;
}

/** Tells which of the wanted connections a descriptor is, if any. */
class EndsSearch {
  readonly #libc: Libc;
  // By the remote end: one peer port may be connected to several local ends.
  readonly #byRemote = new Map<string, ConnectedEnds[]>();
  // A peer's port is read straight from the bytes: only a wanted one costs a key.
  readonly #ports = new Set<number>();
  readonly #name = new Uint8Array(128);
  readonly #length = new Uint32Array(1);
  readonly #lengthBytes = new Uint8Array(this.#length.buffer);

  constructor(libc: Libc, wanted: readonly ConnectedEnds[]) {
    this.#libc = libc;
    for (const ends of wanted) {
      this.#byRemote.set(ends.remote, [...(this.#byRemote.get(ends.remote) ?? []), ends]);
      this.#ports.add(Number(ends.remote.split("/")[0]));
    }
  }

  /** Whether the last descriptor `at` looked at is a connected socket. */
  connected = false;

  /** The wanted connection `fd` is, or null. */
  at(fd: number): ConnectedEnds | null {
    const name = this.#name;
    this.connected = this.#read(fd, "getpeername");
    if (!this.connected) return null;
    if (!this.#ports.has((name[2]! << 8) | name[3]!)) return null;
    const remote = endpointKeyOf(name, this.#length[0]!);
    const candidates = remote === null ? undefined : this.#byRemote.get(remote);
    if (candidates === undefined || !this.#read(fd, "getsockname")) return null;
    const local = endpointKeyOf(name, this.#length[0]!);
    return candidates.find((ends) => ends.local === local) ?? null;
  }

  #read(fd: number, call: "getpeername" | "getsockname"): boolean {
    this.#length[0] = this.#name.length;
    return (call === "getpeername"
      ? this.#libc.getpeername(fd, this.#name, this.#lengthBytes)
      : this.#libc.getsockname(fd, this.#name, this.#lengthBytes)) === 0;
  }
}
