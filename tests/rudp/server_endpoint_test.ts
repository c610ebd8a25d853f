import assert from "node:assert/strict";
import { BbrController } from "../../lib/rudp/recovery/bbr.ts";
import { ClientConnection } from "../../lib/rudp/client_connection.ts";
import type { CongestionController } from "../../lib/rudp/recovery/congestion.ts";
import { encodePacket } from "../../lib/rudp/wire/packet.ts";
import { ServerEndpoint } from "../../lib/rudp/server_endpoint.ts";
import {
  IDLE_TIMEOUT_MS,
  MAX_RECEIVE_BUFFER_BYTES,
  MIN_RECEIVE_BUFFER_BYTES,
} from "../../lib/rudp/connection/transport_options.ts";
import { SimLink } from "../../lib/netsim/link.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { clientNode, serverNode } from "../../lib/netsim/transfer_nodes.ts";
import { Pair } from "./_pair.ts";
import { CLIENT, HashingSink, PatternSource, runTransfer, SERVER, withSeed } from "./_transfer.ts";
import { decodeWire, TEST_KEY } from "./_keys.ts";
import { helloBytes, newEndpoint } from "./_endpoint.ts";

const PATH = { delayMs: 10 };
const ATTACKER = "10.0.0.66:6666";

Deno.test("server drops a spoofed packet from another address, counts it, and the transfer is unaffected", () => {
  let injected = 0;
  let sent = 0;
  let linkRef: SimLink | null = null;
  const r = withSeed(40, () =>
    runTransfer({
      seed: 40,
      size: 500_000,
      toClient: PATH,
      toServer: PATH,
      // Replay every 10th client packet from the attacker's address.
      onSend: (now, from, _to, bytes) => {
        if (from === CLIENT && decodeWire(bytes).ok && ++sent % 10 === 0) {
          linkRef!.inject(now + 1, ATTACKER, SERVER, bytes);
          injected++;
        }
      },
      before: ({ link }) => {
        linkRef = link;
      },
    }));
  assert.ok(injected > 0);
  assert.equal(r.endpoint.stats().dropped.ADDRESS_MISMATCH, injected);
  assert.equal(r.receivedHash, r.expectedHash);
  assert.ok(r.serverEvents.some((e) => e.kind === "completed"));
});

Deno.test("server drops a hello without the transfer key, counts it, and the real client still gets through", () => {
  const r = withSeed(41, () =>
    runTransfer({
      seed: 41,
      size: 200_000,
      toClient: PATH,
      toServer: PATH,
      before: ({ link }) => {
        // The attacker guesses the transfer id but not the token or the key, and is first.
        const guess = new Uint8Array(16).fill(1);
        link.inject(0, ATTACKER, SERVER, helloBytes(guess, 1, new Uint8Array(32)));
      },
    }));
  assert.equal(r.endpoint.stats().dropped.UNAUTHENTICATED, 1);
  assert.equal(r.receivedHash, r.expectedHash);
});

Deno.test("server drops hellos for unknown transfers and short packets for unknown connections", () => {
  const { endpoint, token } = newEndpoint();
  endpoint.handleDatagram(0, helloBytes(token, 99), ATTACKER);
  const stray = encodePacket({
    type: "short",
    dcid: new Uint8Array(8).fill(5),
    number: 3,
    frames: [{ type: "ping" }],
  });
  endpoint.handleDatagram(0, stray, ATTACKER);
  endpoint.handleDatagram(0, new Uint8Array([1, 2, 3]), ATTACKER);
  const stats = endpoint.stats();
  assert.equal(stats.dropped.UNKNOWN_TRANSFER, 1);
  assert.equal(stats.dropped.UNKNOWN_CONNECTION, 1);
  assert.equal(stats.dropped.MALFORMED_PACKET, 1);
  assert.equal(stats.connections, 0);
  assert.equal(endpoint.pollTransmit(0), null);
});

