/**
 * The server end: one endpoint per UDP socket, serving every transfer the chat hub granted.
 * Packets that name no known connection, carry a wrong token, or come from an address other
 * than the one a connection started from are dropped and counted, never acted on.
 *
 * @module
 */
import type { ChunkSource } from "./chunk_source.ts";
import { Connection } from "./connection.ts";
import {
  connectionIdKey,
  newConnectionId,
  randomBytes,
  type RandomSource,
} from "./connection_id.ts";
import { type DropReason, newDropCounters } from "./drop_reason.ts";
import type { ConnectionStats, TransferEvent } from "./events.ts";
import { type HelloFrame, NONCE_BYTES, TOKEN_BYTES } from "./frame.ts";
import { bytesEqual, ServerHandshake } from "./handshake.ts";
import { decodePacket, type Packet } from "./packet.ts";
import {
  checkTransferShape,
  checkTransportOptions,
  type TransferTerms,
  type TransportOptions,
} from "./transport_options.ts";

/** A transfer the chat hub granted: what the client's hello must match. */
export interface Grant extends TransferTerms {
  /** Required for downloads: where the file bytes come from. */
  source?: ChunkSource;
  /** The hello must arrive before this time (ms); the grant is then dropped (`GRANT_EXPIRED`). */
  expiresAt: number;
}

/** Options of {@linkcode ServerEndpoint}. */
export interface ServerEndpointOptions extends TransportOptions {
  /** Randomness for connection ids and nonces. */
  random: RandomSource;
  /**
   * The largest datagram the local interface towards `peer` ("ip:port") carries whole (its MTU
   * less IP and UDP headers), or null when unknown: a bound on each download's path MTU search.
   * Asked once per connection. Default: unknown.
   */
  interfaceDatagramBytes?: (peer: string) => number | null;
}

/** An event of one transfer. */
export type ServerEvent = TransferEvent & { transferId: number };

/** Endpoint-wide counters. */
export interface EndpointStats {
  datagramsReceived: number;
  datagramsSent: number;
  /** Datagrams dropped unread, by reason. */
  dropped: Record<DropReason, number>;
  /** Connections holding state now. */
  connections: number;
  /** Grants not yet used. */
  pendingGrants: number;
}

interface Entry {
  transferId: number;
  address: string;
  cidKey: string;
  conn: Connection;
}

/**
 * Serves granted transfers over one socket.
 *
 * @example
 * ```ts
 * const endpoint = new ServerEndpoint({ random });
 * endpoint.expect({ transferId: 7, token, direction: "download", size: 1000, source,
 *   expiresAt: now + 30_000 });
 * endpoint.handleDatagram(now, datagram, "127.0.0.1:50000");
 * const out = endpoint.pollTransmit(now); // { to, bytes } or null
 * ```
 */
export class ServerEndpoint {
  readonly #options: ServerEndpointOptions;
  readonly #datagramBytes: number;
  readonly #grants = new Map<number, Grant>();
  readonly #byTransfer = new Map<number, Entry>();
  readonly #byCid = new Map<string, Entry>();
  #entries: Entry[] = [];
  #finished: Connection[] = []; // closed, with events still to poll
  readonly #events: ServerEvent[] = [];
  readonly #dropped = newDropCounters();
  #nextToPoll = 0;
  #datagramsReceived = 0;
  #datagramsSent = 0;

  /** Creates an endpoint; see {@linkcode ServerEndpointOptions}. */
  constructor(options: ServerEndpointOptions) {
    if (typeof options.random !== "function") {
      throw new TypeError("Cannot create endpoint: no random source");
    }
    this.#datagramBytes = checkTransportOptions(options);
    this.#options = options;
  }

