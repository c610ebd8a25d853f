/**
 * Sealing of short packets with ChaCha20-Poly1305 (RFC 8439), the way QUIC and TLS 1.3 protect
 * records: the nonce is the direction's IV XOR the packet number (which a sender never reuses,
 * so no nonce is used twice under one key), and the header is the associated data. A sealed
 * datagram is the header in the clear, then the rest of the packet (frames, padding and CRC)
 * encrypted, then the 16-byte tag:
 *
 * ```
 * header (version, type, dcid, packet number) | ciphertext | tag (16 B)
 * ```
 *
 * ChaCha20-Poly1305 because it was the cheapest of the ways measured (see
 * `bench/rudp_seal_cost.ts`): cheaper than AES-128-GCM, and on the event loop's thread without
 * the round trip WebCrypto costs. Which implementation is the caller's choice (`ChaChaPoly`):
 * `node:crypto`'s by default, libsodium's through FFI where the driver can load it.
 *
 * @module
 */
import { type PacketHeader, readHeader } from "../wire/packet.ts";
import { type ChaChaPoly, NODE_CHACHA_POLY, POLY1305_TAG_BYTES } from "./chacha_poly.ts";
import { AEAD_IV_BYTES, type DirectionKeys } from "./transfer_keys.ts";
import { ReplayWindow } from "./replay_window.ts";

/** Bytes of the Poly1305 tag a sealed datagram ends with. */
export const SEAL_TAG_BYTES = POLY1305_TAG_BYTES;

/** Why a datagram did not open. */
export type OpenErrorCode =
  | "MALFORMED_PACKET"
  | "UNEXPECTED_PACKET"
  | "REPLAYED"
  | "UNAUTHENTICATED";

/** Result of {@linkcode PacketOpener.open}: the packet in the clear, or why not. */
export type OpenResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; code: OpenErrorCode };

/**
 * Seals the packets one side sends.
 *
 * @example
 * ```ts
 * const sealer = new PacketSealer(keys.clientToServer);
 * const datagram = sealer.seal(encodePacket(packet), packet.number, headerSize(packet.number));
 * ```
 */
export class PacketSealer {
  readonly #key: Uint8Array;
  readonly #nonce: NonceMaker;
  readonly #aead: ChaChaPoly;

  /** A sealer with one direction's key and IV, sealing with `aead`. */
  constructor(keys: DirectionKeys, aead: ChaChaPoly = NODE_CHACHA_POLY) {
    this.#key = keys.key;
    this.#nonce = new NonceMaker(keys.iv);
    this.#aead = aead;
  }

  /**
   * Seals `packet` (an encoded packet numbered `number`, whose first `headerBytes` are its
   * header) into a datagram {@linkcode SEAL_TAG_BYTES} longer. When `packet` was encoded at the
   * start of `into` and the tag fits after it, the datagram is sealed in place there (a view of
   * `into`); otherwise it is a new buffer.
   */
  seal(packet: Uint8Array, number: number, headerBytes: number, into?: Uint8Array): Uint8Array {
    const length = packet.length + SEAL_TAG_BYTES;
    const inPlace = into !== undefined && into.buffer === packet.buffer &&
      into.byteOffset === packet.byteOffset && into.length >= length;
    const out = inPlace ? into.subarray(0, length) : new Uint8Array(length);
    if (!inPlace) out.set(packet);
    const body = out.subarray(headerBytes, packet.length);
    this.#aead.seal(
      this.#key,
      this.#nonce.of(number),
      out.subarray(0, headerBytes),
      body,
      body,
      out.subarray(packet.length),
    );
    return out;
  }
}

/**
 * Opens the short packets the peer sends, dropping replays: a packet number accepted before, or
 * too far below the largest (see `ReplayWindow`). Only a datagram that opened is recorded, so
 * forged ones cannot fill the window.
 */
export class PacketOpener {
  readonly #key: Uint8Array;
  readonly #nonce: NonceMaker;
  readonly #aead: ChaChaPoly;
  readonly #window = new ReplayWindow();
  /** The last packet opened; reused, so valid until the next call. */
  #plain = new Uint8Array(0);

  /** An opener with the peer's direction's key and IV, opening with `aead`. */
  constructor(keys: DirectionKeys, aead: ChaChaPoly = NODE_CHACHA_POLY) {
    this.#key = keys.key;
    this.#nonce = new NonceMaker(keys.iv);
    this.#aead = aead;
  }

  /**
   * Opens `datagram`, whose `header` the receiver read already (by default one read as to a
   * connection id of 8 bytes). Never throws on its bytes. On success the packet in the clear
   * (header and frames) is a view of a buffer reused by the next call: decode it before then.
   */
  open(datagram: Uint8Array, header: PacketHeader | null = readHeader(datagram)): OpenResult {
    if (header === null || datagram.length < header.headerBytes + SEAL_TAG_BYTES) {
      return { ok: false, code: "MALFORMED_PACKET" };
    }
    if (header.type !== "short") return { ok: false, code: "UNEXPECTED_PACKET" };
    if (!this.#window.isFresh(header.number)) return { ok: false, code: "REPLAYED" };
    const plain = this.#decrypt(datagram, header.number, header.headerBytes);
    if (plain === null) return { ok: false, code: "UNAUTHENTICATED" };
    this.#window.accept(header.number);
    return { ok: true, bytes: plain };
  }

  #decrypt(datagram: Uint8Array, number: number, headerBytes: number): Uint8Array | null {
    const end = datagram.length - SEAL_TAG_BYTES;
    if (this.#plain.length < end) {
      this.#plain = new Uint8Array(Math.max(end, 2 * this.#plain.length));
    }
    const header = datagram.subarray(0, headerBytes);
    const opened = this.#aead.open(
      this.#key,
      this.#nonce.of(number),
      header,
      datagram.subarray(headerBytes, end),
      datagram.subarray(end),
      this.#plain.subarray(headerBytes, end),
    );
    if (!opened) return null;
    this.#plain.set(header);
    return this.#plain.subarray(0, end);
  }
}

/** Nonces of one direction: its IV XOR the packet number, big-endian in the last 8 bytes. */
class NonceMaker {
  readonly #iv: Uint8Array;
  readonly #nonce = new Uint8Array(AEAD_IV_BYTES);
  readonly #view = new DataView(this.#nonce.buffer);

  constructor(iv: Uint8Array) {
    this.#iv = iv.slice();
  }

  /** The nonce of packet `number` (a safe integer below 2^48), in a buffer reused by the next call. */
  of(number: number): Uint8Array {
    this.#nonce.set(this.#iv);
    const high = Math.floor(number / 2 ** 32);
    this.#view.setUint32(4, this.#view.getUint32(4) ^ high);
    this.#view.setUint32(8, this.#view.getUint32(8) ^ (number >>> 0));
    return this.#nonce;
  }
}
