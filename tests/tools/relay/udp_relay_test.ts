/**
 * UdpRelay on real sockets: forwarding both ways per client, seeded impairment, delay, idle
 * clients, limits, and sends the kernel refuses.
 */
import assert from "node:assert/strict";
import { UdpRelay, type UdpRelayOptions } from "../../../tools/relay/udp_relay.ts";
import { waitFor } from "../../transfer/_harness.ts";

const LOCAL = "127.0.0.1";

/** A UDP server that answers every datagram with its bytes reversed; records what it got. */
class EchoServer {
  readonly socket = Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
  readonly received: Uint8Array[] = [];
  readonly #loop: Promise<void>;
  constructor(readonly answer = true) {
    this.#loop = this.#run();
  }
  get port(): number {
    return (this.socket.addr as Deno.NetAddr).port;
  }
  async close(): Promise<void> {
    this.socket.close();
    await this.#loop;
  }
  async #run(): Promise<void> {
    const buffer = new Uint8Array(65_536);
    try {
      for (;;) {
        const [bytes, from] = await this.socket.receive(buffer);
        this.received.push(bytes.slice());
        if (this.answer) await this.socket.send(bytes.slice().reverse(), from);
      }
    } catch {
      // Closed.
    }
  }
}

function relayTo(port: number, options: Partial<UdpRelayOptions> = {}): UdpRelay {
  return new UdpRelay({
    listen: { hostname: LOCAL, port: 0 },
    target: { hostname: LOCAL, port },
    toServer: {},
    toClient: {},
    seed: 1,
    ...options,
  });
}

function client(): Deno.DatagramConn {
  return Deno.listenDatagram({ hostname: LOCAL, port: 0, transport: "udp" });
}

async function exchange(socket: Deno.DatagramConn, port: number, text: string): Promise<string> {
  await socket.send(new TextEncoder().encode(text), { transport: "udp", hostname: LOCAL, port });
  const [bytes] = await socket.receive();
  return new TextDecoder().decode(bytes);
}

Deno.test("UdpRelay forwards both ways and maps each client's replies back to it", async () => {
  const echo = new EchoServer();
  const relay = relayTo(echo.port);
  const [a, b] = [client(), client()];
  try {
    assert.equal(await exchange(a, relay.port, "abc"), "cba");
    assert.equal(await exchange(b, relay.port, "xyz"), "zyx");
    assert.equal(await exchange(a, relay.port, "12"), "21");
    const stats = relay.stats();
    assert.equal(stats.flows, 2);
    assert.equal(stats.toServer.forwarded, 3);
    assert.equal(stats.toClient.forwarded, 3);
    assert.equal(stats.toServer.forwardedBytes, 8);
  } finally {
    a.close();
    b.close();
    await relay.close();
    await echo.close();
  }
});

/** Sends 200 numbered datagrams through a 30% lossy relay; returns the numbers that arrived. */
async function survivors(seed: number): Promise<number[]> {
  const sink = new EchoServer(false);
  const relay = relayTo(sink.port, { toServer: { loss: 0.3, duplicate: 0.1 }, seed });
  const socket = client();
  try {
    for (let i = 0; i < 200; i++) {
      await socket.send(new Uint8Array([i]), {
        transport: "udp",
        hostname: LOCAL,
        port: relay.port,
      });
    }
    await waitFor(
      "the relay to take all 200",
      () => relay.stats().toServer.impairment.sent === 200,
    );
    const expected = relay.stats().toServer.forwarded;
    await waitFor("the sink to get what was forwarded", () => sink.received.length === expected);
    return sink.received.map((bytes) => bytes[0]!);
  } finally {
    socket.close();
    await relay.close();
    await sink.close();
  }
}

Deno.test("UdpRelay drops and duplicates the same datagrams for the same seed", async () => {
  const first = await survivors(7);
  const again = await survivors(7);
  const other = await survivors(8);
  assert.deepEqual(again, first);
  assert.notDeepEqual(other, first);
  assert.ok(first.length > 100 && first.length < 200, `${first.length} of 200 arrived`);
  assert.ok(first.some((n, i) => first.indexOf(n) !== i), "some arrived twice");
});

Deno.test("UdpRelay delays each direction by its delay", async () => {
  const echo = new EchoServer();
  const relay = relayTo(echo.port, { toServer: { delayMs: 15 }, toClient: { delayMs: 25 } });
  const socket = client();
  try {
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      assert.equal(await exchange(socket, relay.port, "ab"), "ba");
      const rtt = performance.now() - started;
      assert.ok(rtt >= 40, `round trip of ${rtt.toFixed(2)} ms is at least 15 + 25`);
      assert.ok(rtt < 40 + 100, `round trip of ${rtt.toFixed(2)} ms is not far above`);
    }
  } finally {
    socket.close();
    await relay.close();
    await echo.close();
  }
});

Deno.test("UdpRelay delivers corrupted copies and leaves the sender's bytes alone", async () => {
  const sink = new EchoServer(false);
  const relay = relayTo(sink.port, { toServer: { corrupt: 1 } });
  const socket = client();
  try {
    const sent = new Uint8Array(64).fill(0x55);
    await socket.send(sent, { transport: "udp", hostname: LOCAL, port: relay.port });
    await waitFor("the corrupted copy", () => sink.received.length === 1);
    const got = sink.received[0]!;
    assert.equal(got.length, 64);
    assert.notDeepEqual(got, sent);
    assert.ok(sent.every((b) => b === 0x55));
    assert.equal(relay.stats().toServer.impairment.corrupted, 1);
  } finally {
    socket.close();
    await relay.close();
    await sink.close();
  }
});

Deno.test("UdpRelay counts sends the kernel refuses as drops and keeps relaying", async () => {
  // Port 0 is refused by the kernel (EINVAL) on every send.
  const relay = relayTo(0);
  const socket = client();
  try {
    for (let i = 0; i < 3; i++) {
      await socket.send(new Uint8Array([i]), {
        transport: "udp",
        hostname: LOCAL,
        port: relay.port,
      });
    }
    await waitFor("three refused sends", () => relay.stats().toServer.sendErrors === 3);
    assert.equal(relay.stats().toServer.forwarded, 0);
  } finally {
    socket.close();
    await relay.close();
  }
});

Deno.test("UdpRelay refuses clients past maxFlows and closes idle clients' sockets", async () => {
  const echo = new EchoServer();
  const relay = relayTo(echo.port, { maxFlows: 1, flowIdleMs: 40 });
  const [a, b] = [client(), client()];
  try {
    assert.equal(await exchange(a, relay.port, "a1"), "1a");
    await b.send(new Uint8Array([1]), { transport: "udp", hostname: LOCAL, port: relay.port });
    await waitFor("the second client to be refused", () => relay.stats().flowsRefused === 1);
    await new Promise((wake) => setTimeout(wake, 80));
    // The next datagram sweeps a's idle socket away, so b now fits.
    await b.send(new Uint8Array([2]), { transport: "udp", hostname: LOCAL, port: relay.port });
    await waitFor("a to be swept", () => relay.stats().flowsOpened === 2);
    assert.equal(relay.stats().flows, 1);
  } finally {
    a.close();
    b.close();
    await relay.close();
    await echo.close();
  }
});
