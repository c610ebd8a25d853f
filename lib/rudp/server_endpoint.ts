/**
 * The server end: one endpoint per UDP socket, serving every transfer the chat hub granted.
 * Packets that name no known connection, do not open under their transfer's key (or a hello
 * whose tag fails), replay a packet number, carry a wrong token, or come from an address other
 * than the one a connection started from are dropped and counted, never acted on.
 *
 * Its cost per datagram does not grow with the number of transfers: deadlines sit in one heap
 * across connections and grants, and connections that may have a datagram to send or have
 * events wait in ready queues, each put there by the connection itself (`ConnectionListener`).
 * Nothing walks every connection.
 *
 * @module
 */
import { PriorityQueue, type QueueSlot } from "../core/priority_queue.ts";
import type { ChunkSource } from "./streams/chunk_source.ts";
import { Connection } from "./connection/connection.ts";
import type { ConnectionListener } from "./connection/connection_listener.ts";
import {
  connectionIdKey,
  newConnectionId,
  randomBytes,
  type RandomSource,
} from "./wire/connection_id.ts";
import { type DropReason, newDropCounters } from "./wire/drop_reason.ts";
import type { ConnectionStats, TransferEvent } from "./connection/events.ts";
import { type HelloFrame, NONCE_BYTES, TOKEN_BYTES } from "./wire/frame.ts";
import { bytesEqual, ServerHandshake } from "./connection/handshake.ts";
import { decodeFailure, decodePacket, type Packet, readHeader } from "./wire/packet.ts";
import {
  deriveTransferKeys,
  helloPacketOf,
  helloTagValid,
  PacketProtection,
  type TransferKeys,
} from "./seal/mod.ts";
import {
  checkTransferShape,
  checkTransportOptions,
  MIN_RECEIVE_BUFFER_BYTES,
  RECEIVER_BUFFER_BYTES,
  type TransferTerms,
  type TransportOptions,
} from "./connection/transport_options.ts";

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
  /** Connections and grants with a deadline in the timer heap. */
  scheduled: number;
  /** Connections queued to be asked for a datagram. */
  readyToSend: number;
  /** Connections (closed ones included) queued with events to poll. */
  withEvents: number;
}

/** A running transfer, in every table it belongs to. */
interface Entry {
  kind: "connection";
  transferId: number;
  address: string;
  cidKey: string;
  conn: Connection;
  /** The key retransmitted hellos are tagged with; null when unsealed. */
  helloKey: Uint8Array | null;
  /** Its place in the timer heap, or null without a deadline. */
  timer: QueueSlot<Scheduled> | null;
  /** Its place in the queue of connections to ask for a datagram. */
  sending: QueueSlot<Entry> | null;
  /** Its place in the queue of connections with events. */
  events: QueueSlot<Entry> | null;
}

/** A grant waiting for its hello, in the timer heap by its expiry. */
interface Pending {
  kind: "grant";
  grant: Grant;
  /** Derived once, when granted; null when unsealed (benchmarks only). */
  keys: TransferKeys | null;
  /** Its place in the timer heap; null once taken out to expire. */
  timer: QueueSlot<Scheduled> | null;
}

/** A datagram that passed every check, and the transfer it is for. */
interface Routed {
  entry: Entry;
  packet: Packet;
}

