// Transfer keys for tests, and what a peer holding them (or an attacker without them) would send.
import { deriveTransferKeys, helloPacketOf, PacketProtection } from "../../lib/rudp/seal/mod.ts";
import {
  decodePacket,
  type DecodeResult,
  encodePacket,
  type Packet,
} from "../../lib/rudp/wire/packet.ts";
import type { TransferKeys } from "../../lib/rudp/seal/mod.ts";

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
  return protection.protect(encodePacket(packet, padTo), packet.type, packet.number);
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
  for (const role of ["client", "server"] as const) {
    const opened = PacketProtection.sealed(keys, role).open(datagram);
    if (!opened.ok) continue;
    const decoded = decodePacket(opened.bytes);
    return decoded.ok ? decoded.packet : null;
  }
  return null;
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
