/**
 * Why a transfer ended: stable string codes, and the numbers that go in a close frame.
 *
 * @module
 */

/** Stable codes for the end of a transfer. */
export type CloseCode =
  | "NO_ERROR"
  | "CANCELLED"
  | "PROTOCOL_VIOLATION"
  | "GRANT_MISMATCH"
  | "FLOW_CONTROL_ERROR"
  | "FINAL_SIZE_ERROR"
  | "SOURCE_ERROR"
  | "IDLE_TIMEOUT"
  | "PEER_UNREACHABLE"
  | "GRANT_EXPIRED"
  /** Local only: this side hit an error of its own and dropped the connection's state. */
  | "INTERNAL_ERROR"
  | "UNKNOWN_ERROR";

/** Wire numbers of the codes a close frame may carry. Local-only codes are never sent. */
export const CLOSE_CODE_WIRE: Readonly<Partial<Record<CloseCode, number>>> = {
  NO_ERROR: 0,
  CANCELLED: 1,
  PROTOCOL_VIOLATION: 2,
  GRANT_MISMATCH: 3,
  FLOW_CONTROL_ERROR: 4,
  FINAL_SIZE_ERROR: 5,
  SOURCE_ERROR: 6,
};

/** The wire number for `code` (local-only codes map to UNKNOWN_ERROR's 0xff). */
export function closeCodeToWire(code: CloseCode): number {
  return CLOSE_CODE_WIRE[code] ?? 0xff;
}

/** The code for a wire number; numbers we do not know become `UNKNOWN_ERROR`. */
export function closeCodeFromWire(wire: number): CloseCode {
  for (const [code, value] of Object.entries(CLOSE_CODE_WIRE)) {
    if (value === wire) return code as CloseCode;
  }
  return "UNKNOWN_ERROR";
}