Deno.test("server sends at most 3x the bytes it received before the address is validated", () => {
  const { endpoint, token } = newEndpoint();
  let received = 0;
  let sent = 0;
  // A spoofed source: hellos keep coming, nobody ever confirms.
  for (let i = 0; i < 5; i++) {
    const hello = helloBytes(token);
    endpoint.handleDatagram(i * 100, hello, ATTACKER);
    received += hello.length;
    for (
      let out = endpoint.pollTransmit(i * 100);
      out !== null;
      out = endpoint.pollTransmit(i * 100)
    ) {
      sent += out.bytes.length;
    }
    endpoint.handleTimeout(i * 100 + 99);
    for (
      let out = endpoint.pollTransmit(i * 100 + 99);
      out !== null;
      out = endpoint.pollTransmit(i * 100 + 99)
    ) {
      sent += out.bytes.length;
    }
    assert.ok(sent <= 3 * received, `sent ${sent} for ${received} received`);
  }
  assert.ok(sent > 0, "the server never answered");
  const stats = endpoint.transferStats(1)!;
  assert.equal(stats.bytesSentBeforeValidation, sent);
  assert.equal(stats.dataBytesSent, 0, "file data left before validation");
});

Deno.test("server never exceeds the amplification limit during a real lossy handshake", () => {
  const r = runTransfer({
    seed: 42,
    size: 100_000,
    toClient: { delayMs: 10, loss: 0.3 },
    toServer: { delayMs: 10, loss: 0.3 },
  });
  assert.equal(r.receivedHash, r.expectedHash);
  const s = r.senderStats;
  assert.ok(s.bytesSentBeforeValidation > 0);
  assert.ok(s.bytesSentBeforeValidation <= 3 * s.bytesReceivedBeforeValidation);
});

Deno.test("server gives up on a client that vanishes mid-transfer and frees its state within the bound", () => {
  const idleTimeoutMs = 5_000;
  const vanishAt = 300;
  let failedAt = -1;
  const prng = new Prng(43);
  const endpoint = new ServerEndpoint({ random: (b) => prng.fill(b), idleTimeoutMs });
  const token = new Uint8Array(16).fill(4);
  endpoint.expect({
    transferId: 1,
    token,
    key: TEST_KEY,
    direction: "download",
    size: 50_000_000,
    source: new PatternSource(),
    expiresAt: 1000,
  });
  const client = new ClientConnection({
    transferId: 1,
    token,
    key: TEST_KEY,
    direction: "download",
    size: 50_000_000,
    random: (b) => prng.fill(b),
  }, 0);
  const link = new SimLink({
    seed: 43,
    path: () => PATH,
    filter: (now) => now < vanishAt,
  });
  let failure = "";
  link.add(serverNode(endpoint, SERVER, {
    onEvent: (e, now) => {
      if (e.kind === "failed") {
        failedAt = now;
        failure = e.code;
      }
    },
  }));
  let sink = 0;
  link.add(
    clientNode(client, CLIENT, SERVER, {
      onEvent: (e) => e.kind === "data" && (sink += e.bytes.length),
    }),
  );
  link.run(() => link.now > vanishAt && endpoint.stats().connections === 0, { maxTimeMs: 120_000 });
  assert.ok(sink > 0, "no data flowed before the client vanished");
  // 5 s of silence come before 8 doubling probe timeouts run out (PEER_UNREACHABLE, tested apart).
  assert.equal(failure, "IDLE_TIMEOUT");
  assert.ok(failedAt <= vanishAt + idleTimeoutMs + 100, `gave up at ${failedAt} ms`);
  assert.equal(endpoint.transferStats(1), null);
});

