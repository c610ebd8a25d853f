// In-memory scaffolding for attack tests: one ServerEndpoint, several clients on their own
// addresses, a pump that moves datagrams between them at one instant, and forgers of packets a
// client (who holds a valid token) could send.
import { ClientConnection } from "../../lib/rudp/client_connection.ts";
import type { TransferEvent } from "../../lib/rudp/connection/events.ts";
import type { Direction, Frame } from "../../lib/rudp/wire/frame.ts";
import { ServerEndpoint, type ServerEvent } from "../../lib/rudp/server_endpoint.ts";
import type { TransportOptions } from "../../lib/rudp/connection/transport_options.ts";
import { Prng } from "../../lib/netsim/prng.ts";
import { PatternSource } from "./_transfer.ts";
import { protectedDatagram, readAsKeyHolder, TEST_KEY } from "./_keys.ts";

/** The address the clients see the server's datagrams come from. */
export const SERVER_ADDRESS = "10.0.0.1:9000";

/** One client of a {@linkcode Pair}: its connection, address and what it learnt. */
export interface PairClient {
  transferId: number;
  address: string;
  token: Uint8Array;
  /** The transfer key the client holds. */
  key: Uint8Array;
  direction: Direction;
  size: number;
  connection: ClientConnection;
  /** The server's connection id, once its challenge went by. */
  serverCid: Uint8Array | null;
  /** The client's connection id, once its hello went by. */
  clientCid: Uint8Array | null;
  /** The server's nonce for this client, once its challenge went by. */
  nonce: Uint8Array | null;
  events: TransferEvent[];
  /** While true the pump neither polls it nor delivers to it, as if it had vanished. */
  frozen: boolean;
}

/** Options of {@linkcode Pair}. */
export interface PairOptions {
  seed?: number;
  /** One entry per client. Default: two downloads of 100,000 bytes. */
  transfers?: { direction: Direction; size: number }[];
  transport?: TransportOptions;
  /** Sees every datagram the pump moves. */
  tap?: (bytes: Uint8Array, from: string, to: string) => void;
}

/** A server endpoint and its clients, joined by a lossless in-memory pump. */
export class Pair {
  readonly endpoint: ServerEndpoint;
  readonly clients: PairClient[] = [];
  readonly serverEvents: ServerEvent[] = [];
  now = 0;
  /** While true the clients' events stay unpolled, as if their application stopped reading. */
  holdClientEvents = false;

  readonly #random: (bytes: Uint8Array) => void;
  readonly #source = new PatternSource();
  readonly #transport: TransportOptions;
  readonly #tap: PairOptions["tap"];
  readonly #byAddress = new Map<string, PairClient>();

