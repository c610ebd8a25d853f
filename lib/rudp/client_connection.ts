/**
 * The client end of one transfer. The client always opens the exchange (so it works behind
 * NAT); the grant's `direction` says which side sends the file.
 *
 * @module
 */
import type { ChunkSource } from "./streams/chunk_source.ts";
import { Connection } from "./connection/connection.ts";
import { bytesEqual, ClientHandshake } from "./connection/handshake.ts";
import type { RandomSource } from "./wire/connection_id.ts";
import { type DropReason, newDropCounters } from "./wire/drop_reason.ts";
import type { ConnectionStats, TransferEvent } from "./connection/events.ts";
import { TOKEN_BYTES } from "./wire/frame.ts";
import { decodeFailure, decodePacket, readHeader } from "./wire/packet.ts";
import { deriveTransferKeys, PacketProtection } from "./seal/mod.ts";
import {
  checkTransferShape,
  checkTransportOptions,
  RECEIVER_BUFFER_BYTES,
  type TransferTerms,
  type TransportOptions,
} from "./connection/transport_options.ts";

/** A client's connection id: none (see `ClientConnection`). */
const NO_CONNECTION_ID = new Uint8Array(0);

/** Options of {@linkcode ClientConnection}: the terms of the chat hub's grant, and more. */
export interface ClientOptions extends TransportOptions, TransferTerms {
  /** Required for uploads: where the file bytes come from. */
  source?: ChunkSource;
  /**
   * Randomness. Unused since a client's connection has no id (its socket is its own); kept
   * optional so that callers written for one need not change.
   */
  random?: RandomSource;
  /**
   * The largest datagram the local interface towards the server carries whole (its MTU less IP
   * and UDP headers), or null when unknown: a bound on an upload's path MTU search.
   */
  interfaceDatagramBytes?: number | null;
}

/** Statistics of a client: the connection's, plus drops by reason. */
export interface ClientStats extends ConnectionStats {
  dropped: Record<DropReason, number>;
}

/**
 * A client transfer: feed it datagrams and timeouts, drain datagrams, deadlines and events.
 *
 * @example
 * ```ts
 * const client = new ClientConnection({ transferId: 7, token, direction: "download",
 *   size: 1000, random }, 0);
 * const hello = client.pollTransmit(0); // the first handshake datagram, to the server
 * ```
 */
export class ClientConnection {
  readonly #conn: Connection;
  readonly #dropped = newDropCounters();
  readonly #protection: PacketProtection;
  #server: string | null = null;

  /** Opens a transfer at `now`; the first {@linkcode pollTransmit} yields the hello. */
  constructor(options: ClientOptions, now: number) {
    const maxDatagramBytes = checkTransportOptions(options);
    const startOffset = options.startOffset ?? 0;
    checkTransferShape(options.size, startOffset);
    if (!(options.token instanceof Uint8Array) || options.token.length !== TOKEN_BYTES) {
      throw new RangeError(`Cannot open transfer: token must be ${TOKEN_BYTES} bytes`);
    }
    if (!Number.isSafeInteger(options.transferId) || options.transferId < 0) {
      throw new RangeError(`Cannot open transfer: bad transfer id ${options.transferId}`);
    }
    if (options.direction === "upload" && options.source === undefined) {
      throw new TypeError("Cannot open upload: no source");
    }
    // Derived at once: a key of the wrong size is a RangeError here, not a silent failure later.
    const keys = deriveTransferKeys(options.key);
    this.#protection = options.unsealedForBenchmark
      ? PacketProtection.unsealed("client")
      : PacketProtection.sealed(keys, "client", options.aead);
    this.#conn = new Connection({
      role: "client",
      direction: options.direction,
      transferId: options.transferId,
      size: options.size,
      startOffset,
      source: options.source,
      // The client's socket is this connection's alone, so the server's packets need no id to
      // find it: 8 bytes less in every datagram of a download (0.6% of the file).
      localCid: NO_CONNECTION_ID,
      remoteCid: null,
      handshake: new ClientHandshake(),
      token: options.token.slice(),
      maxDatagramBytes,
      receiveBufferBytes: options.receiveBufferBytes ?? RECEIVER_BUFFER_BYTES,
      interfaceDatagramBytes: options.interfaceDatagramBytes ?? null,
      transport: options,
      protection: this.#protection,
    }, now);
  }

  /** Whether the connection is gone; its `closed` event was queued. */
  get isClosed(): boolean {
    return this.#conn.isClosed;
  }

  /**
   * Whether nothing that changes the outcome can happen any more: the connection is gone, or
   * it completed and the server closed it, so that all that is left is draining (answering a
   * repeat of the server's close, which the server does without if need be).
   */
  get settled(): boolean {
    return this.#conn.isClosed || (this.#conn.completed && this.#conn.phase === "draining");
  }

  /**
   * Processes a datagram received at `now`. With `from` ("ip:port"), datagrams from any
   * address other than the first that spoke validly are dropped. Never throws on its bytes,
   * and never keeps a reference to them.
   */
  handleDatagram(now: number, bytes: Uint8Array, from?: string): void {
    // Nothing the server may send is larger than we announced: not even read.
    if (bytes.length > this.#conn.config.maxDatagramBytes) return this.#drop("OVERSIZED");
    // The header is read in the clear, so that what is not ours costs no decryption.
    const header = readHeader(bytes, this.#conn.config.localCid.length);
    if (header === null) return this.#drop(decodeFailure(bytes, { dcidBytes: 0 }));
    if (header.type !== "short") return this.#drop("UNEXPECTED_PACKET");
    if (!bytesEqual(header.dcid, this.#conn.config.localCid)) {
      return this.#drop("UNKNOWN_CONNECTION");
    }
    // Before opening: a packet from elsewhere must not spend its number in the replay window.
    if (from !== undefined && this.#server !== null && this.#server !== from) {
      return this.#drop("ADDRESS_MISMATCH");
    }
    const opened = this.#protection.open(bytes, header);
    if (!opened.ok) return this.#drop(opened.code);
    const decoded = decodePacket(opened.bytes, {
      checksum: this.#protection.checksums("short"),
      dcidBytes: header.dcid.length,
    });
    if (!decoded.ok) return this.#drop(decoded.code);
    const packet = decoded.packet;
    if (from !== undefined) this.#server = from;
    this.#conn.handlePacket(now, packet, bytes.length);
  }

  /** Runs the timers due at `now`. */
  handleTimeout(now: number): void {
    this.#conn.handleTimeout(now);
  }

  /**
   * The next datagram for the server, or null. Call until null after every input. With
   * `into`, the datagram is a view of that buffer (see `Connection.pollTransmit`).
   */
  pollTransmit(now: number, into?: Uint8Array): Uint8Array | null {
    return this.#conn.pollTransmit(now, into);
  }

  /** When to call {@linkcode handleTimeout} next (absolute ms), or null. */
  pollTimeout(): number | null {
    return this.#conn.pollTimeout();
  }

  /** The next event, or null; see `TransferEvent` for how data events free the window. */
  pollEvent(): TransferEvent | null {
    return this.#conn.pollEvent();
  }

  /** Cancels the transfer, telling the server (`CANCELLED`). */
  close(now: number, reason = "Cancelled by client"): void {
    this.#conn.close(now, "CANCELLED", reason);
  }

  /** Counters, gauges and drops. */
  stats(): ClientStats {
    return { ...this.#conn.snapshot(), dropped: { ...this.#dropped } };
  }

  #drop(reason: DropReason): void {
    this.#dropped[reason]++;
  }
}