Deno.test("server expires a grant nobody used and reports GRANT_EXPIRED", () => {
  const { endpoint, token } = newEndpoint();
  assert.equal(endpoint.pollTimeout(), 10_000);
  endpoint.handleTimeout(10_000);
  assert.deepEqual(endpoint.pollEvent(), {
    transferId: 1,
    kind: "failed",
    code: "GRANT_EXPIRED",
    message: "No hello in time",
    remote: false,
  });
  assert.equal(endpoint.pollEvent()?.kind, "closed");
  endpoint.handleDatagram(10_001, helloBytes(token), ATTACKER);
  assert.equal(endpoint.stats().dropped.UNKNOWN_TRANSFER, 1);
});

Deno.test("server rejects a reused transfer id and bad grants", () => {
  const { endpoint, token } = newEndpoint();
  const grant = {
    transferId: 1,
    token,
    key: TEST_KEY,
    direction: "download" as const,
    size: 1000,
    source: new PatternSource(),
    expiresAt: 1,
  };
  assert.throws(() => endpoint.expect(grant), TypeError);
  assert.throws(
    () => endpoint.expect({ ...grant, transferId: 2, token: new Uint8Array(3) }),
    RangeError,
  );
  assert.throws(() => endpoint.expect({ ...grant, transferId: 3, startOffset: 2000 }), RangeError);
  const { source: _source, ...noSource } = grant;
  assert.throws(() => endpoint.expect({ ...noSource, transferId: 4 }), TypeError);
});

Deno.test("server runs many transfers at once on one endpoint, in both directions", () => {
  const seed = 44;
  withSeed(seed, () => {
    const prng = new Prng(seed);
    const endpoint = new ServerEndpoint({ random: (b) => prng.fill(b) });
    const link = new SimLink({ seed, path: () => ({ delayMs: 10, loss: 0.05 }) });
    const source = new PatternSource();
    const sinks = new Map<number, HashingSink>();
    const completed = new Set<string>();
    const clients: ClientConnection[] = [];
    const count = 8;
    for (let id = 1; id <= count; id++) {
      const token = new Uint8Array(16);
      prng.fill(token);
      const direction = id % 2 === 0 ? "upload" as const : "download" as const;
      const size = 100_000 + id * 37_003;
      const src = { source };
      endpoint.expect({
        transferId: id,
        token,
        key: TEST_KEY,
        direction,
        size,
        expiresAt: 10_000,
        ...(direction === "download" ? src : {}),
      });
      const client = new ClientConnection({
        transferId: id,
        token,
        key: TEST_KEY,
        direction,
        size,
        random: (b) => prng.fill(b),
        ...(direction === "upload" ? src : {}),
      }, 0);
      clients.push(client);
      sinks.set(id, new HashingSink(0));
      link.add(clientNode(client, `10.0.1.${id}:5000`, SERVER, {
        onEvent: (e) => {
          if (e.kind === "data") sinks.get(id)!.write(e.offset, e.bytes);
          if (e.kind === "completed") completed.add(`c${id}`);
        },
      }));
    }
    link.add(serverNode(endpoint, SERVER, {
      onEvent: (e) => {
        if (e.kind === "data") sinks.get(e.transferId)!.write(e.offset, e.bytes);
        if (e.kind === "completed") completed.add(`s${e.transferId}`);
      },
    }));
    link.run(() => clients.every((c) => c.isClosed) && endpoint.stats().connections === 0, {
      maxTimeMs: 120_000,
    });
    assert.equal(completed.size, 2 * count);
    for (let id = 1; id <= count; id++) {
      const size = 100_000 + id * 37_003;
      assert.equal(sinks.get(id)!.digest(), source.sha256(0, size), `transfer ${id} corrupted`);
    }
  });
});

