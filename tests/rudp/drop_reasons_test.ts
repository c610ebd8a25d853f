/**
 * Drops that guard the file channel against forged packets, each on its own: a short packet
 * before the client proved its address (`UNVALIDATED`), a second hello with another token
 * (`BAD_TOKEN` on a running connection), a hello that disagrees with its grant
 * (`GRANT_MISMATCH`), and at the client, a packet from an address other than the server's
 * (`ADDRESS_MISMATCH`).
 */
import assert from "node:assert/strict";
import type { HelloFrame } from "../../lib/rudp/wire/frame.ts";
import type { Packet } from "../../lib/rudp/wire/packet.ts";
import { ServerEndpoint } from "../../lib/rudp/server_endpoint.ts";
import type { SimLink } from "../../lib/netsim/link.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { CLIENT, PatternSource, runTransfer, SERVER, withSeed } from "./_transfer.ts";
import { decodeWire, protectedDatagram } from "./_keys.ts";
import { TEST_KEY } from "./_keys.ts";

const ATTACKER = "10.0.0.66:6666";
const TOKEN = new Uint8Array(16).fill(7);
const SIZE = 1000;

/** A client hello in packet `number` (a retransmission has a new one). */
function hello(overrides: Partial<HelloFrame> = {}, number = 0): Uint8Array {
  return protectedDatagram({
    type: "initial",
    dcid: new Uint8Array(8),
    number,
    frames: [{
      type: "hello",
      transferId: 1,
      token: TOKEN,
      sourceCid: new Uint8Array(8).fill(3),
      direction: "download",
      size: SIZE,
      startOffset: 0,
      maxDatagramBytes: 1200,
      receiveBufferBytes: 212_992,
      ...overrides,
    }],
  }, { padTo: 1200 });
}

function newEndpoint(): ServerEndpoint {
  const prng = new Prng(5);
  const endpoint = new ServerEndpoint({ random: (b) => prng.fill(b) });
  endpoint.expect({
    transferId: 1,
    token: TOKEN,
    key: TEST_KEY,
    direction: "download",
    size: SIZE,
    source: new PatternSource(),
    expiresAt: 10_000,
  });
  return endpoint;
}

/** The server's challenge to the hello it was just sent: its connection id and nonce. */
function challengeOf(endpoint: ServerEndpoint): { cid: Uint8Array; nonce: Uint8Array } {
  const out = endpoint.pollTransmit(0);
  assert.ok(out !== null, "the server answered the hello");
  const decoded = decodeWire(out.bytes);
  assert.ok(decoded.ok);
  const challenge = decoded.packet.frames.find((f) => f.type === "challenge");
  assert.ok(challenge?.type === "challenge");
  return { cid: challenge.sourceCid, nonce: challenge.nonce };
}

/** A short packet sealed as a holder of the key sends it: the client, unless `role` says. */
function short(
  dcid: Uint8Array,
  number: number,
  frames: Packet["frames"],
  role: "client" | "server" = "client",
): Uint8Array {
  return protectedDatagram({ type: "short", dcid, number, frames }, { role });
}

Deno.test("server drops short packets without the challenge's nonce until the address is proven", () => {
  const endpoint = newEndpoint();
  endpoint.handleDatagram(0, hello(), CLIENT);
  const { cid, nonce } = challengeOf(endpoint);
  // From the client's own address, but not proving it receives there.
  endpoint.handleDatagram(1, short(cid, 1, [{ type: "ping" }]), CLIENT);
  endpoint.handleDatagram(
    1,
    short(cid, 2, [{ type: "confirm", nonce: new Uint8Array(nonce.length) }]),
    CLIENT,
  );
  assert.equal(endpoint.stats().dropped.UNVALIDATED, 2);
  endpoint.handleDatagram(2, short(cid, 3, [{ type: "confirm", nonce }]), CLIENT);
  endpoint.handleDatagram(3, short(cid, 4, [{ type: "ping" }]), CLIENT);
  assert.equal(endpoint.stats().dropped.UNVALIDATED, 2, "once proven, packets pass");
});

Deno.test("server drops a second hello for a running transfer that carries another token", () => {
  const endpoint = newEndpoint();
  endpoint.handleDatagram(0, hello(), CLIENT);
  challengeOf(endpoint);
  endpoint.handleDatagram(1, hello({}, 1), CLIENT); // a retransmission: answered again
  assert.ok(endpoint.pollTransmit(1) !== null, "a retransmitted hello gets its challenge");
  endpoint.handleDatagram(2, hello({ token: new Uint8Array(16).fill(8) }, 2), CLIENT);
  assert.equal(endpoint.stats().dropped.BAD_TOKEN, 1);
  assert.equal(endpoint.pollTransmit(2), null, "a hello with another token gets no answer");
  assert.equal(endpoint.stats().connections, 1);
});

Deno.test("server drops a hello that disagrees with its grant and keeps the grant for the client", () => {
  const endpoint = newEndpoint();
  const mismatches: Partial<HelloFrame>[] = [
    { direction: "upload" },
    { size: SIZE + 1 },
    { startOffset: 10 },
    { maxDatagramBytes: 1199 },
  ];
  for (const [i, mismatch] of mismatches.entries()) {
    endpoint.handleDatagram(i, hello(mismatch), CLIENT);
    assert.equal(endpoint.stats().dropped.GRANT_MISMATCH, i + 1, JSON.stringify(mismatch));
    assert.equal(endpoint.pollTransmit(i), null);
  }
  assert.deepEqual([endpoint.stats().connections, endpoint.stats().pendingGrants], [0, 1]);
  endpoint.handleDatagram(10, hello(), CLIENT);
  assert.equal(endpoint.stats().connections, 1, "the matching hello still gets through");
});

Deno.test("client drops a close forged from another address and the transfer completes", () => {
  let serverPackets = 0;
  let forged = 0;
  let linkRef: SimLink | null = null;
  const r = withSeed(44, () =>
    runTransfer({
      seed: 44,
      size: 300_000,
      toClient: { delayMs: 10 },
      toServer: { delayMs: 10 },
      before: ({ link }) => {
        linkRef = link;
      },
      onSend: (now, from, _to, bytes) => {
        const decoded = decodeWire(bytes);
        if (from !== SERVER || !decoded.ok || ++serverPackets !== 20) return;
        const close = short(decoded.packet.dcid, 1_000_000, [
          { type: "close", code: 0, reason: "forged" },
        ], "server");
        // Sent once data flows: the client has heard the server already.
        linkRef!.inject(now + 50, ATTACKER, CLIENT, close);
        forged++;
      },
    }));
  assert.equal(forged, 1);
  assert.equal(r.client.stats().dropped.ADDRESS_MISMATCH, 1);
  assert.equal(r.receivedHash, r.expectedHash);
  assert.ok(r.clientEvents.some((e) => e.kind === "completed"));
});
