/**
 * DatagramOutbox (tools/relay/datagram_outbox.ts), the relay's bounded send queue, on real sockets.
 */
import assert from "node:assert/strict";
import { DatagramOutbox } from "../../../tools/relay/datagram_outbox.ts";
import { waitFor } from "../../transfer/_harness.ts";

const LOCAL = "127.0.0.1";

function socket(): Deno.DatagramConn {
  return Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
}

function addressOf(conn: Deno.DatagramConn): Deno.NetAddr {
  return conn.addr as Deno.NetAddr;
}

Deno.test("DatagramOutbox sends queued datagrams in order and counts them", async () => {
  const [sender, receiver] = [socket(), socket()];
  const outbox = new DatagramOutbox(sender);
  try {
    for (let i = 0; i < 20; i++) outbox.push(new Uint8Array([i, 0, 0]), addressOf(receiver));
    const got: number[] = [];
    while (got.length < 20) got.push((await receiver.receive())[0][0]!);
    assert.deepEqual(got, [...Array(20).keys()]);
    await outbox.idle;
    assert.deepEqual(outbox.stats, {
      forwarded: 20,
      forwardedBytes: 60,
      sendErrors: 0,
      queueOverflows: 0,
    });
    // A push after the queue drained starts sending again.
    outbox.push(new Uint8Array([99]), addressOf(receiver));
    assert.equal((await receiver.receive())[0][0], 99);
  } finally {
    outbox.close();
    await outbox.idle;
    receiver.close();
  }
});

Deno.test("DatagramOutbox drops datagrams past its limit and counts refused sends", async () => {
  const sender = socket();
  const outbox = new DatagramOutbox(sender, 3);
  try {
    const nowhere: Deno.NetAddr = { transport: "udp", hostname: LOCAL, port: 0 }; // EINVAL
    for (let i = 0; i < 5; i++) outbox.push(new Uint8Array([i]), nowhere);
    // The first push starts a send at once, leaving room for three more behind it.
    assert.equal(outbox.stats.queueOverflows, 1);
    await waitFor("the refused sends", () => outbox.stats.sendErrors === 4);
    assert.equal(outbox.stats.forwarded, 0);
  } finally {
    outbox.close();
    await outbox.idle;
  }
});

Deno.test("DatagramOutbox ignores pushes once closed", async () => {
  const outbox = new DatagramOutbox(socket());
  outbox.close();
  outbox.push(new Uint8Array([1]), { transport: "udp", hostname: LOCAL, port: 9 });
  await outbox.idle;
  assert.equal(outbox.queued, 0);
  assert.deepEqual(outbox.stats, {
    forwarded: 0,
    forwardedBytes: 0,
    sendErrors: 0,
    queueOverflows: 0,
  });
});