/** What the timer heap holds. */
type Scheduled = Entry | Pending;

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
  readonly #grants = new Map<number, Pending>();
  readonly #byTransfer = new Map<number, Entry>();
  readonly #byCid = new Map<string, Entry>();
  /** Every deadline: connections by their earliest, grants by their expiry. */
  readonly #timers = new PriorityQueue<Scheduled>();
  // Ready queues are first in, first out: keyed by a counter.
  readonly #sending = new PriorityQueue<Entry>();
  readonly #withEvents = new PriorityQueue<Entry>();
  #queued = 0;
  readonly #events: ServerEvent[] = [];
  readonly #dropped = newDropCounters();
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
    if (Number.isNaN(grant.expiresAt)) {
      throw new RangeError(`Cannot expect transfer ${id}: no expiry`);
    }
    // The transfer key itself is not kept: only what is derived from it.
    const keys = deriveTransferKeys(grant.key);
    const kept = { ...grant, token: grant.token.slice(), key: new Uint8Array(0) };
    const unsealed = this.#options.unsealedForBenchmark === true;
    const pending: Pending = {
      kind: "grant",
      grant: kept,
      keys: unsealed ? null : keys,
      timer: null,
    };
    pending.timer = this.#timers.push(pending, kept.expiresAt);
    this.#grants.set(id, pending);
  }

  /** Cancels a granted or running transfer; the client is told `CANCELLED`. */
  cancel(transferId: number, now: number): void {
    const pending = this.#grants.get(transferId);
    if (pending !== undefined) return this.#endGrant(pending, "CANCELLED", "Cancelled");
    this.#byTransfer.get(transferId)?.conn.close(now, "CANCELLED", "Cancelled by server");
  }

  /** Processes a datagram from `from` ("ip:port") received at `now`. Never throws on its bytes. */
  handleDatagram(now: number, bytes: Uint8Array, from: string): void {
    this.#datagramsReceived++;
    // Nothing a client may send is larger than we announce: not even read.
    if (bytes.length > this.#datagramBytes) {
      this.#drop("OVERSIZED");
      return;
    }
    const routed = bytes[1] === INITIAL_TYPE_BYTE
      ? this.#routeInitial(now, bytes, from)
      : this.#routeShort(bytes, from);
    if (routed === null) return;
    routed.entry.conn.handlePacket(now, routed.packet, bytes.length);
  }

  /**
   * Runs the timers due at `now`: only the transfers whose deadline passed are touched, and
   * grants whose hello did not come in time expire (`GRANT_EXPIRED`).
   */
  handleTimeout(now: number): void {
    const due: Scheduled[] = [];
    for (let top = this.#timers.peek(); top !== null && top.key <= now; top = this.#timers.peek()) {
      this.#timers.pop();
      top.value.timer = null;
      due.push(top.value);
    }
    // Each is run once: a deadline it leaves at or before `now` waits for the next call.
    for (const item of due) {
      if (item.kind === "grant") {
        this.#endGrant(item, "GRANT_EXPIRED", "No hello in time");
      } else {
        item.conn.handleTimeout(now);
        this.#schedule(item);
      }
    }
  }

  /**
   * The next datagram to send, or null; call until null. Only transfers an input may have
   * given something to send are asked, in turn: one that sent goes to the back of the line.
   * With `into`, the datagram is a view of that buffer (see `Connection.pollTransmit`).
   */
  pollTransmit(now: number, into?: Uint8Array): { to: string; bytes: Uint8Array } | null {
    for (let entry = this.#sending.pop(); entry !== null; entry = this.#sending.pop()) {
      entry.sending = null;
      const bytes = entry.conn.pollTransmit(now, into);
      if (bytes === null) continue; // Nothing until its next input.
      this.#readyToSend(entry);
      this.#datagramsSent++;
      return { to: entry.address, bytes };
    }
    return null;
  }

  /** The earliest deadline over all transfers and grants (absolute ms), or null. A read. */
  pollTimeout(): number | null {
    return this.#timers.peek()?.key ?? null;
  }

  /** The next event of any transfer, or null. Data events free window when polled. */
  pollEvent(): ServerEvent | null {
    const own = this.#events.shift();
    if (own !== undefined) return own;
    for (let top = this.#withEvents.peek(); top !== null; top = this.#withEvents.peek()) {
      const entry = top.value;
      const event = entry.conn.pollEvent();
      if (!entry.conn.hasEvents) {
        this.#withEvents.remove(top);
        entry.events = null;
      }
      if (event !== null) return { ...event, transferId: entry.transferId };
    }
    return null;
  }

  /** Endpoint-wide counters. */
  stats(): EndpointStats {
    return {
      datagramsReceived: this.#datagramsReceived,
      datagramsSent: this.#datagramsSent,
      dropped: { ...this.#dropped },
      connections: this.#byTransfer.size,
      pendingGrants: this.#grants.size,
      scheduled: this.#timers.size,
      readyToSend: this.#sending.size,
      withEvents: this.#withEvents.size,
    };
  }

  /** Counters of one running transfer, or null when it holds no state. */
  transferStats(transferId: number): ConnectionStats | null {
    return this.#byTransfer.get(transferId)?.conn.snapshot() ?? null;
  }

  /**
   * A hello travels in the clear with a tag (see `hello_tag.ts`): its transfer id finds the
   * grant, whose key must check the tag before anything else of it counts.
   */
  #routeInitial(now: number, bytes: Uint8Array, from: string): Routed | null {
    const unsealed = this.#options.unsealedForBenchmark === true;
    const packetBytes = unsealed ? bytes : helloPacketOf(bytes);
    if (packetBytes === null) return this.#drop("MALFORMED_PACKET");
    const decoded = decodePacket(packetBytes);
    if (!decoded.ok) return this.#drop(decoded.code);
    const packet = decoded.packet;
    const hello = packet.frames.find((f): f is HelloFrame => f.type === "hello");
    if (hello === undefined) return this.#drop("MALFORMED_PACKET");
    const existing = this.#byTransfer.get(hello.transferId);
    if (existing !== undefined) {
      if (existing.address !== from) return this.#drop("ADDRESS_MISMATCH");
      if (!tagValid(existing.helloKey, bytes)) return this.#drop("UNAUTHENTICATED");
      if (!bytesEqual(hello.token, existing.conn.config.token)) return this.#drop("BAD_TOKEN");
      return { entry: existing, packet };
    }
    const pending = this.#grants.get(hello.transferId);
    if (pending === undefined) return this.#drop("UNKNOWN_TRANSFER");
    const grant = pending.grant;
    if (!tagValid(pending.keys?.hello ?? null, bytes)) return this.#drop("UNAUTHENTICATED");
    if (!bytesEqual(hello.token, grant.token)) return this.#drop("BAD_TOKEN");
    if (
      hello.direction !== grant.direction || hello.size !== grant.size ||
      hello.startOffset !== (grant.startOffset ?? 0) || hello.maxDatagramBytes < 1200
    ) return this.#drop("GRANT_MISMATCH");
    this.#unscheduleGrant(pending);
    return { entry: this.#accept(now, pending, hello, from), packet };
  }

  #accept(now: number, pending: Pending, hello: HelloFrame, from: string): Entry {
    const { grant, keys } = pending;
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
      receiveBufferBytes: this.#receiveBufferShare(),
      peerReceiveBufferBytes: hello.receiveBufferBytes,
      interfaceDatagramBytes: this.#options.interfaceDatagramBytes?.(from) ?? null,
      transport: this.#options,
      protection: keys === null
        ? PacketProtection.unsealed("server")
        : PacketProtection.sealed(keys, "server", this.#options.aead),
    }, now);
    const entry: Entry = {
      kind: "connection",
      transferId: grant.transferId,
      address: from,
      cidKey: connectionIdKey(localCid),
      conn,
      helloKey: keys?.hello ?? null,
      timer: null,
      sending: null,
      events: null,
    };
    this.#byTransfer.set(entry.transferId, entry);
    this.#byCid.set(entry.cidKey, entry);
    conn.listen(this.#listenerOf(entry));
    this.#schedule(entry);
    return entry;
  }

  /** How a connection keeps its entry in the tables: O(log n) each, never a scan. */
  #listenerOf(entry: Entry): ConnectionListener {
    return {
      onDeadline: () => this.#schedule(entry),
      onTransmitReady: () => this.#readyToSend(entry),
      onEvents: () => {
        entry.events ??= this.#withEvents.push(entry, this.#queued++);
      },
      onClosed: () => this.#forget(entry),
    };
  }

  /** Puts the connection's deadline in the timer heap (or takes it out when it has none). */
  #schedule(entry: Entry): void {
    const at = entry.conn.pollTimeout();
    if (at === null) {
      if (entry.timer !== null) this.#timers.remove(entry.timer);
      entry.timer = null;
    } else if (entry.timer === null) {
      entry.timer = this.#timers.push(entry, at);
    } else if (entry.timer.key !== at) {
      this.#timers.update(entry.timer, at);
    }
  }

  #readyToSend(entry: Entry): void {
    if (entry.conn.isClosed) return;
    entry.sending ??= this.#sending.push(entry, this.#queued++);
  }

  /** A closed connection leaves every table but the event queue, which its `closed` ends. */
  #forget(entry: Entry): void {
    this.#byTransfer.delete(entry.transferId);
    this.#byCid.delete(entry.cidKey);
    if (entry.timer !== null) this.#timers.remove(entry.timer);
    if (entry.sending !== null) this.#sending.remove(entry.sending);
    entry.timer = null;
    entry.sending = null;
  }

  /** Ends a grant that never became a connection, with its `failed` and `closed` events. */
  #endGrant(pending: Pending, code: "CANCELLED" | "GRANT_EXPIRED", message: string): void {
    const transferId = pending.grant.transferId;
    this.#unscheduleGrant(pending);
    this.#events.push({ transferId, kind: "failed", code, message, remote: false });
    this.#events.push({ transferId, kind: "closed" });
  }

  /** A short packet is routed by its header, then opened with its connection's key. */
  #routeShort(bytes: Uint8Array, from: string): Routed | null {
    const header = readHeader(bytes);
    if (header === null) return this.#drop(decodeFailure(bytes));
    const entry = this.#byCid.get(connectionIdKey(header.dcid));
    if (entry === undefined) return this.#drop("UNKNOWN_CONNECTION");
    if (entry.address !== from) return this.#drop("ADDRESS_MISMATCH");
    const protection = entry.conn.config.protection;
    const opened = protection.open(bytes, header);
    if (!opened.ok) return this.#drop(opened.code);
    const decoded = decodePacket(opened.bytes, { checksum: protection.checksums("short") });
    if (!decoded.ok) return this.#drop(decoded.code);
    const packet = decoded.packet;
    const hs = entry.conn.config.handshake as ServerHandshake;
    if (
      !hs.validated &&
      !packet.frames.some((f) => f.type === "confirm" && bytesEqual(f.nonce, hs.nonce))
    ) {
      return this.#drop("UNVALIDATED");
    }
    return { entry, packet };
  }

  /**
   * What this endpoint announces to a new transfer of its socket's receive buffer, bytes: an
   * equal share among the transfers open with it, since they all share the one socket.
   */
  #receiveBufferShare(): number {
    const buffer = this.#options.receiveBufferBytes ?? RECEIVER_BUFFER_BYTES;
    return Math.max(MIN_RECEIVE_BUFFER_BYTES, Math.floor(buffer / (this.#byTransfer.size + 1)));
  }

  #drop(reason: DropReason): null {
    this.#dropped[reason]++;
    return null;
  }

  #unscheduleGrant(pending: Pending): void {
    this.#grants.delete(pending.grant.transferId);
    if (pending.timer !== null) this.#timers.remove(pending.timer);
    pending.timer = null;
  }
}

/** The packet type byte of an initial packet (see `packet.ts`). */
const INITIAL_TYPE_BYTE = 1;

/** Whether a hello's tag is right for `helloKey`; any hello passes when unsealed (null key). */
function tagValid(helloKey: Uint8Array | null, datagram: Uint8Array): boolean {
  return helloKey === null || helloTagValid(helloKey, datagram);
}
