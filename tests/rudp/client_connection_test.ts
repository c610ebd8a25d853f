import assert from "node:assert/strict";
import { ClientConnection } from "../../lib/rudp/client_connection.ts";
import type { TransportOptions } from "../../lib/rudp/connection/transport_options.ts";
import { encodePacket } from "../../lib/rudp/wire/packet.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { CLIENT, runTransfer, SERVER, withSeed } from "./_transfer.ts";
import { TEST_KEY } from "./_keys.ts";

const PATH = { delayMs: 10 };

function dropNth(from: string, n: number) {
  let seen = 0;
  return {
    dropped: () => seen >= n,
    filter: (_now: number, sender: string) => sender !== from || ++seen !== n,
  };
}

const HANDSHAKE_LOSSES = [
  { name: "1st (client hello)", from: CLIENT, n: 1 },
  { name: "2nd (server challenge)", from: SERVER, n: 1 },
  { name: "3rd (client confirm)", from: CLIENT, n: 2 },
];

for (const { name, from, n } of HANDSHAKE_LOSSES) {
  for (const direction of ["download", "upload"] as const) {
    Deno.test(`client completes a ${direction} when the ${name} handshake packet is lost`, () => {
      withSeed(20 + n, () => {
        const drop = dropNth(from, n);
        const r = runTransfer({
          seed: 20 + n,
          size: 100_000,
          direction,
          toClient: PATH,
          toServer: PATH,
          filter: drop.filter,
        });
        assert.ok(drop.dropped(), "the targeted packet was never sent");
        assert.equal(r.link.filtered, 1);
        assert.equal(r.receivedHash, r.expectedHash);
        assert.ok(r.clientEvents.some((e) => e.kind === "completed"));
        // An upload's next data packets repeat the confirm, so only the others need a probe.
        if (direction === "download" || from === SERVER || n === 1) {
          assert.ok(
            r.client.stats().ptoCount >= 1,
            "the client never probed to recover the handshake",
          );
        }
      });
    });
  }
}

Deno.test("client emits established before data and closed last", () => {
  const r = runTransfer({ seed: 30, size: 50_000, toClient: PATH, toServer: PATH });
  const kinds = r.clientEvents.map((e) => e.kind);
  assert.deepEqual(kinds, ["established", "completed", "closed"]);
});

/** A 10-byte download's client, with `transport` tuning on top. */
function newClient(transport: TransportOptions = {}): ClientConnection {
  const prng = new Prng(1);
  return new ClientConnection({
    transferId: 1,
    token: new Uint8Array(16),
    key: TEST_KEY,
    direction: "download",
    size: 10,
    random: (b) => prng.fill(b),
    ...transport,
  }, 0);
}

Deno.test("client sends a hello padded to 1200 bytes first", () => {
  const client = newClient();
  const hello = client.pollTransmit(0);
  assert.ok(hello !== null);
  assert.equal(hello.length, 1200);
  assert.equal(client.pollTransmit(0), null);
  assert.ok(client.pollTimeout()! > 0, "no probe timer for the hello");
});

Deno.test("client resends a lost hello after a few round trips of the chat session's, not 0.8 s", () => {
  const hellosBy = (deadlineMs: number, initialRttMs?: number) => {
    const client = newClient(initialRttMs === undefined ? {} : { initialRttMs });
    let hellos = 0;
    for (let now = 0; now <= deadlineMs; now = client.pollTimeout() ?? Infinity) {
      client.handleTimeout(now);
      while (client.pollTransmit(now) !== null) hellos++;
    }
    return hellos;
  };
  assert.equal(hellosBy(50), 1, "the default waits for a 250 ms round trip");
  assert.ok(hellosBy(50, 2) >= 3, "a 2 ms chat round trip should resend within 50 ms");
  assert.equal(hellosBy(700, 2_000), 1, "a slow chat round trip never shortens the default");
});