  constructor(options: PairOptions = {}) {
    const prng = new Prng(options.seed ?? 1);
    this.#random = (b) => prng.fill(b);
    this.#transport = options.transport ?? {};
    this.#tap = options.tap;
    this.endpoint = new ServerEndpoint({ random: this.#random, ...this.#transport });
    const transfers = options.transfers ??
      [{ direction: "download", size: 100_000 }, { direction: "download", size: 100_000 }];
    for (const { direction, size } of transfers) this.add(direction, size);
  }

  /** Grants one more transfer and opens its client (transfer ids count from 1). */
  add(direction: Direction, size: number): PairClient {
    const transferId = this.clients.length + 1;
    const token = new Uint8Array(16);
    this.#random(token);
    const key = TEST_KEY; // Not from the PRNG: the seeds replay the runs they did before sealing.
    const withSource = { source: this.#source };
    this.endpoint.expect({
      transferId,
      token,
      key,
      direction,
      size,
      expiresAt: 1e12,
      ...(direction === "download" ? withSource : {}),
    });
    const connection = new ClientConnection({
      transferId,
      token,
      key,
      direction,
      size,
      random: this.#random,
      ...this.#transport,
      ...(direction === "upload" ? withSource : {}),
    }, this.now);
    const client: PairClient = {
      transferId,
      address: `10.0.${transferId >> 8}.${transferId & 0xff}:4000`,
      token,
      key,
      direction,
      size,
      connection,
      serverCid: null,
      clientCid: null,
      nonce: null,
      events: [],
      frozen: false,
    };
    this.clients.push(client);
    this.#byAddress.set(client.address, client);
    return client;
  }

  /** Moves datagrams both ways at `now` until nothing is left to send (at most `rounds`). */
  pump(rounds = 1000): void {
    for (let round = 0; round < rounds; round++) {
      let moved = false;
      for (const c of this.clients) {
        if (c.frozen) continue;
        for (
          let b = c.connection.pollTransmit(this.now);
          b;
          b = c.connection.pollTransmit(this.now)
        ) {
          this.#learn(c, b);
          this.#tap?.(b, c.address, SERVER_ADDRESS);
          this.endpoint.handleDatagram(this.now, b, c.address);
          moved = true;
        }
      }
      for (
        let out = this.endpoint.pollTransmit(this.now);
        out;
        out = this.endpoint.pollTransmit(this.now)
      ) {
        const client = this.#byAddress.get(out.to);
        if (client !== undefined && !client.frozen) {
          this.#learn(client, out.bytes);
          this.#tap?.(out.bytes, SERVER_ADDRESS, client.address);
          client.connection.handleDatagram(this.now, out.bytes, SERVER_ADDRESS);
        }
        moved = true;
      }
      this.drainEvents();
      if (!moved) return;
    }
  }

  /** Advances time to the next deadline of anyone (at most `maxStepMs` on), runs timers, pumps. */
  step(maxStepMs = 1000): void {
    const deadlines = [
      this.endpoint.pollTimeout(),
      ...this.clients.map((c) => c.frozen ? null : c.connection.pollTimeout()),
    ]
      .filter((d): d is number => d !== null);
    const next = Math.min(this.now + maxStepMs, ...deadlines);
    this.now = Math.max(this.now, next);
    this.endpoint.handleTimeout(this.now);
    for (const c of this.clients) if (!c.frozen) c.connection.handleTimeout(this.now);
    this.pump();
  }

  /** Runs until `done` or `maxMs` of virtual time passed. */
  runUntil(done: () => boolean, maxMs = 120_000): void {
    const until = this.now + maxMs;
    this.pump();
    while (!done() && this.now < until) this.step();
  }

  /** Polls every event into the clients' and the server's lists. */
  drainEvents(): void {
    for (let e = this.endpoint.pollEvent(); e; e = this.endpoint.pollEvent()) {
      this.serverEvents.push(e);
    }
    if (this.holdClientEvents) return;
    for (const c of this.clients) {
      if (c.frozen) continue;
      for (let e = c.connection.pollEvent(); e; e = c.connection.pollEvent()) c.events.push(e);
    }
  }

  /** The server's events of one transfer. */
  eventsOf(transferId: number): ServerEvent[] {
    return this.serverEvents.filter((e) => e.transferId === transferId);
  }

  /** Whether a transfer completed on both sides. */
  completed(transferId: number): boolean {
    const client = this.clients[transferId - 1]!;
    return this.eventsOf(transferId).some((e) => e.kind === "completed") &&
      client.events.some((e) => e.kind === "completed");
  }

  #learn(client: PairClient, bytes: Uint8Array): void {
    const packet = readAsKeyHolder(bytes, client.key);
    if (packet === null) return;
    for (const f of packet.frames) {
      if (f.type === "challenge") {
        client.serverCid = f.sourceCid.slice();
        client.nonce = f.nonce.slice();
      }
      if (f.type === "hello") client.clientCid = f.sourceCid.slice();
    }
  }
}

/** A short packet to the server for `client`'s connection (as that client could send it). */
export function shortPacketFor(client: PairClient, number: number, frames: Frame[]): Uint8Array {
  if (client.serverCid === null) throw new TypeError("Cannot forge: no challenge seen yet");
  return protectedDatagram({ type: "short", dcid: client.serverCid, number, frames }, {
    key: client.key,
  });
}

/** An initial packet carrying `client`'s valid hello, numbered `number`, tagged with its key. */
export function helloPacketFor(
  client: PairClient,
  number: number,
  extra: Frame[] = [],
): Uint8Array {
  return protectedDatagram({
    type: "initial",
    dcid: new Uint8Array(8),
    number,
    frames: [{
      type: "hello",
      transferId: client.transferId,
      token: client.token,
      sourceCid: new Uint8Array(8).fill(9),
      direction: client.direction,
      size: client.size,
      startOffset: 0,
      maxDatagramBytes: 1200,
      receiveBufferBytes: 212_992,
    }, ...extra],
  }, { key: client.key, padTo: 1200 });
}
