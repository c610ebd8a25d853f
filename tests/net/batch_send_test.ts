import assert from "node:assert/strict";
import { BatchSender, GSO_FAILURE_LIMIT } from "../../lib/net/batch_send.ts";
import { DatagramBatch } from "../../lib/net/datagram_batch.ts";
import { type Libc, libc } from "../../lib/net/libc.ts";
import { sockaddrIn } from "../../lib/net/sockaddr.ts";

const BASE = 0x10_0000n;
const ERRNO_ADDRESS = 0x7000n;
const EAGAIN = 11;
const EIO = 5;
const EPERM = 1;

function udp(): Deno.DatagramConn {
  return Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
}

function keyOf(socket: Deno.DatagramConn): string {
  return `127.0.0.1:${(socket.addr as Deno.NetAddr).port}`;
}

function nameOf(key: string): Uint8Array {
  const [hostname, port] = key.split(":");
  return sockaddrIn({ transport: "udp", hostname: hostname!, port: Number(port) })!;
}

/** A datagram of `size` bytes that says its number `n` in every byte. */
function numbered(n: number, size: number): Uint8Array {
  return new Uint8Array(size).fill(n);
}

Deno.test({
  name: "BatchSender delivers a batch of GSO runs and single datagrams whole and in order",
  ignore: libc() === null,
  async fn() {
    const a = udp();
    const b = udp();
    const from = udp();
    const sender = BatchSender.open(from.addr as Deno.NetAddr, { capacity: 32, slotBytes: 1500 });
    assert.ok(sender !== null);
    // A run of 12 to a (the last shorter), then b and a alternating, then a run of 6 to b.
    const plan: [Deno.DatagramConn, number][] = [];
    for (let i = 0; i < 11; i++) plan.push([a, 1472]);
    plan.push([a, 300]);
    for (let i = 0; i < 8; i++) plan.push([i % 2 === 0 ? b : a, 100 + i]);
    for (let i = 0; i < 6; i++) plan.push([b, 1000]);
    for (const [i, [to, size]] of plan.entries()) {
      sender.batch.push(numbered(i, size), keyOf(to), nameOf(keyOf(to)));
    }
    await sender.flush(() => Promise.reject(new Error("No datagram should need Deno's send")));
    try {
      for (const socket of [a, b]) {
        const expected = [...plan.entries()].filter(([, [to]]) => to === socket);
        for (const [i, [, size]] of expected) {
          const [bytes] = await socket.receive();
          assert.deepEqual(bytes, numbered(i, size), `datagram ${i}`);
        }
      }
      assert.deepEqual(sender.stats, { calls: 3, batched: plan.length, fallbacks: 0 });
    } finally {
      for (const socket of [a, b, from]) socket.close();
    }
  },
});

/** What a fake libc was asked to send, and how it answers. */
class FakeKernel {
  errno = 0;
  /** Datagram numbers the kernel took, in order. */
  readonly taken: number[] = [];
  gsoCalls = 0;
  mmsgCalls = 0;
  /** How the next calls answer: a count for sendmmsg, or an errno to fail with. */
  mmsgAnswers: (number | { errno: number })[] = [];
  gsoAnswers: ({ errno: number } | "ok")[] = [];

  constructor(readonly batch: DatagramBatch) {}

  libc(): Libc {
    const fake = {
      sendmmsg: (_fd: number, at: bigint, count: number) => {
        this.mmsgCalls++;
        const start = Number((at - BASE) / 64n);
        const answer = this.mmsgAnswers.shift() ?? count;
        if (typeof answer !== "number") return this.#fail(answer.errno);
        const sent = Math.min(answer, count);
        for (let i = start; i < start + sent; i++) this.taken.push(this.batch.datagram(i)[0]!);
        return sent;
      },
      sendmsg: () => {
        this.gsoCalls++;
        const answer = this.gsoAnswers.shift() ?? "ok";
        if (answer !== "ok") return this.#fail(answer.errno);
        const view = new DataView(this.batch.block.buffer);
        const gso = Number(this.batch.gsoMessageAddress - BASE);
        const start = (view.getBigUint64(gso + 16, true) - view.getBigUint64(16, true)) / 16n;
        const count = Number(view.getBigUint64(gso + 24, true));
        for (let i = Number(start); i < Number(start) + count; i++) {
          this.taken.push(this.batch.datagram(i)[0]!);
        }
        return 1;
      },
      __errno_location: () => ERRNO_ADDRESS,
      read_at: (into: Uint8Array, at: bigint) => {
        assert.equal(at, ERRNO_ADDRESS);
        new DataView(into.buffer).setInt32(0, this.errno, true);
        return 0n;
      },
    };
    return fake as unknown as Libc;
  }