Deno.test("client drops garbage, corrupt, unsealed and initial datagrams without acting", () => {
  const client = newClient();
  client.pollTransmit(0);
  const prng = new Prng(2);
  for (let i = 0; i < 200; i++) {
    const junk = new Uint8Array(prng.int(100));
    prng.fill(junk);
    client.handleDatagram(1, junk);
  }
  const foreign = encodePacket({
    type: "short",
    dcid: new Uint8Array(8).fill(9),
    number: 0,
    frames: [{ type: "ping" }],
  }, { padTo: 100 });
  client.handleDatagram(1, foreign);
  const initial = encodePacket({
    type: "initial",
    dcid: new Uint8Array(8),
    number: 0,
    frames: [{ type: "ping" }],
  });
  client.handleDatagram(1, initial);
  const stats = client.stats();
  // Its connection has no id (its socket is its own): a packet for another id is one that does
  // not open.
  assert.equal(stats.dropped.UNAUTHENTICATED, 1);
  assert.equal(stats.dropped.UNEXPECTED_PACKET, 1);
  assert.equal(stats.dropped.MALFORMED_PACKET + stats.dropped.BAD_CHECKSUM, 200);
  assert.equal(stats.packetsReceived, 0);
  assert.equal(client.pollEvent(), null);
});

Deno.test("client drops unread a datagram larger than it announced (OVERSIZED)", () => {
  const client = newClient(); // announces 1,200 bytes
  client.pollTransmit(0);
  client.handleDatagram(1, new Uint8Array(1201));
  client.handleDatagram(1, new Uint8Array(1200));
  const { dropped } = client.stats();
  assert.equal(dropped.OVERSIZED, 1);
  assert.equal(dropped.MALFORMED_PACKET + dropped.BAD_CHECKSUM, 1); // read, and refused as such
});

Deno.test("client rejects bad options with RangeError or TypeError", () => {
  const base = {
    transferId: 1,
    token: new Uint8Array(16),
    key: TEST_KEY,
    direction: "download" as const,
    size: 10,
    random: () => {},
  };
  assert.throws(() => new ClientConnection({ ...base, token: new Uint8Array(15) }, 0), RangeError);
  assert.throws(() => new ClientConnection({ ...base, startOffset: 11 }, 0), RangeError);
  assert.throws(() => new ClientConnection({ ...base, maxDatagramBytes: 1000 }, 0), RangeError);
  assert.throws(() => new ClientConnection({ ...base, direction: "upload" }, 0), TypeError);
});

Deno.test("client fails with IDLE_TIMEOUT when the server never answers within its idle timeout", () => {
  const client = newClient({ idleTimeoutMs: 5_000 });
  let now = 0;
  let hellos = 0;
  while (!client.isClosed && now < 60_000) {
    while (client.pollTransmit(now) !== null) hellos++;
    now = client.pollTimeout() ?? now + 1;
    client.handleTimeout(now);
  }
  assert.ok(client.isClosed);
  assert.ok(now <= 5_000, `gave up only at ${now} ms`);
  assert.ok(hellos >= 3, `only ${hellos} hellos`);
  const events = [];
  for (let e = client.pollEvent(); e !== null; e = client.pollEvent()) events.push(e);
  assert.equal(events.length, 2);
  assert.equal(events[0]!.kind === "failed" && events[0]!.code, "IDLE_TIMEOUT");
  assert.equal(events[1]!.kind, "closed");
});

Deno.test("client cancel tells the server and both sides end with CANCELLED", () => {
  let cancelled = false;
  const r = runTransfer({
    seed: 31,
    size: 5_000_000,
    toClient: PATH,
    toServer: PATH,
    before: ({ client }) => {
      const poll = client.pollEvent.bind(client);
      client.pollEvent = () => {
        const e = poll();
        if (e?.kind === "data" && e.offset > 100_000 && !cancelled) {
          cancelled = true;
          client.close(0);
        }
        return e;
      };
    },
  });
  const serverFailure = r.serverEvents.find((e) => e.kind === "failed");
  assert.ok(
    serverFailure?.kind === "failed" && serverFailure.code === "CANCELLED" && serverFailure.remote,
  );
  const clientFailure = r.clientEvents.find((e) => e.kind === "failed");
  assert.ok(
    clientFailure?.kind === "failed" && clientFailure.code === "CANCELLED" && !clientFailure.remote,
  );
  assert.equal(r.endpoint.stats().connections, 0);
});
