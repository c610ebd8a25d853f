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
  let found: number | null = null;
  for (let fd = 3; fd <= MAX_SOCKET_FD; fd++) {
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

function sameBytes(bytes: Uint8Array, wanted: Uint8Array): boolean {
  for (let i = 0; i < wanted.length; i++) if (bytes[i] !== wanted[i]) return false;
  return true;
}

/**
 * Highest descriptor {@linkcode findConnectedFds} looks at: a connection with a higher one is
 * not found. Far above what the hub's connection limits open; a search of the whole range costs
 * about 3 ms (2,000 sockets open), one that stops at the 2,000th about 1 ms.
 */
export const MAX_CONNECTED_FD = 65_536;
/** Descriptors asked about in one `poll`, to skip the numbers that are not open. */
const POLL_CHUNK = 1024;
const POLLNVAL = 0x20;

/** A connected socket to find: the endpoint keys (`endpointKey`) of its two ends. */
export interface ConnectedEnds {
  readonly local: string;
  readonly remote: string;
}

/**
 * The descriptors of the connected sockets `wanted` (by their remote endpoint key), among 3 to
 * {@linkcode MAX_CONNECTED_FD}; those not found are left out. One pass for all of them, which
 * ends once all are found: a `poll` per 1,024 numbers tells which are open, and an open one
 * costs a `getpeername` (and a `getsockname` if its peer is wanted). A TCP connection's two
 * ends name it uniquely, so a match is the connection itself.
 */
export function findConnectedFds(
  libc: Libc,
  wanted: ReadonlyMap<string, ConnectedEnds>,
): Map<string, number> {
  const found = new Map<string, number>();
  // A peer's port is read straight from the bytes: only a wanted one costs a key.
  const ports = new Set([...wanted.keys()].map((key) => Number(key.split("/")[0])));
  const polled = new Int32Array(2 * POLL_CHUNK);
  const name = new Uint8Array(128);
  const length = new Uint32Array(1);
  const lengthBytes = new Uint8Array(length.buffer);
  for (let start = 3; start <= MAX_CONNECTED_FD && found.size < wanted.size; start += POLL_CHUNK) {
    const count = Math.min(POLL_CHUNK, MAX_CONNECTED_FD + 1 - start);
    for (let i = 0; i < count; i++) {
      polled[2 * i] = start + i;
      polled[2 * i + 1] = 0;
    }
    if (libc.poll(new Uint8Array(polled.buffer, 0, 8 * count), BigInt(count), 0) < 0) break;
    for (let i = 0; i < count; i++) {
      // revents, the high half of a pollfd's second word: a number that is not open says POLLNVAL
      if ((polled[2 * i + 1]! >>> 16) & POLLNVAL) continue;
      const fd = start + i;
      length[0] = name.length;
      if (libc.getpeername(fd, name, lengthBytes) !== 0) continue;
      if (!ports.has((name[2]! << 8) | name[3]!)) continue;
      const remote = endpointKeyOf(name, length[0]!);
      const ends = remote === null ? undefined : wanted.get(remote);
      if (ends === undefined || found.has(remote!)) continue;
      length[0] = name.length;
      if (libc.getsockname(fd, name, lengthBytes) !== 0) continue;
      if (endpointKeyOf(name, length[0]!) === ends.local) found.set(remote!, fd);
    }
  }
  return found;
}