  #fail(errno: number): number {
    this.errno = errno;
    return -1;
  }
}

/** A sender on a fake kernel with `sizes` datagrams to `127.0.0.1:9`, numbered from 0. */
function fakeSender(sizes: number[]): { sender: BatchSender; kernel: FakeKernel } {
  const batch = new DatagramBatch(32, 1500, () => BASE);
  const kernel = new FakeKernel(batch);
  const sender = new BatchSender(kernel.libc(), 3, batch);
  for (const [i, size] of sizes.entries()) {
    batch.push(numbered(i, size), "127.0.0.1:9", nameOf("127.0.0.1:9"));
  }
  return { sender, kernel };
}

Deno.test("BatchSender hands the datagram a partial sendmmsg stopped at to the fallback and sends the rest", async () => {
  const sizes = [100, 200, 300, 400, 500, 600]; // all different: no GSO runs
  const { sender, kernel } = fakeSender(sizes);
  kernel.mmsgAnswers = [2, { errno: EPERM }];
  const fallback: number[] = [];
  await sender.flush((i) => (fallback.push(i), Promise.resolve(true)));
  assert.deepEqual(fallback, [2], "the refused one, once");
  assert.deepEqual(kernel.taken, [0, 1, 3, 4, 5], "the rest, each once, in order");
});

Deno.test("BatchSender hands the first of a failed GSO run to the fallback and sends the rest", async () => {
  const { sender, kernel } = fakeSender([1000, 1000, 1000, 1000]);
  kernel.gsoAnswers = [{ errno: EAGAIN }];
  const fallback: number[] = [];
  await sender.flush((i) => (fallback.push(i), Promise.resolve(true)));
  assert.deepEqual(fallback, [0]);
  assert.deepEqual(kernel.taken, [1, 2, 3]);
  assert.equal(kernel.gsoCalls, 2);
  assert.ok(sender.gso, "a full socket buffer says nothing about GSO");
});

Deno.test("BatchSender stops trying GSO after GSO_FAILURE_LIMIT failures in a row, not for EAGAIN", async () => {
  const { sender, kernel } = fakeSender(Array(32).fill(1000));
  kernel.gsoAnswers = [
    ...Array(GSO_FAILURE_LIMIT - 1).fill({ errno: EIO }),
    { errno: EAGAIN },
    { errno: EIO },
  ];
  const fallback: number[] = [];
  await sender.flush((i) => (fallback.push(i), Promise.resolve(true)));
  assert.equal(sender.gso, false);
  assert.equal(fallback.length, GSO_FAILURE_LIMIT + 1, "each failure's first datagram");
  assert.equal(kernel.gsoCalls, GSO_FAILURE_LIMIT + 1);
  assert.equal(kernel.mmsgCalls, 1, "the rest in one sendmmsg");
  assert.deepEqual([...kernel.taken, ...fallback].sort((x, y) => x - y), [...Array(32).keys()]);
});

Deno.test("BatchSender stops a flush when the fallback says the socket closed", async () => {
  const { sender, kernel } = fakeSender([100, 200, 300]);
  kernel.mmsgAnswers = [{ errno: EAGAIN }, 5];
  let calls = 0;
  await sender.flush(() => (calls++, Promise.resolve(false)));
  assert.equal(calls, 1);
  assert.deepEqual(kernel.taken, [], "nothing sent on a closed socket");
});
