/**
 * Forged datagrams sent straight at the server's real UDP port in the middle of a transfer: a
 * copy of the client's own packet from another address, a hello with a wrong token, garbage.
 * They are dropped and counted, and the transfer goes on unharmed. The client reaches the
 * server through a clean relay whose tap shows what the client sent, as an on-path attacker
 * would see it; 10 ms of delay each way keeps the transfer running long enough.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { sha256File } from "../../lib/files/file_hash.ts";
import { UdpDriver } from "../../lib/net/udp_driver.ts";
import { UdpRelay } from "../../tools/relay/udp_relay.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { ClientConnection } from "../../lib/rudp/client_connection.ts";
import { ServerEndpoint } from "../../lib/rudp/server_endpoint.ts";
import { ClientLink } from "../../lib/transfer/client_link.ts";
import { Harness, waitFor, writeRandomFile } from "./_harness.ts";
import { TEST_KEY } from "../rudp/_keys.ts";

const SIZE = 8 * 1024 * 1024;
const PATH = { delayMs: 10 };

/** A hello for `transferId` carrying a token that is not the granted one. */
function helloWithWrongToken(transferId: number, size: number): Uint8Array {
  const token = new Uint8Array(16).fill(0xee);
  const forger = new ClientConnection({
    transferId,
    token,
    key: TEST_KEY,
    direction: "download",
    size,
    random: (bytes) => new Prng(1).fill(bytes),
  }, 0);
  return forger.pollTransmit(0)!;
}

/** Sends each datagram from a fresh socket (a different address) to the server's port. */
async function sendFromElsewhere(port: number, datagrams: Uint8Array[]): Promise<void> {
  const socket = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
  try {
    for (const bytes of datagrams) {
      await socket.send(bytes, { transport: "udp", hostname: "127.0.0.1", port });
    }
  } finally {
    socket.close();
  }
}

Deno.test("forged datagrams at the server's port mid-download leave the download intact", async () => {
  let lastFromClient: Uint8Array | null = null;
  const harness = await Harness.start({
    relay: {
      toServer: PATH,
      toClient: PATH,
      seed: 21,
      tap: (direction, bytes) => {
        if (direction === "toServer") lastFromClient = bytes.slice();
      },
    },
  });
  try {
    const expected = await writeRandomFile(join(harness.folder, "big.bin"), SIZE, 21);
    const alice = await harness.connect("alice");
    const id = alice.transfers.download("big.bin");
    await waitFor("the download to be under way", () => alice.transfers.views()[0]!.done > 0);
    const grant = harness.grants[0]!;
    await sendFromElsewhere(harness.transfers.port, [
      lastFromClient!,
      helloWithWrongToken(grant.transfer, grant.size),
      new Uint8Array(100).fill(0x41),
    ]);
    assert.ok(alice.transfers.views()[0]!.done < SIZE, "the forgeries arrived mid-transfer");
    assert.equal(await alice.transfers.wait(id), "done");
    assert.equal(await sha256File(join(alice.downloads, "big.bin")), expected);
  } finally {
    await harness.close();
  }
});

Deno.test("server endpoint counts forged datagrams by reason and the transfer goes on", async () => {
  const data = new Uint8Array(SIZE);
  new Prng(22).fill(data);
  const endpoint = new ServerEndpoint({
    random: (bytes) => crypto.getRandomValues(bytes),
    maxDatagramBytes: 8192,
  });
  const server = new UdpDriver(
    Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" }),
    endpoint,
    { onActivity: () => drain(endpoint) },
  );
  const token = crypto.getRandomValues(new Uint8Array(16));
  const source = { read: (offset: number, length: number) => data.slice(offset, offset + length) };
  const grant = { token, key: TEST_KEY, direction: "download" as const, size: SIZE, source };
  endpoint.expect({ ...grant, transferId: 1, expiresAt: performance.now() + 30_000 });
  endpoint.expect({ ...grant, transferId: 2, expiresAt: performance.now() + 30_000 });
  let lastFromClient: Uint8Array | null = null;
  const relay = new UdpRelay({
    listen: { hostname: "127.0.0.1", port: 0 },
    target: { hostname: "127.0.0.1", port: server.addr.port },
    toServer: PATH,
    toClient: PATH,
    seed: 22,
    tap: (direction, bytes) => {
      if (direction === "toServer") lastFromClient = bytes.slice();
    },
  });
  const hash = createHash("sha256");
  let received = 0;
  const link = new ClientLink(
    { transport: "udp", hostname: "127.0.0.1", port: relay.port },
    {
      transferId: 1,
      token,
      key: TEST_KEY,
      direction: "download",
      size: SIZE,
      maxDatagramBytes: 8192,
    },
    (event) => {
      if (event.kind !== "data") return;
      hash.update(event.bytes);
      received += event.bytes.length;
    },
  );
  try {
    await waitFor("the download to be under way", () => received > 0);
    await sendFromElsewhere(server.addr.port, [
      lastFromClient!, // the client's own packet, replayed from another address
      helloWithWrongToken(1, SIZE), // the running transfer, from another address
      helloWithWrongToken(2, SIZE), // a granted transfer not yet opened
      new Uint8Array(100).fill(0x41),
    ]);
    await waitFor("the forgeries to be counted", () =>
      endpoint.stats().datagramsReceived > 0 &&
      endpoint.stats().dropped.BAD_TOKEN === 1);
    assert.ok(received < SIZE, "the forgeries arrived mid-transfer");
    await link.ended;
    const dropped = endpoint.stats().dropped;
    assert.equal(dropped.ADDRESS_MISMATCH, 2);
    assert.equal(dropped.BAD_TOKEN, 1);
    assert.equal(dropped.MALFORMED_PACKET + dropped.BAD_CHECKSUM + dropped.UNSUPPORTED_VERSION, 1);
    assert.equal(received, SIZE);
    assert.equal(hash.digest("hex"), createHash("sha256").update(data).digest("hex"));
    assert.equal(link.connection.stats().dropped.ADDRESS_MISMATCH, 0);
  } finally {
    await relay.close();
    await server.close();
  }
});

function drain(endpoint: ServerEndpoint): void {
  while (endpoint.pollEvent() !== null) {
    // Events are not needed here; polling frees the connections' state.
  }
}
