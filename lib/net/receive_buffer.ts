/**
 * A UDP socket's receive buffer, raised through libc where it can be. Deno has no option for
 * it and leaves the kernel's default (`net.core.rmem_default`, 212,992 B on Linux: 92 datagrams
 * of 1,472 B), which a burst overflows in well under a millisecond. Any process may raise its
 * own socket's buffer up to `net.core.rmem_max`.
 *
 * @module
 */
import { libcSocket } from "./libc_socket.ts";

/** What the client asks for its transfer's socket, bytes (the kernel charges up to twice it). */
export const CLIENT_RECEIVE_BUFFER_BYTES = 1024 * 1024;
/** What the server asks for the one socket every transfer shares, bytes. */
export const SERVER_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

const SOL_SOCKET = 1;
const SO_RCVBUF = 8;

/**
 * Asks the kernel for a receive buffer of `wanted` bytes on `socket` and returns what the
 * socket then holds, as the kernel reports it (`SO_RCVBUF`: the bytes it charges queued
 * datagrams against, twice what was granted); null where the socket cannot be reached through
 * libc (the caller assumes the default). A request the kernel caps (at `rmem_max`) or refuses
 * still returns what the socket has.
 */
export function raiseReceiveBuffer(socket: Deno.DatagramConn, wanted: number): number | null {
  const found = libcSocket(socket);
  if (found === null) return null;
  const value = new Int32Array([Math.min(wanted, 0x3fff_ffff)]);
  const bytes = new Uint8Array(value.buffer);
  found.libc.setsockopt(found.fd, SOL_SOCKET, SO_RCVBUF, bytes, 4);
  const length = new Uint32Array([4]);
  const got = found.libc.getsockopt(
    found.fd,
    SOL_SOCKET,
    SO_RCVBUF,
    bytes,
    new Uint8Array(length.buffer),
  );
  return got === 0 && value[0]! > 0 ? value[0]! : null;
}
