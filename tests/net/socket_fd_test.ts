import assert from "node:assert/strict";
import { libc } from "../../lib/net/libc.ts";
import { findSocketFd } from "../../lib/net/socket_fd.ts";

const c = libc();
const ignore = c === null;

function udp(options: Partial<Deno.UdpListenOptions> = {}): Deno.DatagramConn {
  return Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp", ...options });
}

/** The port `fd` is bound to, read through libc. */
function boundPort(fd: number): number {
  const name = new Uint8Array(128);
  const length = new Uint32Array([name.length]);
  assert.equal(c!.getsockname(fd, name, new Uint8Array(length.buffer)), 0);
  return new DataView(name.buffer).getUint16(2, false);
}

Deno.test({
  name: "findSocketFd finds the descriptor of the one socket among several bound to the address",
  ignore,
  fn() {
    const sockets = [udp(), udp(), udp(), udp()];
    // A TCP listener on the port of the third UDP socket: same address, not a datagram socket.
    const port = (sockets[2]!.addr as Deno.NetAddr).port;
    let tcp: Deno.Listener | null = null;
    try {
      tcp = Deno.listen({ hostname: "127.0.0.1", port });
    } catch {
      // The port is taken for TCP: the test still tells the UDP sockets apart.
    }
    try {
      const fds = sockets.map((s) => findSocketFd(c!, s.addr as Deno.NetAddr));
      assert.ok(fds.every((fd) => fd !== null && fd > 2), `${fds}`);
      assert.equal(new Set(fds).size, sockets.length, "each socket its own descriptor");
      // Each descriptor is bound where its socket is: the port read back through libc.
      for (const [i, fd] of fds.entries()) {
        assert.equal(boundPort(fd!), (sockets[i]!.addr as Deno.NetAddr).port);
      }
      const closing = sockets.pop()!;
      closing.close();
      assert.equal(findSocketFd(c!, closing.addr as Deno.NetAddr), null, "closed: not found");
    } finally {
      for (const s of sockets) s.close();
      tcp?.close();
    }
  },
});

Deno.test({
  name: "findSocketFd finds nothing when two sockets share the address",
  ignore,
  fn() {
    const first = udp({ reuseAddress: true });
    const port = (first.addr as Deno.NetAddr).port;
    let second: Deno.DatagramConn;
    try {
      second = udp({ port, reuseAddress: true });
    } catch {
      first.close();
      return; // This system will not share the port: the case cannot arise.
    }
    try {
      assert.equal(findSocketFd(c!, first.addr as Deno.NetAddr), null);
    } finally {
      first.close();
      second.close();
    }
  },
});

Deno.test({
  name: "findSocketFd finds nothing for an address no socket has, nor for IPv6",
  ignore,
  fn() {
    const socket = udp();
    const port = (socket.addr as Deno.NetAddr).port;
    socket.close();
    assert.equal(findSocketFd(c!, { transport: "udp", hostname: "127.0.0.1", port }), null);
    assert.equal(findSocketFd(c!, { transport: "udp", hostname: "::1", port }), null);
  },
});
