// A connection's deadlines are brought up to date by its inputs and only read by pollTimeout;
// what frees flow-control window (polling data events) tells the endpoint there is output.
import assert from "node:assert/strict";
import { ClientConnection } from "../../../lib/rudp/client_connection.ts";
import { Recovery } from "../../../lib/rudp/recovery/recovery.ts";
import { Prng } from "../../../lib/netsim/prng.ts";
import { Pair, SERVER_ADDRESS } from "../_pair.ts";
import { TEST_KEY } from "../_keys.ts";
import { decodeWire } from "../_keys.ts";

Deno.test("connection pollTimeout is a read: a thousand calls compute no deadline", () => {
  const prng = new Prng(3);
  const client = new ClientConnection({
    transferId: 1,
    token: new Uint8Array(16),
    key: TEST_KEY,
    direction: "download",
    size: 10,
    random: (b) => prng.fill(b),
  }, 0);
  client.pollTransmit(0);
  const deadline = client.pollTimeout();
  assert.ok(deadline !== null && deadline > 0);
  const proto = Recovery.prototype;
  const original = proto.ptoDeadline;
  let computed = 0;
  proto.ptoDeadline = function (this: Recovery, armWhenIdle: boolean) {
    computed++;
    return original.call(this, armWhenIdle);
  };
  try {
    for (let i = 0; i < 1000; i++) assert.equal(client.pollTimeout(), deadline);
    assert.equal(computed, 0);
    client.handleTimeout(deadline); // an input: the deadlines are brought up to date once
    assert.ok(computed >= 1 && computed <= 2, `computed ${computed} times`);
    assert.ok(client.pollTimeout()! > deadline, "the hello's probe timer did not back off");
  } finally {
    proto.ptoDeadline = original;
  }
});

Deno.test("server endpoint sends the window update as soon as its application takes the data", () => {
  const windowBytes = 64 * 1024;
  const pair = new Pair({
    transfers: [{ direction: "upload", size: 1_000_000 }],
    transport: { receiveWindowBytes: windowBytes },
  });
  const client = pair.clients[0]!;
  pair.pump(2); // handshake done, server events drained
  // The client fills the window while the server's application takes nothing.
  for (let moved = true; moved;) {
    moved = false;
    for (let b = client.connection.pollTransmit(pair.now); b;) {
      pair.endpoint.handleDatagram(pair.now, b, client.address);
      b = client.connection.pollTransmit(pair.now);
      moved = true;
    }
    for (let out = pair.endpoint.pollTransmit(pair.now); out;) {
      client.connection.handleDatagram(pair.now, out.bytes, SERVER_ADDRESS);
      out = pair.endpoint.pollTransmit(pair.now);
    }
  }
  assert.ok(client.connection.stats().dataBytesSent >= windowBytes, "the window never filled");
  assert.equal(pair.endpoint.pollTransmit(pair.now), null);
  let taken = 0;
  for (let e = pair.endpoint.pollEvent(); e; e = pair.endpoint.pollEvent()) {
    if (e.kind === "data") taken += e.bytes.length;
  }
  assert.ok(taken >= windowBytes / 2);
  const out = pair.endpoint.pollTransmit(pair.now);
  assert.ok(out !== null, "no window update after the data was taken");
  const decoded = decodeWire(out.bytes);
  assert.ok(decoded.ok && decoded.packet.frames.some((f) => f.type === "max_data"));
});