  /** Expects a transfer the chat hub has granted. Throws TypeError on a reused transfer id. */
  expect(grant: Grant): void {
    const id = grant.transferId;
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new RangeError(`Cannot expect transfer: bad id ${id}`);
    }
    if (this.#grants.has(id) || this.#byTransfer.has(id)) {
      throw new TypeError(`Cannot expect transfer ${id}: id already in use`);
    }
    if (!(grant.token instanceof Uint8Array) || grant.token.length !== TOKEN_BYTES) {
      throw new RangeError(`Cannot expect transfer ${id}: token must be ${TOKEN_BYTES} bytes`);
    }
    checkTransferShape(grant.size, grant.startOffset ?? 0);
    if (grant.direction === "download" && grant.source === undefined) {
      throw new TypeError(`Cannot expect download ${id}: no source`);
    }
    this.#grants.set(id, { ...grant, token: grant.token.slice() });
  }

  /** Cancels a granted or running transfer; the client is told `CANCELLED`. */
  cancel(transferId: number, now: number): void {
    if (this.#grants.delete(transferId)) {
      this.#events.push({
        transferId,
        kind: "failed",
        code: "CANCELLED",
        message: "Cancelled",
        remote: false,
      });
      this.#events.push({ transferId, kind: "closed" });
      return;
    }
    const entry = this.#byTransfer.get(transferId);
    if (entry === undefined) return;
    entry.conn.close(now, "CANCELLED", "Cancelled by server");
    this.#reap();
  }

  /** Processes a datagram from `from` ("ip:port") received at `now`. Never throws on its bytes. */
  handleDatagram(now: number, bytes: Uint8Array, from: string): void {
    this.#datagramsReceived++;
    const decoded = decodePacket(bytes);
    if (!decoded.ok) {
      this.#drop(decoded.code);
      return;
    }
    const packet = decoded.packet;
    const entry = packet.type === "initial"
      ? this.#routeInitial(now, packet, from)
      : this.#routeShort(packet, from);
    if (entry === null) return;
    entry.conn.handlePacket(now, packet, bytes.length);
    if (entry.conn.isClosed) this.#reap();
  }

  /** Runs the timers due at `now` on every transfer, and expires stale grants. */
  handleTimeout(now: number): void {
    for (const entry of this.#entries) {
      const due = entry.conn.timers.earliest();
      if (due !== null && due <= now) entry.conn.handleTimeout(now);
    }
    for (const grant of this.#grants.values()) {
      if (grant.expiresAt > now) continue;
      this.#grants.delete(grant.transferId);
      const transferId = grant.transferId;
      this.#events.push({
        transferId,
        kind: "failed",
        code: "GRANT_EXPIRED",
        message: "No hello in time",
        remote: false,
      });
      this.#events.push({ transferId, kind: "closed" });
    }
    this.#reap();
  }

  /** The next datagram to send, taking transfers in turn, or null. Call until null. */
  pollTransmit(now: number): { to: string; bytes: Uint8Array } | null {
    const count = this.#entries.length;
    for (let i = 0; i < count; i++) {
      const index = (this.#nextToPoll + i) % count;
      const entry = this.#entries[index]!;
      const bytes = entry.conn.pollTransmit(now);
      if (bytes !== null) {
        this.#nextToPoll = (index + 1) % count;
        this.#datagramsSent++;
        return { to: entry.address, bytes };
      }
    }
    this.#reap();
    return null;
  }

  /** The earliest deadline over all transfers and grants (absolute ms), or null. */
  pollTimeout(): number | null {
    let min: number | null = null;
    for (const entry of this.#entries) {
      const at = entry.conn.pollTimeout();
      if (at !== null && (min === null || at < min)) min = at;
    }
    for (const grant of this.#grants.values()) {
      if (min === null || grant.expiresAt < min) min = grant.expiresAt;
    }
    return min;
  }

  /** The next event of any transfer, or null. Data events free window when polled. */
  pollEvent(): ServerEvent | null {
    const own = this.#events.shift();
    if (own !== undefined) return own;
    for (const conn of [...this.#finished, ...this.#entries.map((e) => e.conn)]) {
      const event = conn.pollEvent();
      if (event !== null) {
        if (event.kind === "closed") this.#finished = this.#finished.filter((c) => c !== conn);
        return { ...event, transferId: conn.config.transferId };
      }
    }
    return null;
  }

  /** Endpoint-wide counters. */
  stats(): EndpointStats {
    return {
      datagramsReceived: this.#datagramsReceived,
      datagramsSent: this.#datagramsSent,
      dropped: { ...this.#dropped },
      connections: this.#entries.length,
      pendingGrants: this.#grants.size,
    };
  }

  /** Counters of one running transfer, or null when it holds no state. */
  transferStats(transferId: number): ConnectionStats | null {
    return this.#byTransfer.get(transferId)?.conn.snapshot() ?? null;
  }

  #routeInitial(now: number, packet: Packet, from: string): Entry | null {
    const hello = packet.frames.find((f): f is HelloFrame => f.type === "hello");
    if (hello === undefined) return this.#drop("MALFORMED_PACKET");
    const existing = this.#byTransfer.get(hello.transferId);
    if (existing !== undefined) {
      if (existing.address !== from) return this.#drop("ADDRESS_MISMATCH");
      if (!bytesEqual(hello.token, existing.conn.config.token!)) return this.#drop("BAD_TOKEN");
      return existing;
    }
    const grant = this.#grants.get(hello.transferId);
    if (grant === undefined) return this.#drop("UNKNOWN_TRANSFER");
    if (!bytesEqual(hello.token, grant.token)) return this.#drop("BAD_TOKEN");
    if (
      hello.direction !== grant.direction || hello.size !== grant.size ||
      hello.startOffset !== (grant.startOffset ?? 0) || hello.maxDatagramBytes < 1200
    ) return this.#drop("GRANT_MISMATCH");
    this.#grants.delete(grant.transferId);
    return this.#accept(now, grant, hello, from);
  }

  #accept(now: number, grant: Grant, hello: HelloFrame, from: string): Entry {
    const random = this.#options.random;
    let localCid = newConnectionId(random);
    while (this.#byCid.has(connectionIdKey(localCid))) localCid = newConnectionId(random);
    const conn = new Connection({
      role: "server",
      direction: grant.direction,
      transferId: grant.transferId,
      size: grant.size,
      startOffset: grant.startOffset ?? 0,
      source: grant.source,
      localCid,
      remoteCid: hello.sourceCid.slice(),
      handshake: new ServerHandshake(randomBytes(random, NONCE_BYTES)),
      token: grant.token,
      maxDatagramBytes: Math.min(this.#datagramBytes, hello.maxDatagramBytes),
      interfaceDatagramBytes: this.#options.interfaceDatagramBytes?.(from) ?? null,
      transport: this.#options,
    }, now);
    const entry = {
      transferId: grant.transferId,
      address: from,
      cidKey: connectionIdKey(localCid),
      conn,
    };
    this.#entries.push(entry);
    this.#byTransfer.set(entry.transferId, entry);
    this.#byCid.set(entry.cidKey, entry);
    return entry;
  }

  #routeShort(packet: Packet, from: string): Entry | null {
    const entry = this.#byCid.get(connectionIdKey(packet.dcid));
    if (entry === undefined) return this.#drop("UNKNOWN_CONNECTION");
    if (entry.address !== from) return this.#drop("ADDRESS_MISMATCH");
    const hs = entry.conn.config.handshake as ServerHandshake;
    if (
      !hs.validated &&
      !packet.frames.some((f) => f.type === "confirm" && bytesEqual(f.nonce, hs.nonce))
    ) {
      return this.#drop("UNVALIDATED");
    }
    return entry;
  }

  #drop(reason: DropReason): null {
    this.#dropped[reason]++;
    return null;
  }

  /** Frees the routing state of closed connections; their events stay until polled. */
  #reap(): void {
    if (!this.#entries.some((e) => e.conn.isClosed)) return;
    for (const entry of this.#entries) {
      if (!entry.conn.isClosed) continue;
      this.#byTransfer.delete(entry.transferId);
      this.#byCid.delete(entry.cidKey);
      this.#finished.push(entry.conn);
    }
    this.#entries = this.#entries.filter((e) => !e.conn.isClosed);
    this.#nextToPoll = 0;
  }
}
