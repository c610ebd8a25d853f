/**
 * The file channel's protocol cores alone, in one process and without sockets: a
 * `ServerEndpoint` and a `ClientConnection` hand each other datagrams (copied, as a socket
 * would), with random loss both ways, on a virtual clock that moves 10 µs per datagram and jumps
 * to the next deadline when nothing moves. The CPU each side spends is timed separately: what
 * the sans-IO code costs per datagram, apart from system calls, event loop and wake-ups.
 *
 * @module
 */
import { ClientConnection } from "../../lib/rudp/client_connection.ts";
import { ServerEndpoint } from "../../lib/rudp/server_endpoint.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { PatternSource } from "../../tests/rudp/_transfer.ts";

/** What one run of {@linkcode runCoreLoop} measured. */
export interface CoreCost {
  lossPercent: number;
  datagramBytes: number;
  /** Datagrams the server sent (data, probes, closes). */
  serverDatagrams: number;
  /** Datagrams the client sent (ACKs, handshake). */
  clientDatagrams: number;
  /** µs of the server's code per datagram it sent. */
  serverUs: number;
  /** µs of the client's code per datagram the server sent. */
  clientUs: number;
}

const SERVER = "10.0.0.1:9000";
const CLIENT = "10.0.0.2:40000";
const VIRTUAL_MS_PER_DATAGRAM = 0.01;
const SERVER_BURST = 16;

/** Downloads `size` bytes at `lossPercent` random loss each way; datagrams up to `datagramBytes`. */
export function runCoreLoop(size: number, datagramBytes: number, lossPercent: number): CoreCost {
  const prng = new Prng(20261203);
  const random = (b: Uint8Array) => prng.fill(b);
  const token = new Uint8Array(16);
  random(token);
  const endpoint = new ServerEndpoint({
    random,
    maxDatagramBytes: datagramBytes,
    interfaceDatagramBytes: () => datagramBytes,
  });
  const key = new Uint8Array(32);
  random(key);
  const terms = { transferId: 1, token, key, direction: "download" as const, size, startOffset: 0 };
  const source = new PatternSource(7, { reuseBuffer: true });
  endpoint.expect({ ...terms, source, expiresAt: Infinity });
  const client = new ClientConnection({
    ...terms,
    random,
    interfaceDatagramBytes: datagramBytes,
    maxDatagramBytes: datagramBytes,
  }, 0);
  const scratch = new Uint8Array(65_507);
  const lost = () => prng.next() < lossPercent / 100;
  const cost = { serverMs: 0, clientMs: 0, server: 0, client: 0 };
  let toClient: Uint8Array[] = [];
  let toServer: Uint8Array[] = [];
  let now = 0;
  let closed = false;
  while (!closed && !client.isClosed) {
    let started = performance.now();
    if ((endpoint.pollTimeout() ?? Infinity) <= now) endpoint.handleTimeout(now);
    for (const bytes of toServer) endpoint.handleDatagram(now, bytes, CLIENT);
    toServer = [];
    for (let e = endpoint.pollEvent(); e !== null; e = endpoint.pollEvent()) {
      if (e.kind === "closed") closed = true;
    }
    for (let i = 0; i < SERVER_BURST; i++) {
      const out = endpoint.pollTransmit(now, scratch);
      if (out === null) break;
      cost.server++;
      if (!lost()) toClient.push(out.bytes.slice());
    }
    let ended = performance.now();
    cost.serverMs += ended - started;
    started = ended;
    const moved = toClient.length;
    if ((client.pollTimeout() ?? Infinity) <= now) client.handleTimeout(now);
    for (const bytes of toClient) client.handleDatagram(now, bytes, SERVER);
    toClient = [];
    while (client.pollEvent() !== null);
    for (
      let out = client.pollTransmit(now, scratch);
      out !== null;
      out = client.pollTransmit(now, scratch)
    ) {
      cost.client++;
      if (!lost()) toServer.push(out.slice());
    }
    ended = performance.now();
    cost.clientMs += ended - started;
    now = moved > 0 || toServer.length > 0
      ? now + VIRTUAL_MS_PER_DATAGRAM * Math.max(1, moved)
      : Math.max(
        now + 0.001,
        Math.min(endpoint.pollTimeout() ?? Infinity, client.pollTimeout() ?? Infinity),
      );
    if (!Number.isFinite(now)) {
      throw new Error("Core loop stalled: no deadline and nothing to send");
    }
  }
  return {
    lossPercent,
    datagramBytes: client.stats().maxDatagramBytes,
    serverDatagrams: cost.server,
    clientDatagrams: cost.client,
    serverUs: 1000 * cost.serverMs / cost.server,
    clientUs: 1000 * cost.clientMs / cost.server,
  };
}