Deno.test("server frees a half-open handshake (valid hello, no confirm) within the idle timeout", () => {
  const { endpoint, token } = newEndpoint();
  endpoint.handleDatagram(0, helloBytes(token), ATTACKER); // a spoofed source never confirms
  assert.equal(endpoint.stats().connections, 1);
  let now = 0;
  while (endpoint.stats().connections > 0 && now < 60_000) {
    while (endpoint.pollTransmit(now) !== null) { /* answers go to the victim address */ }
    now = Math.max(now + 1, endpoint.pollTimeout() ?? now + 1000);
    endpoint.handleTimeout(now);
  }
  assert.equal(endpoint.stats().connections, 0);
  assert.ok(now <= IDLE_TIMEOUT_MS + 1000, `freed after ${now} ms`);
  const codes: string[] = [];
  for (let e = endpoint.pollEvent(); e !== null; e = endpoint.pollEvent()) {
    if (e.kind === "failed") codes.push(e.code);
  }
  // Before the address is proven the server sends nothing unprompted, so it never probes.
  assert.deepEqual(codes, ["IDLE_TIMEOUT"]);
});

Deno.test("server answers nothing to spoofed hellos without the token, whatever their number", () => {
  const { endpoint } = newEndpoint();
  let received = 0;
  for (let i = 0; i < 1000; i++) {
    const wrong = new Uint8Array(16).fill(10 + (i % 240)); // the real token is all 7s
    const hello = helloBytes(wrong, i % 3 === 0 ? 99 : 1);
    endpoint.handleDatagram(i, hello, `10.1.${i >> 8}.${i & 0xff}:999`);
    received += hello.length;
  }
  let sent = 0;
  for (let out = endpoint.pollTransmit(1000); out; out = endpoint.pollTransmit(1000)) {
    sent += out.bytes.length;
  }
  assert.equal(sent, 0, `amplification ${sent / received}`);
  assert.equal(endpoint.stats().connections, 0);
});

Deno.test("server sends no more than a frozen window while the client's application reads nothing", () => {
  const windowBytes = 64 * 1024;
  const pair = new Pair({
    transfers: [{ direction: "download", size: 5_000_000 }],
    transport: { receiveWindowBytes: windowBytes },
  });
  pair.holdClientEvents = true;
  pair.runUntil(() => false, 10_000);
  const stats = pair.endpoint.transferStats(1)!;
  assert.ok(stats.dataBytesSent > 0, "nothing sent");
  assert.ok(
    stats.dataBytesSent <= windowBytes,
    `${stats.dataBytesSent} bytes sent into a ${windowBytes} window`,
  );
  assert.ok(
    !pair.serverEvents.some((e) => e.kind === "failed"),
    "the stalled transfer was dropped",
  );
  pair.holdClientEvents = false;
  pair.runUntil(() => pair.completed(1));
  assert.ok(pair.completed(1));
});

Deno.test("server ends with INTERNAL_ERROR only the transfer whose own code throws; the rest go on", () => {
  let created = 0;
  // Controllers are made in order: the two clients', then the first server connection's.
  const congestion = (bytes: number): CongestionController => {
    const inner = new BbrController(bytes);
    if (++created !== 3) return inner;
    return {
      name: inner.name,
      onPacketSent: (now, sent, inFlight) => inner.onPacketSent(now, sent, inFlight),
      onAck: () => {
        throw new RangeError("Cannot happen: a bug in the controller");
      },
      onLoss: (now, sample) => inner.onLoss(now, sample),
      congestionWindow: () => inner.congestionWindow(),
      pacingRate: (rtt) => inner.pacingRate(rtt),
    };
  };
  const pair = new Pair({
    transfers: [{ direction: "download", size: 2_000_000 }, {
      direction: "download",
      size: 2_000_000,
    }],
    transport: { congestion },
  });
  pair.runUntil(() => pair.completed(2) && pair.eventsOf(1).some((e) => e.kind === "closed"));
  const failed = pair.eventsOf(1).find((e) => e.kind === "failed");
  assert.ok(failed?.kind === "failed" && failed.code === "INTERNAL_ERROR", JSON.stringify(failed));
  assert.match(failed.message, /a bug in the controller/);
  assert.ok(pair.completed(2));
  assert.equal(pair.endpoint.stats().connections, 0);
});

