import assert from "node:assert/strict";
import { libc } from "../../lib/net/libc.ts";
import { endpointKey, endpointKeyOf } from "../../lib/net/sockaddr.ts";
import { type ConnectedEnds, findConnectedFds, findSocketFd } from "../../lib/net/socket_fd.ts";

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

/** The endpoint key of `fd`'s peer, read through libc. */
function peerKey(fd: number): string | null {
  const name = new Uint8Array(128);
  const length = new Uint32Array([name.length]);
  assert.equal(c!.getpeername(fd, name, new Uint8Array(length.buffer)), 0);
  return endpointKeyOf(name, length[0]!);
}

Deno.test({
  name: "findConnectedFds finds the accepted ends asked for by both endpoints, in one pass",
  ignore,
  async fn() {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const clients: Deno.TcpConn[] = [];
    const accepted: Deno.TcpConn[] = [];
    for (let i = 0; i < 5; i++) {
      clients.push(await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }));
      accepted.push(await listener.accept());
    }
    try {
      const ends = (conn: Deno.TcpConn): ConnectedEnds => ({
        remote: endpointKey(conn.remoteAddr)!,
        local: endpointKey(conn.localAddr)!,
      });
      const wanted = [0, 2, 4].map((i) => ends(accepted[i]!));
      // Right peer, wrong local end (as a connection to another port would have): not it.
      const { remote, local } = ends(accepted[1]!);
      const elsewhere = { remote, local: local.replace(/^\d+/, "1") };
      // And the same peer twice, to two local ends: each found for itself.
      const twice = { ...ends(accepted[3]!) };
      const twiceElsewhere = { ...twice, local: twice.local.replace(/^\d+/, "1") };
      const found = findConnectedFds(c!, [...wanted, elsewhere, twiceElsewhere, twice]);
      assert.deepEqual(new Set(found.keys()), new Set([...wanted, twice]));
      for (const [ends, fd] of found) assert.equal(peerKey(fd), ends.remote);
      assert.equal(new Set(found.values()).size, 4);
    } finally {
      for (const conn of [...clients, ...accepted]) conn.close();
      listener.close();
    }
  },
});

Deno.test({
  name: "findConnectedFds finds a connection past a block of mostly closed numbers (through poll)",
  ignore,
  async fn() {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const conns: Deno.TcpConn[] = [];
    // Enough pairs for the last ones to get numbers past the first block of 1,024.
    for (let i = 0; i < 530; i++) {
      conns.push(await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }));
      conns.push(await listener.accept());
    }
    const kept = conns.splice(conns.length - 10);
    for (const conn of conns) conn.close();
    try {
      const accepted = kept.filter((_, i) => i % 2 === 1);
      const wanted = accepted.map((conn) => ({
        remote: endpointKey(conn.remoteAddr)!,
        local: endpointKey(conn.localAddr)!,
      }));
      const found = findConnectedFds(c!, wanted);
      assert.equal(found.size, wanted.length);
      assert.ok([...found.values()].every((fd) => fd > 1026), `${[...found.values()]}`);
      for (const [ends, fd] of found) assert.equal(peerKey(fd), ends.remote);
    } finally {
      for (const conn of kept) conn.close();
      listener.close();
    }
  },
});
