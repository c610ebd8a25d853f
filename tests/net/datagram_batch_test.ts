import assert from "node:assert/strict";
import {
  DatagramBatch,
  GSO_MAX_BYTES,
  GSO_MAX_SEGMENTS,
  SOL_UDP,
  UDP_SEGMENT,
} from "../../lib/net/datagram_batch.ts";
import { sockaddrIn } from "../../lib/net/sockaddr.ts";

const BASE = 0x10_0000n;
const A = "127.0.0.1:4000";
const B = "127.0.0.1:5000";

function nameOf(key: string): Uint8Array {
  const [hostname, port] = key.split(":");
  return sockaddrIn({ transport: "udp", hostname: hostname!, port: Number(port) })!;
}

function batchOf(sizes: [string, number][], capacity = 8, slotBytes = 1500): DatagramBatch {
  const batch = new DatagramBatch(capacity, slotBytes, () => BASE);
  for (const [key, size] of sizes) batch.push(new Uint8Array(size), key, nameOf(key));
  return batch;
}

/** Reads the u64 at `offset` of the block as a number. */
function u64(batch: DatagramBatch, offset: number): number {
  return Number(new DataView(batch.block.buffer).getBigUint64(offset, true));
}

/** The block offset an address written in the block points at. */
function offsetAt(batch: DatagramBatch, at: number): number {
  return u64(batch, at) - Number(BASE);
}

Deno.test("DatagramBatch lays each mmsghdr out pointing at its name, its iovec and its slot", () => {
  const batch = new DatagramBatch(4, 1500, () => BASE);
  const first = batch.next();
  first.set([1, 2, 3]);
  batch.push(first.subarray(0, 3), A, nameOf(A));
  batch.push(Uint8Array.of(9, 8, 7, 6, 5), B, nameOf(B));
  const view = new DataView(batch.block.buffer);
  for (const [i, key, length] of [[0, A, 3], [1, B, 5]] as const) {
    const header = i * 64;
    const name = offsetAt(batch, header);
    assert.deepEqual(batch.block.subarray(name, name + 16), nameOf(key), "msg_name");
    assert.equal(view.getUint32(header + 8, true), 16, "msg_namelen");
    const iovec = offsetAt(batch, header + 16);
    assert.equal(u64(batch, header + 24), 1, "msg_iovlen");
    assert.equal(u64(batch, header + 32), 0, "msg_control");
    const data = offsetAt(batch, iovec);
    assert.equal(u64(batch, iovec + 8), length, "iov_len");
    assert.deepEqual(batch.block.subarray(data, data + length), batch.datagram(i));
  }
  assert.deepEqual(batch.datagram(0), Uint8Array.of(1, 2, 3));
  assert.deepEqual(batch.datagram(1), Uint8Array.of(9, 8, 7, 6, 5), "copied into its slot");
  assert.equal(batch.messagesAddress, BASE);
  assert.equal(batch.key(1), B);
});

Deno.test("DatagramBatch prepares a GSO msghdr over a run with a UDP_SEGMENT control message", () => {
  const batch = batchOf([[A, 100], [B, 1472], [B, 1472], [B, 1000]]);
  batch.prepareGso(1, 4);
  const view = new DataView(batch.block.buffer);
  const message = Number(batch.gsoMessageAddress - BASE);
  const name = offsetAt(batch, message);
  assert.deepEqual(batch.block.subarray(name, name + 16), nameOf(B), "msg_name: the run's");
  assert.equal(view.getUint32(message + 8, true), 16, "msg_namelen");
  assert.equal(offsetAt(batch, message + 16), offsetAt(batch, 64 + 16), "msg_iov: datagram 1's");
  assert.equal(u64(batch, message + 24), 3, "msg_iovlen: the run's length");
  const cmsg = offsetAt(batch, message + 32);
  assert.equal(u64(batch, message + 40), 24, "msg_controllen: CMSG_SPACE(2)");
  assert.equal(u64(batch, cmsg), 18, "cmsg_len: CMSG_LEN(2)");
  assert.equal(view.getInt32(cmsg + 8, true), SOL_UDP);
  assert.equal(view.getInt32(cmsg + 12, true), UDP_SEGMENT);
  assert.equal(view.getUint16(cmsg + 16, true), 1472, "the segment size: the first's");
  // The iovecs of a run are consecutive: the kernel reads msg_iovlen of them from msg_iov.
  const iovecs = offsetAt(batch, message + 16);
  for (let k = 0; k < 3; k++) {
    assert.equal(
      offsetAt(batch, iovecs + 16 * k),
      offsetAt(batch, offsetAt(batch, (1 + k) * 64 + 16)),
    );
  }
});

Deno.test("DatagramBatch ends a GSO run at a new destination, a larger datagram or after a shorter one", () => {
  const batch = batchOf([[A, 1000], [A, 1000], [B, 1000], [B, 1000], [B, 1200], [B, 900], [
    B,
    900,
  ]]);
  assert.equal(batch.gsoRunEnd(0), 2, "B starts a new run");
  assert.equal(batch.gsoRunEnd(2), 4, "a larger datagram starts a new run");
  assert.equal(batch.gsoRunEnd(4), 6, "the shorter one is the run's last");
  assert.equal(batch.gsoRunEnd(6), 7);
});

Deno.test("DatagramBatch keeps a GSO run within GSO_MAX_SEGMENTS and GSO_MAX_BYTES", () => {
  const many = batchOf(Array(GSO_MAX_SEGMENTS + 6).fill([A, 10]), GSO_MAX_SEGMENTS + 6);
  assert.equal(many.gsoRunEnd(0), GSO_MAX_SEGMENTS);
  const size = 1472;
  const fit = Math.floor(GSO_MAX_BYTES / size);
  const big = batchOf(Array(fit + 3).fill([A, size]), fit + 3);
  assert.equal(big.gsoRunEnd(0), fit);
  assert.ok(fit * size <= GSO_MAX_BYTES && (fit + 1) * size > GSO_MAX_BYTES);
});

Deno.test("DatagramBatch keeps a datagram without an IPv4 name or too large for a slot for Deno's send, last", () => {
  const batch = new DatagramBatch(8, 100, () => BASE);
  batch.push(new Uint8Array(50), A, nameOf(A));
  const large = new Uint8Array(150).fill(3);
  batch.push(large, A, nameOf(A));
  assert.ok(batch.full, "nothing may be polled after a datagram held by reference");
  assert.equal(batch.sendable, 1);
  assert.equal(batch.datagram(1), large, "held as it is");
  assert.equal(batch.gsoRunEnd(0), 1, "the run stops before it");
  assert.equal(batch.gsoRunEnd(1), 1, "it is no run at all");
  batch.clear();
  batch.push(Uint8Array.of(1), "[::1]:4000", null);
  assert.ok(batch.full);
  assert.equal(batch.sendable, 0);
  assert.deepEqual(batch.datagram(0), Uint8Array.of(1));
});

Deno.test("DatagramBatch is full at its capacity and empty again after clear", () => {
  const batch = batchOf([[A, 1], [A, 1]], 2);
  assert.ok(batch.full);
  assert.throws(() => batch.push(Uint8Array.of(1), A, nameOf(A)), RangeError);
  batch.clear();
  assert.equal(batch.count, 0);
  assert.ok(!batch.full);
});