Deno.test("server drops unread a datagram larger than it announces (OVERSIZED), at any byte over", () => {
  const { endpoint, token } = newEndpoint();
  const hello = helloBytes(token);
  const oversized = new Uint8Array(1201);
  oversized.set(hello);
  endpoint.handleDatagram(0, oversized, CLIENT);
  assert.equal(endpoint.stats().dropped.OVERSIZED, 1);
  assert.equal(endpoint.pollTransmit(0), null);
  endpoint.handleDatagram(0, hello, CLIENT); // the same hello at the announced size is answered
  assert.notEqual(endpoint.pollTransmit(0), null);
  assert.equal(endpoint.stats().dropped.OVERSIZED, 1);
});

/** A congestion factory that records, per controller in the order made, the buffers it was told. */
function bufferSpy(): { congestion: (bytes: number) => CongestionController; told: number[][] } {
  const told: number[][] = [];
  const congestion = (bytes: number): CongestionController => {
    const inner = new BbrController(bytes);
    const mine: number[] = [];
    told.push(mine);
    return Object.assign(inner, {
      setReceiverBuffer: (buffer: number) => {
        mine.push(buffer);
        BbrController.prototype.setReceiverBuffer.call(inner, buffer);
      },
    });
  };
  return { congestion, told };
}

Deno.test("each end's sender keeps to the receive buffer the other announced; the server announces a share", () => {
  const { congestion, told } = bufferSpy();
  const pair = new Pair({
    transfers: [{ direction: "download", size: 200_000 }, { direction: "upload", size: 200_000 }],
    transport: { congestion, receiveBufferBytes: 3_000_000 },
  });
  pair.runUntil(() => pair.completed(1) && pair.completed(2));
  // Made in order: the two clients' controllers, then the server's two connections'.
  assert.equal(told.length, 4);
  // The server's senders took what each client's hello announced.
  assert.deepEqual(told[2], [3_000_000]);
  assert.deepEqual(told[3], [3_000_000]);
  // The clients took the server's challenges: all of its buffer for the first transfer open
  // with it, half for the second (its one socket serves both).
  assert.deepEqual(told[0], [3_000_000]);
  assert.deepEqual(told[1], [1_500_000]);
});

Deno.test("server takes a hello's receive buffer within MIN_RECEIVE_BUFFER_BYTES..MAX_RECEIVE_BUFFER_BYTES", () => {
  for (
    const [announced, taken] of [
      [1, MIN_RECEIVE_BUFFER_BYTES],
      [2 ** 40, MAX_RECEIVE_BUFFER_BYTES],
      [500_000, 500_000],
    ]
  ) {
    const { congestion, told } = bufferSpy();
    const { endpoint, token } = newEndpoint({ congestion });
    endpoint.handleDatagram(0, helloBytes(token, 1, TEST_KEY, announced!), CLIENT);
    assert.equal(endpoint.stats().connections, 1, `${announced}`);
    assert.deepEqual(told, [[taken]], `${announced}`);
  }
});

Deno.test("server times its first round trip from its challenge to the client's confirm", () => {
  const { endpoint, token } = newEndpoint();
  const prng = new Prng(9);
  const client = new ClientConnection({
    transferId: 1,
    token,
    key: TEST_KEY,
    direction: "download",
    size: 1000,
    random: (b) => prng.fill(b),
  }, 0);
  endpoint.handleDatagram(0, client.pollTransmit(0)!, CLIENT);
  const challenge = endpoint.pollTransmit(0)!;
  client.handleDatagram(30, challenge.bytes, SERVER);
  const confirm = client.pollTransmit(30)!;
  endpoint.handleDatagram(60, confirm, CLIENT);
  // No data was acknowledged yet: the 60 ms is the challenge's round trip, not the default 250.
  assert.equal(endpoint.transferStats(1)?.smoothedRttMs, 60);
});
