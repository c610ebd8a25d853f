/**
 * A Deno UDP socket as libc sees it: its descriptor, found once per socket, with the library
 * that calls on it. The batched send and receive paths and the receive buffer share one.
 *
 * @module
 */
import { type Libc, libc as defaultLibc } from "./libc.ts";
import { findSocketFd } from "./socket_fd.ts";

/** The descriptor of a Deno socket, and libc to call on it. */
export interface LibcSocket {
  readonly libc: Libc;
  readonly fd: number;
  /** Where a buffer's bytes lie; only for buffers large enough to live outside V8's heap. */
  addressOf(block: Uint8Array): bigint;
}

const found = new WeakMap<Deno.DatagramConn, LibcSocket | null>();

/**
 * `socket` through libc, or null where there is none: no libc or FFI, not Linux, not IPv4, the
 * descriptor not found exactly once, or a libc that misbehaves. Looked for once per socket
 * (the search asks up to `MAX_SOCKET_FD` descriptors), with the default libc.
 */
export function libcSocket(socket: Deno.DatagramConn): LibcSocket | null {
  let known = found.get(socket);
  if (known === undefined) {
    known = libcSocketAt(socket.addr as Deno.NetAddr, defaultLibc());
    found.set(socket, known);
  }
  return known;
}

/** The socket bound to `address` through `library`, looked for now; null as for `libcSocket`. */
export function libcSocketAt(address: Deno.NetAddr, library: Libc | null): LibcSocket | null {
  if (library === null) return null;
  try {
    const fd = findSocketFd(library, address);
    if (fd === null) return null;
    // Large blocks' bytes live outside V8's heap and never move.
    const addressOf = (block: Uint8Array) => BigInt(library.address_of(block, block, 0n));
    return { libc: library, fd, addressOf };
  } catch {
    return null;
  }
}
