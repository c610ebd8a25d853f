/**
 * Why an endpoint dropped a datagram without acting on it. Every drop is counted by reason.
 *
 * @module
 */
import type { DecodeErrorCode } from "./packet.ts";

/** Stable codes of dropped datagrams. */
export type DropReason =
  | DecodeErrorCode
  /** A short packet whose connection id matches no connection. */
  | "UNKNOWN_CONNECTION"
  /** A hello for a transfer id that was never granted, or already used or expired. */
  | "UNKNOWN_TRANSFER"
  /** A hello whose token does not match the grant. */
  | "BAD_TOKEN"
  /** A hello whose direction, size or start offset disagrees with the grant. */
  | "GRANT_MISMATCH"
  /** A packet for a connection from an address other than the one it started from. */
  | "ADDRESS_MISMATCH"
  /** A short packet before the address was proven that does not carry the right nonce. */
  | "UNVALIDATED"
  /** A packet of a type this side never receives (an initial packet at the client). */
  | "UNEXPECTED_PACKET"
  /** A datagram larger than this side announced it accepts (its `maxDatagramBytes`). */
  | "OVERSIZED"
  /**
   * A sealed datagram that does not open under the connection's key (forged, corrupted, or
   * for another transfer), or a hello whose tag is wrong: never decoded or acted on.
   */
  | "UNAUTHENTICATED"
  /** A sealed datagram whose packet number was already accepted, or is too far below the largest. */
  | "REPLAYED";

const REASONS: readonly DropReason[] = [
  "MALFORMED_PACKET",
  "BAD_CHECKSUM",
  "UNSUPPORTED_VERSION",
  "TOO_MANY_FRAMES",
  "UNKNOWN_CONNECTION",
  "UNKNOWN_TRANSFER",
  "BAD_TOKEN",
  "GRANT_MISMATCH",
  "ADDRESS_MISMATCH",
  "UNVALIDATED",
  "UNEXPECTED_PACKET",
  "OVERSIZED",
  "UNAUTHENTICATED",
  "REPLAYED",
];

/** A zeroed counter per drop reason. */
export function newDropCounters(): Record<DropReason, number> {
  const counters = {} as Record<DropReason, number>;
  for (const reason of REASONS) counters[reason] = 0;
  return counters;
}
