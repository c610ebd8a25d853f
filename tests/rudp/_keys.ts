// Transfer keys for tests, and what a peer holding them (or an attacker without them) would send.
import { deriveTransferKeys, helloPacketOf, PacketProtection } from "../../lib/rudp/seal/mod.ts";
import {
  decodePacket,
  type DecodeResult,
  encodePacket,
  type Packet,
  readHeader,
} from "../../lib/rudp/wire/packet.ts";
import type { TransferKeys } from "../../lib/rudp/seal/mod.ts";
import { PacketSealer } from "../../lib/rudp/seal/packet_seal.ts";
import { tagHello } from "../../lib/rudp/seal/hello_tag.ts";
import { CONNECTION_ID_BYTES } from "../../lib/rudp/wire/frame.ts";

/** The transfer key tests grant, unless a test needs another. */
export const TEST_KEY = new Uint8Array(32).fill(9);

/**
 * `packet` as the holder of `key` would send it: a hello tagged, a short packet sealed as the
 * client's (or, with `role` "server", the server's). `padTo` is the datagram's size on the wire.
 */
export function protectedDatagram(
  packet: Packet,
  options: { key?: Uint8Array; role?: "client" | "server"; padTo?: number } = {},
): Uint8Array {
  const protection = PacketProtection.sealed(
    deriveTransferKeys(options.key ?? TEST_KEY),
    options.role ?? "client",
  );
  const padTo = options.padTo === undefined
    ? {}
    : { padTo: options.padTo - protection.overheadBytes };
  const checksum = protection.checksums(packet.type);
  return protection.protect(
    encodePacket(packet, { ...padTo, checksum }),
    packet.type,
    packet.number,
    { dcidBytes: packet.dcid.length },
  );
}

/**
 * The packet a datagram of either direction carries, read as a holder of `key` would (a tap
 * that knows the key, to learn ids and nonces), or null when it does not open or decode.
 */
export function readAsKeyHolder(datagram: Uint8Array, key: Uint8Array = TEST_KEY): Packet | null {
  if (datagram[1] === 1) {
    const hello = helloPacketOf(datagram);
    const decoded = hello === null ? null : decodePacket(hello);
    return decoded?.ok ? decoded.packet : null;
  }
  const keys = keysOf(key);
  // Fresh protections each time: a tap must not spend the packet numbers the real peer checks.
  // A client opens what the server sent: to no connection id (ours), or to an 8-byte one (a
  // hello may offer one); the server opens what the client sent, to its own 8-byte id.
  const readers = [["client", 0], ["client", CONNECTION_ID_BYTES], ["server", CONNECTION_ID_BYTES]];
  for (const [role, dcidBytes] of readers as ["client" | "server", number][]) {
    const opened = PacketProtection.sealed(keys, role).open(
      datagram,
      readHeader(datagram, dcidBytes),
    );
    if (!opened.ok) continue;
    const decoded = decodePacket(opened.bytes, { checksum: false, dcidBytes });
    return decoded.ok ? decoded.packet : null;
  }
  return null;
}

/** Length of the connection id in packets to `receiver`: none to a client. */
export function cidBytesTo(receiver: "client" | "server"): number {
  return receiver === "client" ? 0 : CONNECTION_ID_BYTES;
}

/** {@linkcode readAsKeyHolder} in the shape of `decodePacket`'s result, for taps and filters. */
export function decodeWire(datagram: Uint8Array, key: Uint8Array = TEST_KEY): DecodeResult {
  const packet = readAsKeyHolder(datagram, key);
  return packet === null
    ? { ok: false, code: "MALFORMED_PACKET", message: "does not open or decode" }
    : { ok: true, packet };
}

const derived = new Map<Uint8Array, TransferKeys>();

function keysOf(key: Uint8Array): TransferKeys {
  let keys = derived.get(key);
  if (keys === undefined) derived.set(key, keys = deriveTransferKeys(key));
  return keys;
}

/**
 * Raw packet bytes (header and frames, however odd; a short packet has no CRC) as a hostile key holder in `role` would
 * send them: sealed when the header reads as a short packet's, tagged when an initial one's,
 * else as they are. For fuzzers, whose garbage must reach the frame parser behind the seal.
 */
export function sealRaw(bytes: Uint8Array, role: "client" | "server", key = TEST_KEY): Uint8Array {
  const header = readHeader(bytes, cidBytesTo(role === "client" ? "server" : "client"));
  if (header === null) return bytes;
  const keys = keysOf(key);
  if (header.type === "initial") return tagHello(keys.hello, bytes);
  const own = role === "client" ? keys.clientToServer : keys.serverToClient;
  return new PacketSealer(own).seal(bytes, header.number, header.headerBytes);
}

/**
 * The packet bytes in the clear (header and frames; a hello's CRC too) of a datagram of either direction, and who
 * sent it, read by a holder of `key`; null when it opens for neither.
 */
export function openRaw(
  datagram: Uint8Array,
  key = TEST_KEY,
): { bytes: Uint8Array; role: "client" | "server" } | null {
  if (datagram[1] === 1) {
    const hello = helloPacketOf(datagram);
    return hello === null ? null : { bytes: hello.slice(), role: "client" };
  }
  for (const role of ["client", "server"] as const) {
    // A protection of the receiving side opens what `role` sent.
    const receiver = role === "client" ? "server" : "client";
    const opened = PacketProtection.sealed(keysOf(key), receiver)
      .open(datagram, readHeader(datagram, cidBytesTo(receiver)));
    if (opened.ok) return { bytes: opened.bytes.slice(), role };
  }
  return null;
}
