import assert from "node:assert/strict";
import { BatchReceiver } from "../../lib/net/batch_receive.ts";
import { BatchSender } from "../../lib/net/batch_send.ts";
import { libc } from "../../lib/net/libc.ts";
import { libcSocket } from "../../lib/net/libc_socket.ts";
import { ReceiveBatch } from "../../lib/net/receive_batch.ts";
import { CLIENT_RECEIVE_BUFFER_BYTES, raiseReceiveBuffer } from "../../lib/net/receive_buffer.ts";
import { sockaddrIn } from "../../lib/net/sockaddr.ts";
import { type DatagramMachine, UdpDriver } from "../../lib/net/udp_driver.ts";

const ignore = libc() === null;

function udp(): Deno.DatagramConn {
  return Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
}

function keyOf(socket: Deno.DatagramConn): string {
  return `127.0.0.1:${(socket.addr as Deno.NetAddr).port}`;
}

/** Sends `sizes.length` numbered datagrams (byte 0 is the number) from `from` in one call. */
function burst(from: Deno.DatagramConn, to: Deno.DatagramConn, sizes: number[]): void {
  const sender = BatchSender.open(from.addr as Deno.NetAddr, { capacity: 64, slotBytes: 1500 })!;
  const name = sockaddrIn(to.addr as Deno.NetAddr)!;
  for (const [i, size] of sizes.entries()) {
    sender.batch.push(new Uint8Array(size).fill(i), keyOf(to), name);
  }
  sender.flush(() => Promise.reject(new Error("Every datagram fits the batch path")));
}

Deno.test({
  name: "BatchReceiver takes what waits behind a Deno receive, in order, with each sender's key",
  ignore,
  async fn() {
    const [into, a, b] = [udp(), udp(), udp()];
    try {
      burst(a, into, [100, 200, 300, 400, 500]);
      burst(b, into, Array(40).fill(1200));
      const [first, from] = await into.receive();
      assert.deepEqual([first[0], first.length, (from as Deno.NetAddr).port], [
        0,
        100,
        (a.addr as Deno.NetAddr).port,
      ]);
      const receiver = BatchReceiver.on(libcSocket(into)!, { capacity: 16, slotBytes: 1500 });
      const got: string[] = [];
      while (receiver.deliver((bytes, key) => got.push(`${key} ${bytes[0]} ${bytes.length}`)) > 0);
      const expected = [1, 2, 3, 4].map((i) => `${keyOf(a)} ${i} ${(i + 1) * 100}`)
        .concat([...Array(40).keys()].map((i) => `${keyOf(b)} ${i} 1200`));
      assert.deepEqual(got, expected);
      assert.deepEqual(receiver.stats, { calls: 3, batched: 44, empty: 1, dropped: 0, rescued: 0 });
      // The queue was emptied behind Deno's back: its next receive still hears the next one.
      burst(a, into, [7]);
      const [late] = await into.receive();
      assert.equal(late.length, 7);
    } finally {
      for (const socket of [into, a, b]) socket.close();
    }
  },
});

Deno.test("ReceiveBatch gives no datagram for one the kernel cut (MSG_TRUNC) and no sender for a name that is not IPv4", () => {
  const batch = new ReceiveBatch(2, 100, () => 0x1000n);
  batch.reset();
  const view = new DataView(batch.block.buffer);
  // Message 0: 50 bytes from 10.1.2.3:4660; message 1: cut, from a 28-byte (IPv6) name.
  view.setUint32(56, 50, true);
  view.setUint32(8, 16, true); // the kernel shortens msg_namelen to the name it wrote
  const names = 2 * 64 + 2 * 16;
  batch.block.set(sockaddrIn({ transport: "udp", hostname: "10.1.2.3", port: 4660 })!, names);
  view.setInt32(64 + 48, 0x20, true);
  view.setUint32(64 + 56, 100, true);
  view.setUint32(64 + 8, 28, true);
  assert.equal(batch.datagram(0)?.length, 50);
  assert.equal(batch.sender(0), "10.1.2.3:4660");
  assert.equal(batch.datagram(1), null);
  assert.equal(batch.sender(1), null);
  batch.reset();
  assert.equal(view.getUint32(64 + 8, true), 32, "reset gives every name its whole slot again");
});

Deno.test({
  name: "UdpDriver hands a burst to its machine in order, most of it through recvmmsg",
  ignore,
  async fn() {
    const got: number[] = [];
    const machine: DatagramMachine = {
      handleDatagram: (_now, bytes) => void got.push(bytes[0]!),
      handleTimeout: () => {},
      pollTransmit: () => null,
      pollTimeout: () => null,
    };
    const driver = new UdpDriver(udp(), machine);
    const peer = udp();
    try {
      const sizes = Array(60).fill(1200);
      const into = { addr: { ...driver.addr, hostname: "127.0.0.1" } } as Deno.DatagramConn;
      burst(peer, into, sizes);
      const end = performance.now() + 5000;
      while (got.length < sizes.length && performance.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      assert.deepEqual(got, [...sizes.keys()]);
      assert.ok(
        driver.receiveStats!.batched >= sizes.length / 2,
        JSON.stringify(driver.receiveStats),
      );
    } finally {
      await driver.close();
      peer.close();
    }
  },
});

Deno.test({
  name:
    "raiseReceiveBuffer gets what the kernel allows (twice the request, up to rmem_max) and reports it",
  ignore: ignore || Deno.build.os !== "linux",
  fn() {
    const socket = udp();
    try {
      // Deno reads /proc only with --allow-all: ask cat.
      const cat = new Deno.Command("cat", { args: ["/proc/sys/net/core/rmem_max"] }).outputSync();
      const max = Number(new TextDecoder().decode(cat.stdout).trim());
      assert.ok(cat.success && max > 0);
      const got = raiseReceiveBuffer(socket, CLIENT_RECEIVE_BUFFER_BYTES);
      assert.equal(got, 2 * Math.min(CLIENT_RECEIVE_BUFFER_BYTES, max));
    } finally {
      socket.close();
    }
  },
});
