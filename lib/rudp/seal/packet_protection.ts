/**
 * How one connection's datagrams are protected on the wire: the step between frame encoding and
 * the socket, and between the socket and frame decoding. Sealed in the product; unsealed only
 * when a benchmark asks, to measure what sealing costs.
 *
 * @module
 */
import type { PacketHeader, PacketType } from "../wire/packet.ts";
import { headerSize } from "../wire/packet.ts";
import { CONNECTION_ID_BYTES } from "../wire/frame.ts";
import { HELLO_TAG_BYTES, tagHello } from "./hello_tag.ts";
import { type OpenResult, PacketOpener, PacketSealer, SEAL_TAG_BYTES } from "./packet_seal.ts";
import type { TransferKeys } from "./transfer_keys.ts";
import { type ChaChaPoly, NODE_CHACHA_POLY } from "./chacha_poly.ts";

/** Which end of the transfer a protection is for. */
export type ProtectionRole = "client" | "server";

/**
 * A connection's sealing and opening.
 *
 * @example
 * ```ts
 * const protection = PacketProtection.sealed(deriveTransferKeys(key), "client");
 * const datagram = protection.protect(encoded, "short", number);
 * ```
 */
export class PacketProtection {
  /**
   * Bytes protection adds to every datagram: the packet is encoded this much smaller than the
   * datagram size it is sent at, so the datagram sizes the connection plans with are those on
   * the wire.
   */
  readonly overheadBytes: number;
  readonly #sealer: PacketSealer | null;
  readonly #opener: PacketOpener | null;
  readonly #helloKey: Uint8Array | null;

  private constructor(keys: TransferKeys | null, role: ProtectionRole, aead: ChaChaPoly) {
    const [mine, theirs] = keys === null
      ? [null, null]
      : role === "client"
      ? [keys.clientToServer, keys.serverToClient]
      : [keys.serverToClient, keys.clientToServer];
    this.#sealer = mine === null ? null : new PacketSealer(mine, aead);
    this.#opener = theirs === null ? null : new PacketOpener(theirs, aead);
    this.#helloKey = keys === null || role === "server" ? null : keys.hello;
    // Both tags are 16 bytes: one overhead for every packet type.
    this.overheadBytes = keys === null ? 0 : Math.max(SEAL_TAG_BYTES, HELLO_TAG_BYTES);
  }

  /**
   * Seals with `keys`: every short packet sealed (with `aead`, `node:crypto`'s by default), the
   * client's hello tagged.
   */
  static sealed(
    keys: TransferKeys,
    role: ProtectionRole,
    aead: ChaChaPoly = NODE_CHACHA_POLY,
  ): PacketProtection {
    return new PacketProtection(keys, role, aead);
  }

  /** No protection at all: for benchmarks that measure what sealing costs, never the product. */
  static unsealed(role: ProtectionRole): PacketProtection {
    return new PacketProtection(null, role, NODE_CHACHA_POLY);
  }

  /** Whether datagrams are sealed. */
  get isSealed(): boolean {
    return this.#sealer !== null;
  }

  /**
   * Whether packets of `type` carry the CRC-32: all but sealed short packets, whose tag already
   * detects a change to any byte. A hello keeps it: the server decodes a hello to find the key
   * its tag is checked with.
   */
  checksums(type: PacketType): boolean {
    return this.#sealer === null || type !== "short";
  }

  /**
   * The datagram that carries `packet`, an encoded packet of `type` numbered `number` to a
   * connection id of `dcidBytes` (default 8), {@linkcode overheadBytes} longer than it: sealed in
   * place when `packet` was encoded at the start of `into` (see `PacketSealer.seal`).
   */
  protect(
    packet: Uint8Array,
    type: PacketType,
    number: number,
    options: { into?: Uint8Array | undefined; dcidBytes?: number } = {},
  ): Uint8Array {
    if (this.#sealer === null) return packet;
    if (type === "short") {
      const headerBytes = headerSize(number, options.dcidBytes ?? CONNECTION_ID_BYTES);
      return this.#sealer.seal(packet, number, headerBytes, options.into);
    }
    if (this.#helloKey === null) throw new TypeError("Cannot tag a hello: only a client sends one");
    return tagHello(this.#helloKey, packet);
  }

  /**
   * The packet a short datagram from the peer carries, in the clear, or why it is dropped;
   * `header` as the receiver read it (by default as to a connection id of 8 bytes). Never throws
   * on its bytes; the packet is valid until the next call.
   */
  open(datagram: Uint8Array, header?: PacketHeader | null): OpenResult {
    if (this.#opener === null) return { ok: true, bytes: datagram };
    return header === undefined ? this.#opener.open(datagram) : this.#opener.open(datagram, header);
  }
}
