/**
 * Finds the file descriptor of a socket Deno made, which Deno does not expose.
 *
 * @module
 */
import type { Libc } from "./libc.ts";
import { sockaddrIn } from "./sockaddr.ts";

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
